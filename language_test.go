package captchaify

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMatchAcceptLanguage(t *testing.T) {
	set := builtinLanguages()
	cases := []struct{ header, want string }{
		{"de-AT,de;q=0.9,en;q=0.8", "de"},
		{"en;q=0.5, fr;q=0.9", "fr"},
		{"xx, yy;q=0.9, it;q=0.1", "it"},
		{"zh-CN", "zh-Hans"},
		{"zh-SG,en;q=0.1", "zh-Hans"},
		{"zh-TW", "zh-Hant"},
		{"zh-HK", "zh-Hant"},
		{"zh-Hant-HK", "zh-Hant"},
		{"zh", "zh-Hans"},
		{"no", "nb"},
		{"nb-NO", "nb"},
		{"pt_BR", "pt"},
		{"fr;q=0, de;q=0.2", "de"},
		{"*", ""},
		{"fr;q=abc", ""},
		{"fr;q=2", ""},
		{"", ""},
		{strings.Repeat("xx,", 100) + "de", ""}, // only the first entries are read
		{"AR-eg", "ar"},
	}
	for _, c := range cases {
		got := ""
		if l := set.matchAcceptLanguage(c.header); l != nil {
			got = l.code
		}
		if got != c.want {
			t.Errorf("Accept-Language %.40q: got %q, want %q", c.header, got, c.want)
		}
	}
}

func TestVisitorLanguageOrder(t *testing.T) {
	r := httptest.NewRequest("GET", "/p?language=fr", nil)
	r.Header.Set("Cookie", "captcha_language=de")
	r.Header.Set("Accept-Language", "it")
	if l, arg := visitorLanguage(r, "captcha_", "es"); l.code != "fr" || !arg {
		t.Errorf("argument first: got %s %v", l.code, arg)
	}
	r = httptest.NewRequest("GET", "/p?language=bogus", nil)
	r.Header.Set("Cookie", "captcha_language=de")
	r.Header.Set("Accept-Language", "it")
	if l, arg := visitorLanguage(r, "captcha_", "es"); l.code != "de" || arg {
		t.Errorf("unknown argument, then cookie: got %s %v", l.code, arg)
	}
	r = httptest.NewRequest("GET", "/p", nil)
	r.Header.Set("Accept-Language", "it")
	if l, _ := visitorLanguage(r, "captcha_", "es"); l.code != "it" {
		t.Errorf("header: got %s", l.code)
	}
	r = httptest.NewRequest("GET", "/p", nil)
	if l, _ := visitorLanguage(r, "captcha_", "es"); l.code != "es" {
		t.Errorf("default: got %s", l.code)
	}
}

func TestDefaultLanguageOption(t *testing.T) {
	if c, err := parseDefaultLanguage("DE"); err != nil || c != "de" {
		t.Errorf("DE: %q %v", c, err)
	}
	if c, err := parseDefaultLanguage(""); err != nil || c != "en" {
		t.Errorf("empty: %q %v", c, err)
	}
	if _, err := parseDefaultLanguage("klingon"); err == nil || !strings.Contains(err.Error(), "defaultLanguage") {
		t.Errorf("klingon: %v, want an error naming defaultLanguage", err)
	}
}

func TestVisitorTheme(t *testing.T) {
	r := httptest.NewRequest("GET", "/p?theme=DARK", nil)
	if th, arg := visitorTheme(r, "captcha_"); th != "dark" || !arg {
		t.Errorf("argument: %q %v", th, arg)
	}
	r = httptest.NewRequest("GET", "/p?theme=<x>", nil)
	r.Header.Set("Cookie", "captcha_theme=light")
	if th, arg := visitorTheme(r, "captcha_"); th != "light" || arg {
		t.Errorf("bad argument, cookie: %q %v", th, arg)
	}
	r = httptest.NewRequest("GET", "/p", nil)
	r.Header.Set("Cookie", "captcha_theme=blue")
	if th, _ := visitorTheme(r, "captcha_"); th != "" {
		t.Errorf("bad cookie: %q", th)
	}
}
