package behaviour

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// Helpers of the page tests (asRoute, link rewriting, crawler hints): a
// middleware in front of a backend of the test's choosing, and requests
// with headers.

// pageSite builds the middleware (text challenges, the test secret) in front
// of backend; reached counts the requests that got through.
func pageSite(t *testing.T, f pluginload.Factory, cfg map[string]any, backend http.Handler) *site {
	t.Helper()
	if _, ok := cfg["secret"]; !ok {
		cfg["secret"] = secret
	}
	if _, ok := cfg["defaultCaptchaType"]; !ok {
		cfg["defaultCaptchaType"] = "text"
	}
	s := &site{t: t}
	next := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&s.reached, 1)
		backend.ServeHTTP(rw, r)
	})
	noSystemDNS(cfg)
	h, err := f.New(context.Background(), next, cfg, uniqueName())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	s.handler = h
	return s
}

// plainBackend answers like newSite's: "backend <path>?<query>".
var plainBackend = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(rw, "backend "+r.URL.Path+"?"+r.URL.RawQuery)
})

// htmlBackend serves page as text/html with a Content-Length.
func htmlBackend(page string) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(rw, page)
	})
}

// getWith sends a GET with extra headers.
func (s *site) getWith(t *testing.T, v *visitor, target string, hdr map[string]string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = v.ip + ":40000"
	if v.ua != "" {
		r.Header.Set("User-Agent", v.ua)
	}
	if v.cookie != "" {
		r.Header.Set("Cookie", v.cookie)
	}
	for k, val := range hdr {
		r.Header.Set(k, val)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		t.Fatalf("GET %s: status %d: %s", target, res.StatusCode, b)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// navigate is a browser's GET of a page.
func (s *site) navigate(t *testing.T, v *visitor, target string) response {
	t.Helper()
	return s.getWith(t, v, target, map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
}

// solveFor answers the challenge page res (for visitor v) and returns the 303.
func (s *site) solveFor(t *testing.T, v *visitor, page response) response {
	t.Helper()
	ct := mustChallenge(t, page)
	res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {answer(t, ct)}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("solving: want 303, got %d: %.300s", res.status, res.body)
	}
	for _, c := range res.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "captcha=") {
			v.cookie = strings.SplitN(c, ";", 2)[0]
		}
	}
	return res
}

// mustStayOnSite fails unless loc is a path on this site.
func mustStayOnSite(t *testing.T, what, loc string) {
	t.Helper()
	u, err := url.Parse(loc)
	if err != nil || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") ||
		u.Host != "" || u.Scheme != "" || strings.ContainsAny(loc, "\x00\t\r\n \\") {
		t.Errorf("%s: %q leaves the site or is not a clean path", what, loc)
	}
}

// streamFirstPart GETs path through h on a real HTTP server and reads the
// response until want arrives. The site must hold back the rest until
// release is closed: the first part arrives only if every layer flushes.
// It then releases the site and returns the first part and the rest.
func streamFirstPart(t *testing.T, h http.Handler, path, want string, release chan struct{}) (first, rest string) {
	t.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	req.Header.Set("User-Agent", browserUA)
	req.Header.Set("Accept", "text/html")
	type result struct {
		resp  *http.Response
		br    *bufio.Reader
		first string
		err   error
	}
	got := make(chan result, 1)
	go func() {
		// The header and the first part must both come while the site
		// still holds back the rest.
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- result{err: err}
			return
		}
		br := bufio.NewReader(resp.Body)
		var b []byte
		for !bytes.Contains(b, []byte(want)) {
			c, err := br.ReadByte()
			if err != nil {
				break
			}
			b = append(b, c)
		}
		got <- result{resp: resp, br: br, first: string(b)}
	}()
	var res result
	select {
	case res = <-got:
	case <-time.After(3 * time.Second):
		close(release)
		t.Fatalf("GET %s: %q did not arrive while the site was still sending: not flushed", path, want)
	}
	close(release)
	if res.err != nil {
		t.Fatalf("GET %s: %v", path, res.err)
	}
	defer res.resp.Body.Close()
	if !strings.Contains(res.first, want) {
		t.Fatalf("GET %s: first part %q lacks %q", path, res.first, want)
	}
	b, _ := io.ReadAll(res.br)
	if res.resp.Header.Get("Content-Length") != "" {
		first = "Content-Length:" + res.resp.Header.Get("Content-Length") + " " + res.first
	} else {
		first = res.first
	}
	return first, string(b)
}
