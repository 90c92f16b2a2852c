package captchaify

import (
	"bytes"
	"html/template"
	"net/http/httptest"
	"strings"
	"testing"
)

// pagesMiddleware is a middleware with default settings, enough for pages.
func pagesMiddleware(t testing.TB) *Middleware {
	t.Helper()
	c := CreateConfig()
	c.Secret = strings.Repeat("s", 32)
	s, err := parseSettings(c)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := builtinPages()
	if err != nil {
		t.Fatal(err)
	}
	return &Middleware{cfg: s, pages: pg}
}

// Every built-in page renders in every language, with its lang and dir,
// and no placeholder left unfilled.
func TestEveryPageInEveryLanguage(t *testing.T) {
	m := pagesMiddleware(t)
	for _, l := range builtinLanguages().list {
		r := httptest.NewRequest("GET", "/p?language="+l.code, nil)
		rw := httptest.NewRecorder()
		data := m.challengeData(rw, r, msgWrong)
		fillT(data, "text_prompt", "{count}", "8")
		fillT(data, "oneclick_reference_alt", "{count}", "6")
		fillT(data, "multiclick_reference_alt", "{count}", "6")
		fillT(data, "ratelimited_text", "{seconds}", "30")
		fillT(data, "audio_prompt", "{count}", "9")
		fillT(data, "audio_hard_prompt", "{count}", "9")
		data["AudioLength"] = 9
		data["Image"] = template.URL("data:image/png;base64,AAAA")
		data["Audio"] = template.URL("data:audio/wav;base64,AAAA")
		data["AudioAlternative"] = "/p?x=1"
		data["Candidates"] = []map[string]interface{}{{"Index": 0, "Name": "ci0", "Src": template.HTMLAttr(`src="data:image/jpeg;base64,AAAA"`), "Alt": "a"}}
		data["Reason"] = "r"
		data["Languages"] = languageChoices("/p", "", l.code)
		for _, file := range pageFiles {
			tpl := *m.pages.slot(file)
			if tpl == nil {
				t.Fatalf("no built-in %s", file)
			}
			var buf bytes.Buffer
			if err := tpl.Execute(&buf, data); err != nil {
				t.Fatalf("%s in %s: %v", file, l.code, err)
			}
			page := buf.String()
			if !strings.Contains(page, `<html lang="`+l.code+`" dir="`+l.dir+`">`) {
				t.Errorf("%s in %s: no <html lang dir>", file, l.code)
			}
			for _, ph := range []string{"{count}", "{seconds}", "{index}"} {
				if strings.Contains(page, ph) {
					t.Errorf("%s in %s: placeholder %s left", file, l.code, ph)
				}
			}
			if !strings.Contains(page, "</html>") {
				t.Errorf("%s in %s: not a whole document", file, l.code)
			}
		}
		// Filling a page's strings leaves the language's own untouched.
		if !strings.Contains(l.t["text_prompt"], "{count}") || !strings.Contains(l.t["ratelimited_text"], "{seconds}") {
			t.Errorf("%s: fillT changed the shared strings", l.code)
		}
	}
}

// The language argument sets the cookie; withoutCookies never does.
func TestPreferenceCookies(t *testing.T) {
	m := pagesMiddleware(t)
	rw := httptest.NewRecorder()
	m.pageData(rw, httptest.NewRequest("GET", "/p?language=de&theme=dark", nil), "challenge_title")
	got := strings.Join(rw.Header().Values("Set-Cookie"), "\n")
	for _, want := range []string{"captcha_language=de", "captcha_theme=dark", "HttpOnly", "SameSite=Lax", "Max-Age=31536000"} {
		if !strings.Contains(got, want) {
			t.Errorf("Set-Cookie %q lacks %q", got, want)
		}
	}
	m.cfg.withoutCookies = true
	rw = httptest.NewRecorder()
	m.pageData(rw, httptest.NewRequest("GET", "/p?language=de&theme=dark", nil), "challenge_title")
	if c := rw.Header().Values("Set-Cookie"); len(c) != 0 {
		t.Errorf("withoutCookies: Set-Cookie %v", c)
	}
}

// BenchmarkPageData is the cost of the data every page gets.
func BenchmarkPageData(b *testing.B) {
	m := pagesMiddleware(b)
	r := httptest.NewRequest("GET", "/p?a=1", nil)
	r.Header.Set("Accept-Language", "de-DE,de;q=0.9,en;q=0.8")
	rw := httptest.NewRecorder()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.pageData(rw, r, "challenge_title")
	}
}
