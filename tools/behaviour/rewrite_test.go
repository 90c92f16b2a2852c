package behaviour

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// withoutCookies link rewriting: a visitor who passed with the `captcha`
// URL argument finds it in every same-site link and form of the site's HTML.

// rewritePage has links of every kind; wantRewritten is it rewritten for T.
const rewritePage = `<!DOCTYPE html>
<html><head><title>Shop</title><base href="/"></head>
<body>
<a href="/a">a</a> <a href='b?x=1&amp;y=2#frag'>b</a> <a href=/c>c</a>
<a href="http://example.com/d">d</a> <a href="https://other.example/e">e</a>
<a href="#top">top</a> <a href="mailto:x@example.com">mail</a> <a href="javascript:void(0)">js</a>
<a title='say "hi"' href="/f?captcha=stale">f</a>
<!-- <a href="/in-comment"> --><script>document.write('<a href="/in-script">')</script>
<form action="/search"><input name="q"></form>
<form method="post" action="/buy"><button formaction="/buy2">buy</button></form>
<form action="https://other.example/s"><input name="q"></form>
</body></html>
`

func wantRewritten(tok string) string {
	r := strings.NewReplacer(
		`href="/a"`, `href="/a?captcha=`+tok+`"`,
		`href='b?x=1&amp;y=2#frag'`, `href='b?x=1&amp;y=2&amp;captcha=`+tok+`#frag'`,
		`href=/c>`, `href="/c?captcha=`+tok+`">`,
		`href="http://example.com/d"`, `href="http://example.com/d?captcha=`+tok+`"`,
		`href="/f?captcha=stale"`, `href="/f?captcha=`+tok+`"`,
		`<form action="/search">`, `<form action="/search"><input type="hidden" name="captcha" value="`+tok+`">`,
		`action="/buy"`, `action="/buy?captcha=`+tok+`"`,
		`formaction="/buy2"`, `formaction="/buy2?captcha=`+tok+`"`,
	)
	return r.Replace(rewritePage)
}

// solveWithoutCookies gets a pass in the URL for v and returns it.
func solveWithoutCookies(t *testing.T, s *site, v *visitor, path string) string {
	t.Helper()
	done := s.solveFor(t, v, s.get(t, v, path))
	loc := done.header.Get("Location")
	u, err := url.Parse(loc)
	if err != nil || u.Query().Get("captcha") == "" {
		t.Fatalf("withoutCookies: Location %q has no pass", loc)
	}
	return u.Query().Get("captcha")
}

func TestRewriteLinksWithoutCookies(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		var seen []string
		backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.URL.RequestURI())
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			rw.Header().Set("Content-Length", strconv.Itoa(len(rewritePage)))
			rw.Header().Set("ETag", `"v1"`)
			io.WriteString(rw, rewritePage)
		})
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true}, backend)
		v := browser("198.51.100.70")
		tok := solveWithoutCookies(t, s, v, "/shop")
		res := s.get(t, v, "http://example.com/shop?captcha="+tok)
		if want := wantRewritten(tok); res.body != want {
			t.Fatalf("rewritten page:\n%s\nwant:\n%s", res.body, want)
		}
		if cl := res.header.Get("Content-Length"); cl != strconv.Itoa(len(res.body)) {
			t.Errorf("Content-Length %q for %d bytes", cl, len(res.body))
		}
		if res.header.Get("Etag") != "" || res.header.Get("Cache-Control") != "private, no-cache" {
			t.Errorf("rewritten page: ETag %q, Cache-Control %q", res.header.Get("Etag"), res.header.Get("Cache-Control"))
		}
		if len(seen) != 1 || strings.Contains(seen[0], "captcha") {
			t.Errorf("the site saw %q (the pass must not reach it)", seen)
		}
		// The rewritten links work: the pass opens the next page.
		next := s.get(t, v, "/a?captcha="+tok)
		if next.status != http.StatusOK || !strings.Contains(next.body, "captcha="+tok) {
			t.Errorf("following a rewritten link: %d", next.status)
		}

		// Without a pass in the URL (or with a forged one) nothing changes.
		for _, target := range []string{"/shop", "/shop?captcha=forged" + tok[:10]} {
			w := &visitor{ip: v.ip, ua: v.ua, cookie: "captcha=" + tok}
			if res := s.get(t, w, target); res.status == http.StatusOK && res.body != rewritePage {
				t.Errorf("%s: page rewritten without a valid URL pass", target)
			}
		}
	})
}

func TestRewriteOnlyHTML(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		body := `<a href="/x">not html</a>`
		for _, ct := range []string{"text/plain", "application/json", "application/xhtml+xml", "text/htmlx", ""} {
			ct := ct
			backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
				rw.Header().Set("Content-Type", ct)
				io.WriteString(rw, body)
			})
			s := pageSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true}, backend)
			v := browser("198.51.100.71")
			tok := solveWithoutCookies(t, s, v, "/")
			if res := s.get(t, v, "/?captcha="+tok); res.body != body {
				t.Errorf("%q: body changed to %q", ct, res.body)
			}
		}
	})
}

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func gunzipped(t *testing.T, b string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("bad gzip: %v", err)
	}
	return string(out)
}

func TestRewriteCompressed(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		var gotAE string
		enc := "gzip"
		backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			gotAE = r.Header.Get("Accept-Encoding")
			rw.Header().Set("Content-Type", "text/html")
			rw.Header().Set("Content-Encoding", enc)
			if enc == "gzip" {
				rw.Write(gzipped(rewritePage))
			} else {
				io.WriteString(rw, "\x1b\x02opaque brotli bytes")
			}
		})
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true}, backend)
		v := browser("198.51.100.72")
		tok := solveWithoutCookies(t, s, v, "/")
		res := s.getWith(t, v, "/?captcha="+tok, map[string]string{"Accept-Encoding": "gzip, deflate, br, zstd"})
		if gotAE != "gzip, deflate" {
			t.Errorf("the site was offered %q, want only what can be rewritten", gotAE)
		}
		if res.header.Get("Content-Encoding") != "gzip" || res.header.Get("Content-Length") != strconv.Itoa(len(res.body)) {
			t.Errorf("headers %v", res.header)
		}
		if got := gunzipped(t, res.body); got != wantRewritten(tok) {
			t.Errorf("gzip page rewritten to:\n%s", got)
		}
		// An encoding the standard library cannot read passes unchanged.
		enc = "br"
		if res := s.get(t, v, "/?captcha="+tok); res.body != "\x1b\x02opaque brotli bytes" || res.header.Get("Content-Encoding") != "br" {
			t.Errorf("br body changed: %q", res.body)
		}
	})
}

func TestRewriteBigBodies(t *testing.T) {
	big := `<a href="/first">` + strings.Repeat("<p>filler text, quite a lot of it.</p>\n", 3<<20/40) + `<a href="/last">`
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		mode := ""
		backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "text/html")
			switch mode {
			case "length":
				rw.Header().Set("Content-Length", strconv.Itoa(len(big)))
				io.WriteString(rw, big)
			case "gzip":
				rw.Header().Set("Content-Encoding", "gzip")
				rw.Write(gzipped(big))
			case "chunked":
				for i := 0; i < len(big); i += 32 << 10 {
					j := i + 32<<10
					if j > len(big) {
						j = len(big)
					}
					io.WriteString(rw, big[i:j])
				}
			}
		})
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true}, backend)
		v := browser("198.51.100.73")
		tok := solveWithoutCookies(t, s, v, "/")

		mode = "length"
		if res := s.get(t, v, "/?captcha="+tok); res.body != big || res.header.Get("Content-Length") != strconv.Itoa(len(big)) {
			t.Errorf("a %d-byte page with a length was changed (%d bytes back)", len(big), len(res.body))
		}
		mode = "gzip"
		if res := s.get(t, v, "/?captcha="+tok); gunzipped(t, res.body) != big {
			t.Errorf("a big gzip page was changed")
		}
		// A streamed page: its first 2 MiB are rewritten as they pass, the rest goes unchanged.
		mode = "chunked"
		res := s.get(t, v, "/?captcha="+tok)
		want := strings.Replace(big, `href="/first"`, `href="/first?captcha=`+tok+`"`, 1)
		if res.body != want {
			t.Errorf("streamed big page: %d bytes, starts %.80q, ends %.40q", len(res.body), res.body, res.body[len(res.body)-40:])
		}
	})
}

// A streamed page keeps flowing through the filter: the visitor sees each
// part as the site sends it, rewritten, under Yaegi too (where the site's
// handler cannot flush through the filter).
func TestRewriteStreamingFlushes(t *testing.T) {
	type part struct{ html, want string }
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, tc := range []struct {
			name, contentType string
			length            bool // a Content-Length: held, then streamed after 100 ms
			parts             []part
		}{
			{"chunked html", "text/html", false, []part{
				{`<html><body><a href="/one">1</a>`, `<a href="/one?captcha=TOK">1</a>`},
				{`<a href="/two">2</a></body></html>`, `<a href="/two?captcha=TOK">2</a>`},
			}},
			{"html with a length", "text/html", true, []part{
				{`<html><body><a href="/one">1</a>`, `<a href="/one?captcha=TOK">1</a>`},
				{`<a href="/two">2</a></body></html>`, `<a href="/two?captcha=TOK">2</a>`},
			}},
			{"server-sent events", "text/event-stream", false, []part{
				{"data: <a href=\"/one\">\n\n", "data: <a href=\"/one\">\n\n"},
				{"data: two\n\n", "data: two\n\n"},
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				release := make(chan struct{})
				backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
					rw.Header().Set("Content-Type", tc.contentType)
					if tc.length {
						rw.Header().Set("Content-Length", strconv.Itoa(len(tc.parts[0].html)+len(tc.parts[1].html)))
					}
					io.WriteString(rw, tc.parts[0].html)
					if fl, ok := rw.(http.Flusher); ok {
						fl.Flush() // compiled: reaches the filter; under Yaegi: never
					}
					select {
					case <-release:
					case <-time.After(10 * time.Second):
					}
					io.WriteString(rw, tc.parts[1].html)
				})
				s := pageSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true}, backend)
				tok, err := captchaify.IssueClearanceToken(secret, "127.0.0.1", browserUA, 3, "subnet")
				if err != nil {
					t.Fatal(err)
				}
				first, rest := streamFirstPart(t, s.handler, "/live?captcha="+tok, strings.ReplaceAll(tc.parts[0].want, "TOK", tok), release)
				if want := strings.ReplaceAll(tc.parts[1].want, "TOK", tok); !strings.Contains(rest, want) {
					t.Errorf("second part: %q, want %q", rest, want)
				}
				if tc.length && strings.HasPrefix(first, "Content-Length:") {
					t.Errorf("a streamed rewritten page kept its Content-Length: %q", first)
				}
			})
		}
	})
}

// withoutOtherArgs is accepted and keeps the post-solve redirect as it is:
// no preference argument (language, theme) exists yet to drop.
func TestWithoutOtherArgsOption(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, v := range []any{true, false, "false"} {
			s := pageSite(t, f, map[string]any{"defaultAction": "fight", "withoutOtherArgs": v}, plainBackend)
			w := browser("198.51.100.74")
			done := s.solveFor(t, w, s.get(t, w, "/p?language=de&theme=dark&k=1"))
			want := "/p?language=de&theme=dark&k=1"
			if v == true {
				want = "/p?k=1" // the language and theme arguments go
			}
			if loc := done.header.Get("Location"); loc != want {
				t.Errorf("withoutOtherArgs %v: Location %q, want %q", v, loc, want)
			}
		}
		if _, err := build(f, map[string]any{"withoutOtherArgs": "perhaps"}, uniqueName()); err == nil {
			t.Errorf("withoutOtherArgs \"perhaps\" accepted")
		}
	})
}

// Random HTML-ish pages are rewritten the same under Yaegi as compiled, and
// never make either panic (a panic in ServeHTTP is a 500).
func TestRewriteRandomPagesSameUnderYaegi(t *testing.T) {
	root, err := pluginload.PluginRoot()
	if err != nil {
		t.Fatal(err)
	}
	yaegi, err := pluginload.Shared(root)
	if err != nil {
		t.Fatal(err)
	}
	tokens := []string{"<a", "<AREA", " href=", "\"", "'", ">", "<!--", "-->", "<script>", "</script>", "<title>", "</title>",
		"/x", "//h", "\\", "?q=1", "#f", "&amp;", "&#63;", "captcha=old", "http://example.com", "https://o.example",
		"<form", " method=post", " action=", "<base href=//o.example/>", "<button formaction=", "<plaintext>",
		"<meta name=description content=", "</head>", " ", "\n", "text", "<", "=", "javascript:"}
	page := ""
	backend := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		io.WriteString(rw, page)
	})
	cfg := func() map[string]any {
		return map[string]any{"defaultAction": "fight", "withoutCookies": true, "defaultRateLimit": 0, "defaultMaxRateLimit": 0}
	}
	sites := []*site{pageSite(t, pluginload.Compiled(), cfg(), backend), pageSite(t, yaegi, cfg(), backend)}
	v := browser("198.51.100.75")
	tok := solveWithoutCookies(t, sites[0], v, "/")
	rnd := rand.New(rand.NewSource(2))
	for n := 0; n < 300; n++ {
		var b strings.Builder
		for k := rnd.Intn(30); k >= 0; k-- {
			b.WriteString(tokens[rnd.Intn(len(tokens))])
		}
		page = b.String()
		compiled := sites[0].navigate(t, v, "/p?captcha="+tok)
		interpreted := sites[1].navigate(t, v, "/p?captcha="+tok)
		if compiled.body != interpreted.body || compiled.status != interpreted.status {
			t.Fatalf("page %q\ncompiled: %d %q\nyaegi:    %d %q", page, compiled.status, compiled.body, interpreted.status, interpreted.body)
		}
	}
}
