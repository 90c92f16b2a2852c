package e2e

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/traefiktest"
)

// Pages through a real Traefik: asRoute, withoutCookies link rewriting,
// crawler hints, and responses that stream through the plugin's response
// filter (which Traefik's proxy cannot flush under Yaegi, yaegi#1600).
// These run on a Traefik of their own, with a backend that serves HTML,
// gzip and streamed pages.

// pagesBackend serves, under any prefix:
//
//	…/links.html   a page with links of every kind (absolute ones to r.Host)
//	…/gz.html      the same page gzip-encoded; X-Seen-Accept-Encoding echoes the request's
//	…/stream.html  HTML in two parts, the second only after release(id)
//	…/events       server-sent events, likewise
//	…/article.html a page with a title, description, Open Graph tags and canonical link
//	anything else  text/plain "backend <request URI>"
type pagesBackend struct {
	mu       sync.Mutex
	releases map[string]chan struct{}
}

func (b *pagesBackend) wait(id string) {
	b.mu.Lock()
	ch := b.releases[id]
	b.mu.Unlock()
	if ch == nil {
		return
	}
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
	}
}

// hold makes the next streamed response with this id wait for the returned release.
func (b *pagesBackend) hold(id string) func() {
	ch := make(chan struct{})
	b.mu.Lock()
	b.releases[id] = ch
	b.mu.Unlock()
	var once sync.Once
	return func() { once.Do(func() { close(ch) }) }
}

func linksPage(host string) string {
	return `<!DOCTYPE html><html><head><title>Links</title></head><body>
<a href="/rw/next.html">next</a> <a href="http://` + host + `/rw/abs?x=1&amp;y=2#f">abs</a>
<a href="https://other.example/">other</a> <a href="#top">top</a> <a href="mailto:a@example.com">mail</a>
<form action="/rw/search"><input name="q"></form></body></html>
`
}

const articlePage = `<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Pages &amp; Traefik</title>
<meta name="description" content="An article &quot;seen&quot; through Traefik">
<meta property="og:title" content="Pages">
<link rel="canonical" href="https://example.com/article">
</head><body>Body text.</body></html>
`

func (b *pagesBackend) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set(traefiktest.BackendHeader, "1")
	p := r.URL.Path
	switch {
	case strings.HasSuffix(p, "/links.html"):
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(rw, linksPage(r.Host))
	case strings.HasSuffix(p, "/gz.html"):
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		rw.Header().Set("Content-Encoding", "gzip")
		rw.Header().Set("X-Seen-Accept-Encoding", r.Header.Get("Accept-Encoding"))
		zw := gzip.NewWriter(rw)
		io.WriteString(zw, linksPage(r.Host))
		zw.Close()
	case strings.HasSuffix(p, "/stream.html"), strings.HasSuffix(p, "/events"):
		first, second := `<html><body><a href="/rw/one">one</a>`, `<a href="/rw/two">two</a></body></html>`
		rw.Header().Set("Content-Type", "text/html")
		if strings.HasSuffix(p, "/events") {
			first, second = "data: one\n\n", "data: two\n\n"
			rw.Header().Set("Content-Type", "text/event-stream")
		}
		io.WriteString(rw, first)
		http.NewResponseController(rw).Flush()
		b.wait(r.URL.Query().Get("id"))
		io.WriteString(rw, second)
	case strings.HasSuffix(p, "/article.html"):
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(rw, articlePage)
	default:
		rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(rw, "%s%s\n", traefiktest.BackendBodyPrefix, r.URL.RequestURI())
	}
}

// pagesClient talks to the pages Traefik from 127.0.0.1.
type pagesClient struct {
	t    *testing.T
	inst *traefiktest.Instance
	hc   *http.Client
	ua   string
}

func (c *pagesClient) get(path string, hdr ...string) response {
	c.t.Helper()
	return c.do(http.MethodGet, path, nil, hdr...)
}

func (c *pagesClient) do(method, path string, form url.Values, hdr ...string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.inst.URL(path), body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("User-Agent", c.ua)
	req.Header.Set("Accept", "text/html,*/*")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: string(data), cookie: map[string]string{}}
	for _, ck := range resp.Cookies() {
		r.cookie[ck.Name] = ck.Value
	}
	return r
}

// solvePage answers the challenge page r and returns the 303.
func (c *pagesClient) solvePage(r response, cookies ...string) response {
	c.t.Helper()
	ch := mustChallenge(c.t, "challenge", r)
	res := c.do(http.MethodPost, ch.action, url.Values{"ct": {ch.ct}, "tc": {answer(c.t, ch.ct)}}, cookies...)
	if res.status != http.StatusSeeOther {
		c.t.Fatalf("POST the answer to %s: want 303, got %s", ch.action, res)
	}
	return res
}

func pagesConfig(extra map[string]any) map[string]any {
	c := map[string]any{
		"secret":                secret,
		"defaultAction":         "fight",
		"defaultCaptchaType":    "text",
		"defaultRateLimit":      0,
		"defaultMaxRateLimit":   0,
		"allowVerifiedCrawlers": false, // never query the machine's resolver
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

func TestPagesThroughTraefik(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik end-to-end tests skipped")
	}
	backend := &pagesBackend{releases: map[string]chan struct{}{}}
	inst := traefiktest.Start(t, traefiktest.Options{
		Backend: backend,
		Config: traefiktest.Config{Routes: []traefiktest.Route{
			{Name: "ar", Rule: "PathPrefix(`/ar/`)", Plugin: pagesConfig(map[string]any{"asRoute": true, "routePrefix": "/ar/_captchaify/"})},
			{Name: "arl", Rule: "PathPrefix(`/arl/`)", Plugin: pagesConfig(map[string]any{
				"asRoute": "true", "routePrefix": "/arl/_captchaify/", "defaultAction": "allow", "defaultRateLimit": "2"})},
			{Name: "rw", Rule: "PathPrefix(`/rw/`)", Plugin: pagesConfig(map[string]any{"withoutCookies": true})},
			{Name: "hints", Rule: "PathPrefix(`/hints/`)", Plugin: pagesConfig(nil)},
			{Name: "live", Rule: "PathPrefix(`/live/`)", Plugin: pagesConfig(map[string]any{"defaultAction": "allow"})},
		}},
	})
	client := func(ua string) *pagesClient {
		return &pagesClient{t: t, inst: inst, hc: traefiktest.Client(""), ua: ua}
	}

	t.Run("asRoute", func(t *testing.T) {
		c := client(userAgent)
		c.t = t
		r := c.get("/ar/orig?q=1")
		if r.status != http.StatusFound || r.header.Get("Location") != "/ar/_captchaify/challenge?return=/ar/orig%3Fq%3D1" {
			t.Fatalf("want a 302 to the challenge route, got %s", r)
		}
		if isChallenge(r) || r.header.Get(traefiktest.BackendHeader) != "" {
			t.Errorf("the real URL answered with a page: %s", r)
		}
		page := c.get(r.header.Get("Location"))
		done := c.solvePage(page)
		if got := done.header.Get("Location"); got != "/ar/orig?q=1" {
			t.Errorf("after solving: Location %q", got)
		}
		mustBackend(t, "return path with the pass", c.get("/ar/orig?q=1", "Cookie", "captcha="+done.cookie["captcha"]), "/ar/orig?q=1")
		for _, ret := range []string{"//evil.example/", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example", "/\t/evil.example"} {
			page := c.get("/ar/_captchaify/challenge?return=" + url.QueryEscape(ret))
			loc := c.solvePage(page).header.Get("Location")
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.Contains(loc, "://") {
				t.Errorf("return %q: sent to %q", ret, loc)
			}
		}
	})

	t.Run("asRoute rate limited", func(t *testing.T) {
		c := client(userAgent)
		c.t = t
		c.get("/arl/a")
		c.get("/arl/a")
		r := c.get("/arl/a")
		if r.status != http.StatusFound || !strings.HasPrefix(r.header.Get("Location"), "/arl/_captchaify/rate-limited?return=/arl/a") {
			t.Fatalf("over the limit: %s", r)
		}
		if p := c.get(r.header.Get("Location")); p.status != http.StatusTooManyRequests || p.header.Get("Retry-After") == "" {
			t.Errorf("the rate-limited route: %s", p)
		}
	})

	// withoutCookies: solve, then every same-site link of the site's pages carries the pass.
	var token string
	t.Run("withoutCookies rewriting", func(t *testing.T) {
		c := client(userAgent)
		c.t = t
		done := c.solvePage(c.get("/rw/links.html"))
		loc := done.header.Get("Location")
		u, _ := url.Parse(loc)
		if token = u.Query().Get("captcha"); token == "" || len(done.cookie) != 0 {
			t.Fatalf("withoutCookies: Location %q, cookies %v", loc, done.cookie)
		}
		r := c.get(loc)
		host := strings.TrimPrefix(inst.BaseURL, "http://")
		want := strings.NewReplacer(
			`href="/rw/next.html"`, `href="/rw/next.html?captcha=`+token+`"`,
			`href="http://`+host+`/rw/abs?x=1&amp;y=2#f"`, `href="http://`+host+`/rw/abs?x=1&amp;y=2&amp;captcha=`+token+`#f"`,
			`<form action="/rw/search">`, `<form action="/rw/search"><input type="hidden" name="captcha" value="`+token+`">`,
		).Replace(linksPage(host))
		if r.body != want {
			t.Fatalf("rewritten page:\n%s\nwant:\n%s", r.body, want)
		}
		// Following a rewritten link and submitting the form work without a cookie.
		next := regexp.MustCompile(`href="(/rw/next\.html[^"]*)"`).FindStringSubmatch(r.body)[1]
		mustBackend(t, "a rewritten link", c.get(html.UnescapeString(next)), "/rw/next.html")
		mustBackend(t, "the GET form", c.get("/rw/search?captcha="+token+"&q=fish"), "/rw/search?q=fish")

		// gzip: offered only what can be rewritten, answered in gzip, rewritten.
		g := c.get("/rw/gz.html?captcha="+token, "Accept-Encoding", "gzip, deflate, br, zstd")
		if seen := g.header.Get("X-Seen-Accept-Encoding"); seen != "gzip, deflate" {
			t.Errorf("the backend was offered %q", seen)
		}
		zr, err := gzip.NewReader(strings.NewReader(g.body))
		if err != nil || g.header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("gzip page: %v %v", err, g.header)
		}
		plain, _ := io.ReadAll(zr)
		if string(plain) != want {
			t.Errorf("gzip page rewritten to:\n%s", plain)
		}
	})

	// Streaming through Traefik's proxy and the plugin's response filter.
	stream := func(t *testing.T, path, want string) {
		id := fmt.Sprint(time.Now().UnixNano())
		release := backend.hold(id)
		defer release()
		req, _ := http.NewRequest(http.MethodGet, inst.URL(path+"id="+id), nil)
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Accept", "text/html")
		got := make(chan string, 1)
		go func() {
			resp, err := traefiktest.Client("").Do(req)
			if err != nil {
				got <- "error: " + err.Error()
				return
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			var b []byte
			for !bytes.Contains(b, []byte(want)) {
				c, err := br.ReadByte()
				if err != nil {
					break
				}
				b = append(b, c)
			}
			got <- string(b)
			io.Copy(io.Discard, br)
		}()
		select {
		case s := <-got:
			if !strings.Contains(s, want) {
				t.Errorf("%s: first part %q lacks %q", path, s, want)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s: %q did not arrive while the backend held the rest: the stream was not flushed", path, want)
		}
	}
	t.Run("streaming", func(t *testing.T) {
		if token == "" {
			t.Skip("no pass from the rewriting test")
		}
		stream(t, "/rw/stream.html?captcha="+token+"&", `<a href="/rw/one?captcha=`+token+`">one</a>`)
		stream(t, "/rw/events?captcha="+token+"&", "data: one\n\n")
		stream(t, "/live/stream.html?", `<a href="/rw/one">one</a>`)
	})

	t.Run("crawler hints", func(t *testing.T) {
		person := client(userAgent)
		person.t = t
		done := person.solvePage(person.get("/hints/"))
		r := person.get("/hints/article.html", "Cookie", "captcha="+done.cookie["captcha"])
		if r.body != articlePage {
			t.Fatalf("the person's page changed: %s", r)
		}
		bot := client("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
		bot.t = t
		page := bot.get("/hints/article.html")
		mustChallenge(t, "Googlebot", page)
		for _, want := range []string{
			"<title>Pages &amp; Traefik</title>",
			`<meta name="description" content="An article &#34;seen&#34; through Traefik">`,
			`<meta property="og:title" content="Pages">`,
			`<link rel="canonical" href="https://example.com/article">`,
		} {
			if !strings.Contains(page.body, want) {
				t.Errorf("Googlebot's challenge lacks %s", want)
			}
		}
	})

	t.Run("no plugin errors", func(t *testing.T) {
		inst.AssertNoPluginErrors(t)
	})
}
