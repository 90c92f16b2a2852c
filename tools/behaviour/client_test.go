package behaviour

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// The behaviour tests drive a middleware built by a pluginload.Factory, so
// the very same assertions run against the compiled plugin and against the
// plugin interpreted by Yaegi the way Traefik loads it.

const (
	secret    = "behaviour-test-secret-0123456789abcdef"
	browserUA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
)

var nameSeq int64

// site is one middleware in front of a recording backend.
type site struct {
	t       *testing.T
	handler http.Handler
	reached int64 // requests that got through to the backend
}

// newSite builds the middleware with cfg (secret added unless present).
// Every site gets its own middleware name, so state never leaks between tests.
func newSite(t *testing.T, f pluginload.Factory, cfg map[string]any) *site {
	t.Helper()
	h, err := build(f, cfg, uniqueName())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return h
}

func mustBuild(t *testing.T, f pluginload.Factory, cfg map[string]any, name string) *site {
	t.Helper()
	s, err := build(f, cfg, name)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

func uniqueName() string {
	return fmt.Sprintf("behaviour-%d@file", atomic.AddInt64(&nameSeq, 1))
}

func build(f pluginload.Factory, cfg map[string]any, name string) (*site, error) {
	if _, ok := cfg["secret"]; !ok {
		cfg["secret"] = secret
	}
	noSystemDNS(cfg)
	// Most tests speak the text challenge (tc); the image challenges (the
	// default type) have their own tests in images_test.go.
	if _, ok := cfg["defaultCaptchaType"]; !ok {
		cfg["defaultCaptchaType"] = "text"
	}
	s := &site{}
	next := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&s.reached, 1)
		fmt.Fprintf(rw, "backend %s?%s", r.URL.Path, r.URL.RawQuery)
	})
	h, err := f.New(context.Background(), next, cfg, name)
	if err != nil {
		return nil, err
	}
	s.handler = h
	return s, nil
}

// visitor is one client: an address, a user agent and a cookie.
type visitor struct {
	ip     string
	ua     string
	cookie string
}

func browser(ip string) *visitor { return &visitor{ip: ip, ua: browserUA} }

type response struct {
	status int
	header http.Header
	body   string
}

func (s *site) do(t *testing.T, v *visitor, method, target string, body io.Reader, contentType string) response {
	t.Helper()
	r := httptest.NewRequest(method, target, body)
	r.RemoteAddr = v.ip + ":40000"
	if v.ua != "" {
		r.Header.Set("User-Agent", v.ua)
	}
	if v.cookie != "" {
		r.Header.Set("Cookie", v.cookie)
	}
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 500 {
		t.Fatalf("%s %s: status %d: %s", method, target, res.StatusCode, b)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

func (s *site) get(t *testing.T, v *visitor, target string) response {
	t.Helper()
	return s.do(t, v, http.MethodGet, target, nil, "")
}

func (s *site) post(t *testing.T, v *visitor, target string, form url.Values) response {
	t.Helper()
	return s.do(t, v, http.MethodPost, target, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

var (
	ctPattern     = regexp.MustCompile(`name="ct" value="([^"]+)"`)
	actionPattern = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

// answer posts form to the challenge page's own form action, as a browser does.
func (s *site) answer(t *testing.T, v *visitor, page response, form url.Values) response {
	t.Helper()
	m := actionPattern.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("challenge page without a POST form")
	}
	action := html.UnescapeString(m[1])
	if !strings.HasPrefix(action, "/") || strings.HasPrefix(action, "//") {
		t.Fatalf("form action %q leaves the site", action)
	}
	return s.post(t, v, action, form)
}

// isChallenge reports whether res is a challenge page, and returns its ct.
func isChallenge(res response) (string, bool) {
	m := ctPattern.FindStringSubmatch(res.body)
	if m == nil || !strings.Contains(res.body, `name="tc"`) {
		return "", false
	}
	return m[1], true
}

func mustChallenge(t *testing.T, res response) string {
	t.Helper()
	ct, ok := isChallenge(res)
	if !ok {
		t.Fatalf("want a challenge page, got %d: %.300s", res.status, res.body)
	}
	if res.status != http.StatusOK {
		t.Errorf("challenge status = %d, want 200", res.status)
	}
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("challenge Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
	}
	if !strings.Contains(res.body, `src="data:image/png;base64,`) {
		t.Errorf("challenge page has no inline PNG image")
	}
	return ct
}

func mustReach(t *testing.T, res response, want string) {
	t.Helper()
	if res.status != http.StatusOK || res.body != want {
		t.Fatalf("want the backend's %q, got %d: %.300s", want, res.status, res.body)
	}
}

// answer opens ct with the secret, as the captchaify-dev tool does.
func answer(t *testing.T, ct string) string {
	t.Helper()
	info, err := captchaify.OpenChallengeToken(secret, ct)
	if err != nil {
		t.Fatalf("open ct: %v", err)
	}
	return info.Answer
}

// solve answers the challenge at target and returns the 303's response.
func (s *site) solve(t *testing.T, v *visitor, target string) response {
	t.Helper()
	page := s.get(t, v, target)
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

// forwarded sends a GET from peer with an X-Forwarded-For header.
func (s *site) forwarded(t *testing.T, peer, xff string) response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = peer + ":40000"
	r.Header.Set("User-Agent", browserUA)
	r.Header.Set("X-Forwarded-For", xff)
	rec := httptest.NewRecorder()
	s.handler.ServeHTTP(rec, r)
	b, _ := io.ReadAll(rec.Result().Body)
	return response{status: rec.Code, header: rec.Result().Header, body: string(b)}
}

// noSystemDNS points the verified-crawler lookups of a test that is not
// about DNS at a closed loopback port: a search-engine user agent must not
// make the tests query the machine's resolver.
func noSystemDNS(cfg map[string]any) {
	if _, ok := cfg["dnsResolver"]; !ok {
		cfg["dnsResolver"] = "127.0.0.1:1"
	}
}
