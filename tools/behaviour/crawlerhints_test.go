package behaviour

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// crawlerHints: a crawler that gets a challenge sees the title, description,
// Open Graph tags and canonical link of the page, learnt from a normal
// response to a person.

const googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"

const hintedPage = `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Fish &amp; Chips &lt;script&gt;alert(1)&lt;/script&gt;</title>
<meta name="description" content="The best &quot;fish&quot; in town">
<meta property="og:title" content="Fish &amp; Chips">
<meta property="og:image" content="https://example.com/fish.png">
<link rel="canonical" href="https://example.com/fish">
<script>var x = "<title>not this</title>";</script>
</head>
<body><h1>Fish</h1><p>Secret body text.</p></body></html>
`

// hintsSite is a fight site whose /fish serves hintedPage; visitor v has a pass.
func hintsSite(t *testing.T, f pluginload.Factory, cfg map[string]any, backend http.Handler) (*site, *visitor) {
	t.Helper()
	cfg["defaultAction"] = "fight"
	s := pageSite(t, f, cfg, backend)
	v := browser("198.51.100.80")
	page := s.get(t, v, "/")
	if page.status == http.StatusFound { // asRoute
		page = s.get(t, v, page.header.Get("Location"))
	}
	s.solveFor(t, v, page)
	return s, v
}

func mustHints(t *testing.T, page response) {
	t.Helper()
	mustChallenge(t, page)
	for _, want := range []string{
		"<title>Fish &amp; Chips &lt;script&gt;alert(1)&lt;/script&gt;</title>",
		`<meta name="description" content="The best &#34;fish&#34; in town">`,
		`<meta property="og:title" content="Fish &amp; Chips">`,
		`<meta property="og:image" content="https://example.com/fish.png">`,
		`<link rel="canonical" href="https://example.com/fish">`,
	} {
		if !strings.Contains(page.body, want) {
			t.Errorf("crawler's challenge page lacks %s:\n%.1500s", want, page.body)
		}
	}
	if strings.Contains(page.body, "<script>alert") || strings.Contains(page.body, "not this") || strings.Contains(page.body, "Secret body") {
		t.Errorf("the page carries more than the head's hints (or unescaped):\n%.1500s", page.body)
	}
	if strings.Contains(page.body, `content="noindex"`) {
		t.Errorf("a hinted page keeps noindex")
	}
}

func TestCrawlerHints(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s, v := hintsSite(t, f, map[string]any{}, htmlBackend(hintedPage))
		bot := &visitor{ip: "198.51.100.81", ua: googlebot}

		// Before any person saw the page, a crawler gets the plain challenge.
		plain := s.get(t, bot, "/fish")
		mustChallenge(t, plain)
		if strings.Contains(plain.body, "Fish") || !strings.Contains(plain.body, `content="noindex"`) {
			t.Errorf("hints before the page was seen:\n%.600s", plain.body)
		}

		// A person's visit: the response goes through byte for byte.
		res := s.navigate(t, v, "/fish?utm=1")
		if res.status != http.StatusOK || res.body != hintedPage {
			t.Fatalf("the person's page changed: %d\n%s", res.status, res.body)
		}
		mustHints(t, s.get(t, bot, "/fish?other=query"))

		// A person (not a crawler) never gets the hints.
		other := s.get(t, browser("198.51.100.82"), "/fish")
		mustChallenge(t, other)
		if strings.Contains(other.body, "og:title") {
			t.Errorf("a person's challenge page has the hints")
		}
		// Another path has none.
		if p := s.get(t, bot, "/chips"); strings.Contains(p.body, "og:title") {
			t.Errorf("hints of /fish on /chips")
		}
	})
}

func TestCrawlerHintsOff(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s, v := hintsSite(t, f, map[string]any{"crawlerHints": false}, htmlBackend(hintedPage))
		s.navigate(t, v, "/fish")
		if p := s.get(t, &visitor{ip: "198.51.100.83", ua: googlebot}, "/fish"); strings.Contains(p.body, "og:title") {
			t.Errorf("crawlerHints false: hints shown")
		}
	})
}

// Only normal, public HTML pages teach hints.
func TestCrawlerHintsOnlyFromPublicHTML(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/plain":
				rw.Header().Set("Content-Type", "text/plain")
			case "/missing":
				rw.Header().Set("Content-Type", "text/html")
				rw.WriteHeader(http.StatusNotFound)
			case "/private":
				rw.Header().Set("Content-Type", "text/html")
				rw.Header().Set("Cache-Control", "private, max-age=0")
			case "/gzip":
				rw.Header().Set("Content-Type", "text/html; charset=utf-8")
				rw.Header().Set("Content-Encoding", "gzip")
				rw.Write(gzipped(hintedPage))
				return
			default:
				rw.Header().Set("Content-Type", "text/html")
			}
			io.WriteString(rw, hintedPage)
		})
		s, v := hintsSite(t, f, map[string]any{}, backend)
		bot := &visitor{ip: "198.51.100.84", ua: googlebot}
		for _, p := range []string{"/plain", "/missing", "/private"} {
			s.navigate(t, v, p)
			if page := s.get(t, bot, p); strings.Contains(page.body, "og:title") {
				t.Errorf("%s: hints learnt", p)
			}
		}
		// A visitor with a session cookie may see a personal page.
		withSession := &visitor{ip: v.ip, ua: v.ua, cookie: v.cookie + "; session=abc"}
		s.navigate(t, withSession, "/account")
		if page := s.get(t, bot, "/account"); strings.Contains(page.body, "og:title") {
			t.Errorf("hints learnt from a visitor with a session")
		}
		// A fetch that does not ask for HTML is not read.
		s.get(t, v, "/api")
		if page := s.get(t, bot, "/api"); strings.Contains(page.body, "og:title") {
			t.Errorf("hints learnt from a request without Accept: text/html")
		}
		// gzip pages are read; the visitor gets the gzip bytes unchanged.
		res := s.navigate(t, v, "/gzip")
		if gunzipped(t, res.body) != hintedPage {
			t.Errorf("gzip page changed")
		}
		mustHints(t, s.get(t, bot, "/gzip"))
	})
}

// Hints belong to the middleware, not to one instance: a reload keeps them.
func TestCrawlerHintsSurviveReload(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		cfg := map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "secret": secret}
		first, err := f.New(t.Context(), htmlBackend(hintedPage), cfg, name)
		if err != nil {
			t.Fatal(err)
		}
		a := &site{t: t, handler: first}
		v := browser("198.51.100.85")
		a.solveFor(t, v, a.get(t, v, "/"))
		a.navigate(t, v, "/fish")

		second, err := f.New(t.Context(), htmlBackend(hintedPage), map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "secret": secret}, name)
		if err != nil {
			t.Fatal(err)
		}
		b := &site{t: t, handler: second}
		mustHints(t, b.get(t, &visitor{ip: "198.51.100.86", ua: googlebot}, "/fish"))
	})
}

// With asRoute, the crawler's challenge on the route carries the return path's hints.
func TestCrawlerHintsAsRoute(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s, v := hintsSite(t, f, map[string]any{"asRoute": true}, htmlBackend(hintedPage))
		s.navigate(t, v, "/fish")
		bot := &visitor{ip: "198.51.100.87", ua: googlebot}
		res := s.get(t, bot, "/fish")
		if res.status != http.StatusFound {
			t.Fatalf("crawler: %d, want 302 to the route", res.status)
		}
		mustHints(t, s.get(t, bot, res.header.Get("Location")))
	})
}

// A streamed page keeps flowing while its head is read (see also
// TestRewriteStreamingFlushes): the capture passes every write on and flushes.
func TestCrawlerHintsStreamingPage(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		release := make(chan struct{})
		backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/html")
			io.WriteString(rw, "<html><head><title>Live</title></head><body>first part")
			<-release
			io.WriteString(rw, " second part</body></html>")
		})
		s := pageSite(t, f, map[string]any{"defaultAction": "allow"}, backend)
		first, rest := streamFirstPart(t, s.handler, "/live", "first part", release)
		if !strings.HasSuffix(first, "first part") || rest != " second part</body></html>" {
			t.Errorf("streamed page: %q then %q", first, rest)
		}
	})
}
