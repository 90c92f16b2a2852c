package e2e

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/assets"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// Languages, themes and custom templates through a real Traefik, on a
// Traefik of its own (the template directory must exist before it starts).

var (
	e2eHTMLTag   = regexp.MustCompile(`<html lang="([^"]*)" dir="([^"]*)"(?: data-theme="([^"]*)")?>`)
	e2eLangLinks = regexp.MustCompile(`<li><a href="([^"]*)" lang="([^"]*)"`)
)

// customTextTemplate is a replacement text challenge page.
const customTextTemplate = `{{template "head" .}}<main><h1>E2E-CUSTOM {{.T.challenge_heading}}</h1>
<form method="post" action="{{.Action}}"><input type="hidden" name="ct" value="{{.Token}}">
<img src="{{.Image}}" alt="{{.T.text_alt}}"><label for="tc">{{.T.text_label}}</label>
<input id="tc" name="tc"><button>{{.T.button_continue}}</button></form>
{{template "footer" .}}`

func TestLanguagesThemesTemplatesThroughTraefik(t *testing.T) {
	skipWithoutTraefik(t)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "captcha_text.html"), []byte(customTextTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	inst := traefiktest.Start(t, traefiktest.Options{Config: traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "lang", Rule: "PathPrefix(`/`)", Plugin: pluginConfig(map[string]any{
			"defaultLanguage": "fr",
			"templateDirs":    map[string]any{"/custom/*": dir},
		})},
	}}})
	hc := traefiktest.Client("")
	get := func(t *testing.T, path string, hdr map[string]string) response {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, inst.URL(path), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("User-Agent", userAgent)
		req.Header.Set("Accept", "text/html,*/*")
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		r := response{status: resp.StatusCode, header: resp.Header, body: string(b), cookie: map[string]string{}}
		for _, c := range resp.Cookies() {
			r.cookie[c.Name] = c.Value
		}
		return r
	}
	htmlTag := func(t *testing.T, r response) []string {
		t.Helper()
		m := e2eHTMLTag.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no <html lang dir>: %s", r)
		}
		return m[1:]
	}

	t.Run("language", func(t *testing.T) {
		for _, c := range []struct{ accept, want string }{
			{"de-AT,de;q=0.9,en;q=0.5", "de"},
			{"en;q=0.1, ja;q=0.9", "ja"},
			{"zh-TW", "zh-Hant"},
			{"", "fr"},
		} {
			r := get(t, "/page", map[string]string{"Accept-Language": c.accept})
			mustChallenge(t, "Accept-Language "+c.accept, r)
			if got := htmlTag(t, r); got[0] != c.want {
				t.Errorf("Accept-Language %q: lang %q, want %q", c.accept, got[0], c.want)
			}
		}
		r := get(t, "/page?language=ar&theme=dark", nil)
		mustChallenge(t, "language=ar", r)
		if got := htmlTag(t, r); got[0] != "ar" || got[1] != "rtl" || got[2] != "dark" {
			t.Errorf("?language=ar&theme=dark: %v", got)
		}
		if r.cookie["captcha_language"] != "ar" || r.cookie["captcha_theme"] != "dark" {
			t.Errorf("cookies %v, want captcha_language=ar and captcha_theme=dark", r.cookie)
		}
		r = get(t, "/other", map[string]string{"Cookie": "captcha_language=he; captcha_theme=light", "Accept-Language": "de"})
		if got := htmlTag(t, r); got[0] != "he" || got[1] != "rtl" || got[2] != "light" {
			t.Errorf("cookies he/light: %v", got)
		}
	})

	t.Run("change-language page", func(t *testing.T) {
		r := get(t, "/_captchaify/language?return=/page%3Fx%3D1", map[string]string{"Accept-Language": "de"})
		if r.status != http.StatusOK || r.header.Get(traefiktest.BackendHeader) != "" {
			t.Fatalf("language page: %s", r)
		}
		links := e2eLangLinks.FindAllStringSubmatch(r.body, -1)
		if len(links) != len(assets.Languages) {
			t.Fatalf("%d languages listed, want %d", len(links), len(assets.Languages))
		}
		for _, l := range links {
			if got := html.UnescapeString(l[1]); got != "/page?x=1&language="+l[2] {
				t.Errorf("link %q", got)
			}
		}
		// "//evil.example" folds into the path /evil.example, as asRoute's return does.
		r = get(t, "/_captchaify/language?return=//evil.example&q="+url.QueryEscape("deut"), nil)
		links = e2eLangLinks.FindAllStringSubmatch(r.body, -1)
		if len(links) != 1 || links[0][2] != "de" || html.UnescapeString(links[0][1]) != "/evil.example?language=de" {
			t.Errorf("search deut with an off-site return: %v", links)
		}
	})

	t.Run("custom template", func(t *testing.T) {
		v := newVisitor(t, inst, 61)
		page := v.get("/custom/x?k=1")
		c := mustChallenge(t, "custom page", page)
		if !strings.Contains(page.body, "E2E-CUSTOM") {
			t.Fatalf("want the custom template: %s", page)
		}
		if got := htmlTag(t, page); got[0] != "fr" {
			t.Errorf("custom page in %q, want the default fr", got[0])
		}
		r := v.post(c.action, url.Values{"ct": {c.ct}, "tc": {answer(t, c.ct)}})
		if r.status != http.StatusSeeOther || locationPath(t, r) != "/custom/x?k=1" {
			t.Fatalf("solving the custom page: %s", r)
		}
		mustBackend(t, "after solving", v.get("/custom/x?k=1", cookie(r.cookie["captcha"])), "/custom/x?k=1")
		// Elsewhere: the built-in page.
		if other := v.get("/elsewhere"); strings.Contains(other.body, "E2E-CUSTOM") {
			t.Errorf("/elsewhere got the custom template")
		}
		// The directory lacks the other pages: one warning names them.
		if log := inst.Log(); !strings.Contains(log, "has no captcha_oneclick.html") || !strings.Contains(log, "templateDirs[/custom/*]") {
			t.Errorf("Traefik's log lacks the warning about the missing templates")
		}
	})
}
