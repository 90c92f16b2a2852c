package behaviour

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// Custom templates (README "Templates"): defaultTemplateDir, templateDirs
// and a rule's template_dir replace built-in pages by file name.

// customText is a text challenge page using the built-in partials; it
// reflects the form URL (which holds the request's query) once more.
const customText = `{{template "head" .}}<main><h1>CUSTOM-{{.Marker}}{{.T.challenge_heading}}</h1>
{{if .Error}}<p>{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}"><input type="hidden" name="ct" value="{{.Token}}">
<img src="{{.Image}}" alt="{{.T.text_alt}}"><label for="tc">{{.T.text_label}}</label><input id="tc" name="tc"><button>{{.T.button_continue}}</button></form>
<p data-action="{{.Action}}">{{.Action}}</p>
{{template "footer" .}}`

// writeTemplates makes a directory holding files (name → content).
func writeTemplates(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func marked(marker string) string { return strings.ReplaceAll(customText, "{{.Marker}}", marker) }

func TestCustomTemplatesLoadedAndFallBack(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		def := writeTemplates(t, map[string]string{
			"captcha_text.html": marked("DEFAULT"),
			"blocked.html":      `<!DOCTYPE html><html lang="{{.Lang}}" dir="{{.Dir}}"><title>{{.Title}}</title><p>CUSTOM-BLOCKED {{.Reason}}</p></html>`,
		})
		api := writeTemplates(t, map[string]string{
			"captcha_text.html":    marked("API"),
			"change_language.html": `{{template "head" .}}<main><p>CUSTOM-LANG</p>{{range .Languages}}<a href="{{.URL}}">{{.Name}}</a>{{end}}{{template "footer" .}}`,
		})
		rule := writeTemplates(t, map[string]string{"captcha_text.html": marked("RULE")})
		s := newSite(t, f, map[string]any{
			"defaultAction":      "fight",
			"defaultTemplateDir": def,
			"templateDirs":       map[string]any{"/api/*": api},
			"rules":              []any{map[string]any{"rule": "path starts with /special", "change": map[string]any{"template_dir": rule}}},
			"defaultRateLimit":   5,
		})
		v := browser("198.51.100.140")
		for path, want := range map[string]string{"/": "CUSTOM-DEFAULT", "/api/x": "CUSTOM-API", "/special/y": "CUSTOM-RULE"} {
			page := s.getWith(t, v, path, map[string]string{"Accept-Language": "fr"})
			mustChallenge(t, page)
			if !strings.Contains(page.body, want) {
				t.Errorf("%s: want the page of %s: %.300s", path, want, page.body)
			}
			if lang, _, _ := pageLang(t, page); lang != "fr" {
				t.Errorf("%s: custom page in %q, want fr", path, lang)
			}
			mustShow(t, page, "fr", "challenge_heading")
		}
		// A custom page works like the built-in one: solve it.
		page := s.get(t, v, "/api/x?k=1")
		done := s.solveFor(t, v, page)
		if loc := done.header.Get("Location"); loc != "/api/x?k=1" {
			t.Errorf("solved through a custom page: Location %q", loc)
		}

		// The language page of a route takes the route's directory.
		res := s.get(t, browser("198.51.100.141"), "/_captchaify/language?return=/api/x")
		if !strings.Contains(res.body, "CUSTOM-LANG") || !strings.Contains(res.body, `href="/api/x?language=de"`) {
			t.Errorf("language page for /api/x: want the custom one: %.300s", res.body)
		}
		res = s.get(t, browser("198.51.100.141"), "/_captchaify/language?return=/")
		if strings.Contains(res.body, "CUSTOM-LANG") || !strings.Contains(res.body, `class="langs"`) {
			t.Errorf("language page for /: want the built-in one")
		}

		// The default directory has no rate_limited.html: the built-in page.
		lim := browser("198.51.100.142")
		var last response
		for i := 0; i < 8; i++ {
			last = s.get(t, lim, "/")
		}
		if last.status != http.StatusTooManyRequests || !strings.Contains(last.body, `class="emoji"`) {
			t.Errorf("rate-limited page: want the built-in one, got %d %.200s", last.status, last.body)
		}

		// blocked.html replaced.
		b := newSite(t, f, map[string]any{"defaultAction": "block", "defaultTemplateDir": def})
		res = b.get(t, &visitor{ip: "198.51.100.143", ua: "curl/8"}, "/")
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "CUSTOM-BLOCKED "+langString("en", "blocked_suspicious")) {
			t.Errorf("blocked: want the custom page with its reason, got %d %.300s", res.status, res.body)
		}
	})
}

func TestCustomTemplateEscapes(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		dir := writeTemplates(t, map[string]string{"captcha_text.html": marked("X")})
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultTemplateDir": dir})
		page := s.get(t, browser("198.51.100.144"), `/p?a="><script>alert(1)</script>&b='><img%20src=x>`)
		mustChallenge(t, page)
		if strings.Contains(page.body, "<script>alert") || strings.Contains(page.body, "<img src=x>") {
			t.Errorf("a custom template reflects the query unescaped: %.600s", page.body)
		}
	})
}

func TestCustomTemplateErrors(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		bad := writeTemplates(t, map[string]string{"captcha_text.html": marked("OK"), "blocked.html": "<p>{{.Reason</p>"})
		_, err := build(f, map[string]any{"defaultTemplateDir": bad}, uniqueName())
		if err == nil || !strings.Contains(err.Error(), "blocked.html") || !strings.Contains(err.Error(), "defaultTemplateDir") {
			t.Errorf("a template that does not parse: %v, want an error naming the file", err)
		}
		missing := filepath.Join(t.TempDir(), "nope")
		for option, cfg := range map[string]map[string]any{
			"defaultTemplateDir":           {"defaultTemplateDir": missing},
			"templateDirs[/api/*]":         {"templateDirs": map[string]any{"/api/*": missing}},
			"rules[0].change.template_dir": {"rules": []any{map[string]any{"rule": "path starts with /a", "change": map[string]any{"template_dir": missing}}}},
		} {
			_, err := build(f, cfg, uniqueName())
			if err == nil || !strings.Contains(err.Error(), option) {
				t.Errorf("missing directory in %s: %v, want an error naming the option", option, err)
			}
		}
		// A file where the directory should be.
		file := filepath.Join(t.TempDir(), "file")
		os.WriteFile(file, []byte("x"), 0o644)
		if _, err := build(f, map[string]any{"defaultTemplateDir": file}, uniqueName()); err == nil {
			t.Errorf("a file as template directory was accepted")
		}
	})
}
