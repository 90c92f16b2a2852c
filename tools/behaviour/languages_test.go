package behaviour

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/assets"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// Languages, the change-language page and themes (README "Languages",
// "Themes").

// langString is what a page in code shows for key: the translation, or
// English where the translation lacks it.
func langString(code, key string) string {
	var en string
	for i, text := range assets.Languages {
		kv := map[string]string{}
		for _, line := range strings.Split(text, "\n") {
			if j := strings.IndexByte(line, '='); j > 0 {
				kv[strings.TrimSpace(line[:j])] = strings.TrimSpace(line[j+1:])
			}
		}
		if i == 0 {
			en = kv[key]
		}
		if kv["code"] == code {
			if v, ok := kv[key]; ok && v != "" {
				return v
			}
			return en
		}
	}
	return en
}

var htmlTag = regexp.MustCompile(`<html lang="([^"]*)" dir="([^"]*)"(?: data-theme="([^"]*)")?>`)

// pageLang returns the lang, dir and theme of a page's <html> tag.
func pageLang(t *testing.T, res response) (lang, dir, theme string) {
	t.Helper()
	m := htmlTag.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("page without <html lang dir>: %.300s", res.body)
	}
	return m[1], m[2], m[3]
}

// mustShow fails unless the page shows the string key of language code.
func mustShow(t *testing.T, res response, code, key string) {
	t.Helper()
	want := langString(code, key)
	if !strings.Contains(html.UnescapeString(res.body), want) {
		t.Errorf("page lacks %s's %s %q", code, key, want)
	}
}

func setCookies(res response) string {
	return strings.Join(res.header.Values("Set-Cookie"), "\n")
}

func TestLanguageChoice(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultLanguage": "es"})
		v := browser("198.51.100.120")
		cases := []struct {
			name, target, cookie, accept, want, dir string
		}{
			{"default", "/", "", "", "es", "ltr"},
			{"header", "/", "", "de-AT,de;q=0.9", "de", "ltr"},
			{"q-values", "/", "", "en;q=0.2, ja;q=0.8, xx", "ja", "ltr"},
			{"zh-TW", "/", "", "zh-TW,zh;q=0.9", "zh-Hant", "ltr"},
			{"zh-CN", "/", "", "zh-CN", "zh-Hans", "ltr"},
			{"no", "/", "", "no", "nb", "ltr"},
			{"unknown header", "/", "", "xx-YY, tlh", "es", "ltr"},
			{"cookie", "/", "captcha_language=ar", "de", "ar", "rtl"},
			{"argument", "/?language=he", "captcha_language=ar", "de", "he", "rtl"},
			{"bad argument", "/?language=%3Cx%3E", "captcha_language=fa", "", "fa", "rtl"},
		}
		for _, c := range cases {
			w := *v
			w.cookie = c.cookie
			res := s.getWith(t, &w, c.target, map[string]string{"Accept-Language": c.accept})
			mustChallenge(t, res)
			lang, dir, _ := pageLang(t, res)
			if lang != c.want || dir != c.dir {
				t.Errorf("%s: lang=%q dir=%q, want %q %q", c.name, lang, dir, c.want, c.dir)
			}
			mustShow(t, res, c.want, "challenge_heading")
			mustShow(t, res, c.want, "text_label")
			if strings.Contains(res.body, "<x>") {
				t.Errorf("%s: the argument is reflected unescaped", c.name)
			}
		}
	})
}

func TestLanguageArgumentSetsCookie(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.121")
		page := s.get(t, v, "/page?language=fr&x=1")
		mustChallenge(t, page)
		if c := setCookies(page); !strings.Contains(c, "captcha_language=fr") || !strings.Contains(c, "Path=/") {
			t.Errorf("Set-Cookie %q: want captcha_language=fr", c)
		}
		if lang, _, _ := pageLang(t, page); lang != "fr" {
			t.Errorf("lang %q, want fr", lang)
		}
		// The answer keeps the language; after solving, withoutOtherArgs
		// (default) drops it from the redirect: the cookie remembers it.
		done := s.solveFor(t, v, page)
		if loc := done.header.Get("Location"); loc != "/page?x=1" {
			t.Errorf("after solving: Location %q, want /page?x=1", loc)
		}
		// No cookie for a page without the argument.
		if c := setCookies(s.get(t, browser("198.51.100.122"), "/")); strings.Contains(c, "captcha_language") {
			t.Errorf("Set-Cookie %q without a language argument", c)
		}

		// withoutOtherArgs off: the choice stays in the URL.
		s2 := newSite(t, f, map[string]any{"defaultAction": "fight", "withoutOtherArgs": false})
		v2 := browser("198.51.100.123")
		done = s2.solveFor(t, v2, s2.get(t, v2, "/page?language=fr&theme=dark"))
		if loc := done.header.Get("Location"); loc != "/page?language=fr&theme=dark" {
			t.Errorf("withoutOtherArgs off: Location %q", loc)
		}

		// withoutCookies: no cookie, the argument alone carries the choice.
		s3 := newSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true})
		page = s3.get(t, browser("198.51.100.124"), "/?language=fr&theme=dark")
		if c := setCookies(page); c != "" {
			t.Errorf("withoutCookies: Set-Cookie %q", c)
		}
		if lang, _, theme := pageLang(t, page); lang != "fr" || theme != "dark" {
			t.Errorf("withoutCookies: lang %q theme %q", lang, theme)
		}
	})
}

func TestDefaultLanguageValidated(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		_, err := build(f, map[string]any{"defaultLanguage": "tlh"}, uniqueName())
		if err == nil || !strings.Contains(err.Error(), "defaultLanguage") {
			t.Errorf("unknown defaultLanguage: %v, want an error naming the option", err)
		}
	})
}

var langLinks = regexp.MustCompile(`<li><a href="([^"]*)" lang="([^"]*)" hreflang="[^"]*" dir="(ltr|rtl)"(?: aria-current="true")?>([^<]*)</a></li>`)

func TestChangeLanguagePage(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.125")

		// The challenge page links to it, with the page as return path.
		page := s.getWith(t, v, "/shop/item?id=7", map[string]string{"Accept-Language": "de"})
		mustChallenge(t, page)
		if !strings.Contains(page.body, `href="/_captchaify/language?return=/shop/item%3Fid%3D7"`) {
			t.Errorf("challenge page lacks the change-language link: %.2000s", page.body)
		}

		res := s.getWith(t, v, "/_captchaify/language?return=/shop/item%3Fid%3D7", map[string]string{"Accept-Language": "de"})
		if res.status != http.StatusOK || res.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("language page: %d %q", res.status, res.header.Get("Cache-Control"))
		}
		if lang, _, _ := pageLang(t, res); lang != "de" {
			t.Errorf("language page in %q, want the visitor's de", lang)
		}
		links := langLinks.FindAllStringSubmatch(res.body, -1)
		if len(links) != len(assets.Languages) || len(links) < 41 {
			t.Fatalf("%d languages listed, want %d (>= 41)", len(links), len(assets.Languages))
		}
		for _, l := range links {
			code := l[2]
			if want := "/shop/item?id=7&amp;language=" + code; l[1] != want {
				t.Errorf("%s: link %q, want %q", code, l[1], want)
			}
			if name := html.UnescapeString(l[4]); name != langString(code, "name") || name == "" {
				t.Errorf("%s: shown as %q, want its native name %q", code, name, langString(code, "name"))
			}
			if (code == "ar" || code == "he" || code == "fa" || code == "ur") != (l[3] == "rtl") {
				t.Errorf("%s: dir %s", code, l[3])
			}
		}
		if !strings.Contains(res.body, `lang="de" hreflang="de" dir="ltr" aria-current="true"`) {
			t.Errorf("the current language is not marked")
		}
		if s.reached != 0 {
			t.Errorf("the language page reached the site")
		}

		// Following a link: the page in that language, cookie set.
		back := s.get(t, v, "/shop/item?id=7&language=ja")
		if lang, _, _ := pageLang(t, back); lang != "ja" || !strings.Contains(setCookies(back), "captcha_language=ja") {
			t.Errorf("after choosing ja: lang %q, Set-Cookie %q", lang, setCookies(back))
		}
	})
}

func TestChangeLanguageSearch(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.126")
		codes := func(res response) []string {
			var out []string
			for _, l := range langLinks.FindAllStringSubmatch(res.body, -1) {
				out = append(out, l[2])
			}
			return out
		}
		for _, c := range []struct{ q, want string }{
			{"deu", "de"}, {"GERMAN", "de"}, {"日本", "ja"}, {"zh-hant", "zh-Hant"}, {"العربية", "ar"}, {"norw", "nb"},
		} {
			res := s.get(t, v, "/_captchaify/language?return=/a&q="+urlQuery(c.q))
			got := codes(res)
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("search %q: %v, want [%s]", c.q, got, c.want)
			}
			if !strings.Contains(res.body, `href="/_captchaify/language?return=/a"`) {
				t.Errorf("search %q: no link to show all languages", c.q)
			}
		}
		res := s.get(t, v, "/_captchaify/language?return=/a&q="+urlQuery(`"><script>alert(1)</script>`))
		if len(codes(res)) != 0 || !strings.Contains(res.body, langString("en", "language_no_match")) {
			t.Errorf("a search without match: want no language and the no-match line")
		}
		if strings.Contains(res.body, "<script>") || !strings.Contains(res.body, `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
			t.Errorf("the search is not escaped where it is reflected")
		}
		// The form is a GET form carrying the return path.
		if !strings.Contains(res.body, `<form class="search" method="get" action="/_captchaify/language"`) ||
			!strings.Contains(res.body, `<input type="hidden" name="return" value="/a">`) {
			t.Errorf("search form missing or not a GET form with the return path")
		}
		// POST is refused.
		if res := s.post(t, v, "/_captchaify/language", nil); res.status != http.StatusMethodNotAllowed {
			t.Errorf("POST: %d, want 405", res.status)
		}
	})
}

func urlQuery(s string) string { return url.QueryEscape(s) }

func TestChangeLanguageReturnStaysOnSite(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.127")
		for _, ret := range []string{
			"//evil.example/x", "https://evil.example/", "/\\evil.example", "/%09/evil.example", "javascript:alert(1)",
			"/_captchaify/language?return=//evil.example", "\x00", "",
		} {
			res := s.get(t, v, "/_captchaify/language?return="+urlQuery(ret))
			links := langLinks.FindAllStringSubmatch(res.body, -1)
			if len(links) == 0 {
				t.Fatalf("return %q: no languages listed", ret)
			}
			for _, l := range links {
				mustStayOnSite(t, "language link for return "+ret, html.UnescapeString(l[1]))
			}
			if strings.Contains(res.body, "evil.example") && !strings.Contains(html.UnescapeString(res.body), "/evil.example") {
				t.Errorf("return %q: evil.example reflected as a host", ret)
			}
		}
		// A path that merely looks odd survives as a path on this site.
		res := s.get(t, v, "/_captchaify/language?return=/a/%22b%22%3Fx%3D%3Cy%3E")
		for _, l := range langLinks.FindAllStringSubmatch(res.body, -1) {
			mustStayOnSite(t, "language link", html.UnescapeString(l[1]))
		}
		if strings.Contains(res.body, "<y>") {
			t.Errorf("return path reflected unescaped")
		}
	})
}

func TestThemes(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.128")

		// No choice: no data-theme, both links, the CSS follows the system.
		res := s.get(t, v, "/p?a=1")
		if _, _, theme := pageLang(t, res); theme != "" {
			t.Errorf("no choice: data-theme %q", theme)
		}
		for _, want := range []string{`class="to-dark" href="/p?a=1&amp;theme=dark"`, `class="to-light" href="/p?a=1&amp;theme=light"`, "prefers-color-scheme:dark"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("no choice: page lacks %q", want)
			}
		}

		res = s.get(t, v, "/p?a=1&theme=dark")
		if _, _, theme := pageLang(t, res); theme != "dark" {
			t.Errorf("theme=dark: data-theme %q", theme)
		}
		if c := setCookies(res); !strings.Contains(c, "captcha_theme=dark") {
			t.Errorf("theme=dark: Set-Cookie %q", c)
		}
		if strings.Contains(res.body, `class="to-dark"`) || !strings.Contains(res.body, `class="to-light" href="/p?a=1&amp;theme=light"`) {
			t.Errorf("dark page: want only the link to the light theme")
		}

		w := *v
		w.cookie = "captcha_theme=light"
		res = s.get(t, &w, "/p")
		if _, _, theme := pageLang(t, res); theme != "light" {
			t.Errorf("cookie light: data-theme %q", theme)
		}
		w.cookie = "captcha_theme=%22%3E%3Cscript%3E"
		res = s.get(t, &w, "/p?theme=%3Cscript%3E")
		if _, _, theme := pageLang(t, res); theme != "" || strings.Contains(res.body, "<script>") {
			t.Errorf("bad theme: data-theme %q", theme)
		}

		// The blocked, rate-limited and language pages carry the theme too.
		lim := newSite(t, f, map[string]any{"defaultRateLimit": 1})
		lim.get(t, v, "/?theme=dark")
		res = lim.get(t, v, "/?theme=dark&language=ar")
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("want 429, got %d", res.status)
		}
		if lang, dir, theme := pageLang(t, res); lang != "ar" || dir != "rtl" || theme != "dark" {
			t.Errorf("rate-limited page: %s %s %s", lang, dir, theme)
		}
		mustShow(t, res, "ar", "ratelimited_heading")
		if !strings.Contains(html.UnescapeString(res.body), strings.ReplaceAll(langString("ar", "ratelimited_text"), "{seconds}", res.header.Get("Retry-After"))) {
			t.Errorf("rate-limited page: the text with its seconds is missing")
		}
		res = s.get(t, v, "/_captchaify/language?return=/&theme=dark")
		if _, _, theme := pageLang(t, res); theme != "dark" {
			t.Errorf("language page: theme %q", theme)
		}
	})
}

func TestBlockedPageTranslated(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "block"})
		v := &visitor{ip: "198.51.100.129", ua: "curl/8.0"}
		res := s.getWith(t, v, "/", map[string]string{"Accept-Language": "he"})
		if res.status != http.StatusForbidden {
			t.Fatalf("want 403, got %d", res.status)
		}
		if lang, dir, _ := pageLang(t, res); lang != "he" || dir != "rtl" {
			t.Errorf("blocked page: lang %q dir %q", lang, dir)
		}
		mustShow(t, res, "he", "blocked_heading")
		mustShow(t, res, "he", "blocked_suspicious")
	})
}

// Everything the request brings that a page shows is escaped.
func TestPagesEscapeReflectedValues(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.130")
		evil := `/p'"><script>alert(1)</script>?q='"><img%20src=x%20onerror=alert(1)>&language=<b>&theme="><i>`
		res := s.getWith(t, v, evil, map[string]string{"Accept-Language": `"><script>x</script>`})
		mustChallenge(t, res)
		for _, bad := range []string{"<script>", "<img src=x", "<b>", "<i>", `'">`} {
			if strings.Contains(res.body, bad) {
				t.Errorf("challenge page reflects %q unescaped", bad)
			}
		}
	})
}
