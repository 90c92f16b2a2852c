package captchaify

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/captchaify/captchaify/assets"
)

// Languages of the pages (README "Languages"). The translations are
// key=value texts in assets (i18n_*.go), parsed once per process; a key a
// translation lacks shows in English.

// The visitor's choices travel as these URL arguments; a chosen one is
// remembered in a cookie named <cookieName>_<argument>.
const (
	languageArg   = "language"
	themeArg      = "theme"
	themeLight    = "light"
	themeDark     = "dark"
	maxLangHeader = 32 // Accept-Language entries looked at
)

// language is one translation, complete: every English key is present.
type language struct {
	code   string
	name   string // native name
	dir    string // ltr or rtl
	t      map[string]string
	search string // lower-case name and code, for the change-language search
}

// languageSet holds every built-in language, in the order of
// assets.Languages, and the lookup of codes and aliases (lower case).
type languageSet struct {
	list   []*language
	byCode map[string]*language
}

var (
	languagesOnce sync.Once
	languages     *languageSet
)

// builtinLanguages parses the translations on first use.
func builtinLanguages() *languageSet {
	languagesOnce.Do(func() {
		languages = parseLanguages(assets.Languages)
	})
	return languages
}

// parseLanguages reads the key=value texts; the first is the source
// language whose strings fill any gap of the others.
func parseLanguages(texts []string) *languageSet {
	set := &languageSet{byCode: map[string]*language{}}
	var source map[string]string
	for i, text := range texts {
		kv := parseKeyValues(text)
		if i == 0 {
			source = kv
		}
		l := &language{code: kv["code"], name: kv["name"], dir: kv["dir"], t: make(map[string]string, len(source))}
		if l.code == "" {
			continue
		}
		for k, v := range source {
			l.t[k] = v
		}
		for k, v := range kv {
			l.t[k] = v
		}
		if l.name == "" {
			l.name = l.code
		}
		if l.dir != "rtl" {
			l.dir = "ltr"
		}
		l.search = strings.ToLower(l.name + " " + l.code + " " + englishNames[l.code])
		set.list = append(set.list, l)
		set.byCode[strings.ToLower(l.code)] = l
	}
	// Codes browsers send for the languages we have under another code.
	aliases := [][2]string{
		{"zh", "zh-hans"}, {"zh-cn", "zh-hans"}, {"zh-sg", "zh-hans"}, {"zh-my", "zh-hans"},
		{"zh-tw", "zh-hant"}, {"zh-hk", "zh-hant"}, {"zh-mo", "zh-hant"},
		{"no", "nb"}, {"nn", "nb"}, {"iw", "he"}, {"in", "id"},
	}
	for _, a := range aliases {
		if l := set.byCode[a[1]]; l != nil && set.byCode[a[0]] == nil {
			set.byCode[a[0]] = l
		}
	}
	return set
}

// englishNames let the change-language search find a language by its
// English name too ("german" finds Deutsch).
var englishNames = map[string]string{
	"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
	"pt": "Portuguese", "nl": "Dutch", "pl": "Polish", "ru": "Russian", "uk": "Ukrainian",
	"cs": "Czech", "sk": "Slovak", "sl": "Slovenian", "hr": "Croatian", "sr": "Serbian",
	"bg": "Bulgarian", "ro": "Romanian", "hu": "Hungarian", "el": "Greek", "tr": "Turkish",
	"sv": "Swedish", "da": "Danish", "nb": "Norwegian", "fi": "Finnish", "et": "Estonian",
	"lv": "Latvian", "lt": "Lithuanian", "ar": "Arabic", "he": "Hebrew", "fa": "Persian Farsi",
	"ur": "Urdu", "hi": "Hindi", "bn": "Bengali Bangla", "ta": "Tamil", "th": "Thai",
	"vi": "Vietnamese", "id": "Indonesian", "ms": "Malay", "zh-Hans": "Chinese Simplified",
	"zh-Hant": "Chinese Traditional", "ja": "Japanese", "ko": "Korean", "sw": "Swahili",
	"ca": "Catalan",
}

// parseKeyValues reads one "key=value" a line; other lines are skipped.
func parseKeyValues(text string) map[string]string {
	kv := map[string]string{}
	for _, line := range strings.Split(text, "\n") {
		i := strings.IndexByte(line, '=')
		if i <= 0 {
			continue
		}
		kv[strings.TrimSpace(line[:i])] = strings.TrimSpace(line[i+1:])
	}
	return kv
}

// match finds the language for a tag such as "de", "de-AT", "zh-TW",
// "zh-Hant-HK" or "pt_BR": the whole tag, then ever shorter prefixes.
func (s *languageSet) match(tag string) *language {
	tag = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(tag, "_", "-")))
	if tag == "" || len(tag) > 35 {
		return nil
	}
	for {
		if l := s.byCode[tag]; l != nil {
			return l
		}
		i := strings.LastIndexByte(tag, '-')
		if i < 0 {
			return nil
		}
		tag = tag[:i]
	}
}

// matchAcceptLanguage returns the best language of an Accept-Language
// header: highest q first, in header order among equals; q=0 never.
func (s *languageSet) matchAcceptLanguage(header string) *language {
	if header == "" {
		return nil
	}
	if len(header) > 1024 {
		header = header[:1024] // a real header is far shorter; the rest is not read
	}
	parts := strings.Split(header, ",")
	if len(parts) > maxLangHeader {
		parts = parts[:maxLangHeader]
	}
	var best *language
	bestQ := 0.0
	for _, part := range parts {
		tag, q := part, 1.0
		if i := strings.IndexByte(part, ';'); i >= 0 {
			tag = part[:i]
			q = qValue(part[i+1:])
		}
		if q <= bestQ {
			continue
		}
		if l := s.match(tag); l != nil {
			best, bestQ = l, q
		}
	}
	return best
}

// qValue reads "q=0.8" (with spaces allowed); anything unreadable is 0.
func qValue(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		p = strings.TrimSpace(p)
		if len(p) > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=' {
			q, err := strconv.ParseFloat(strings.TrimSpace(p[2:]), 64)
			if err != nil || q < 0 || q > 1 {
				return 0
			}
			return q
		}
	}
	return 1
}

// parseDefaultLanguage validates the defaultLanguage option.
func parseDefaultLanguage(v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "en", nil
	}
	l := builtinLanguages().match(v)
	if l == nil {
		return "", fmt.Errorf("defaultLanguage: %q is not a built-in language (known: %s)", v, strings.Join(languageCodes(), ", "))
	}
	return l.code, nil
}

// languageCodes lists the built-in codes, sorted.
func languageCodes() []string {
	set := builtinLanguages()
	codes := make([]string, 0, len(set.list))
	for _, l := range set.list {
		codes = append(codes, l.code)
	}
	sort.Strings(codes)
	return codes
}

// chosenArg returns the value of a preference argument in the query, or "".
func chosenArg(r *http.Request, name string) string {
	if !strings.Contains(r.URL.RawQuery, name+"=") {
		return ""
	}
	return r.URL.Query().Get(name)
}

// visitorLanguage picks the page language: the language argument, its
// cookie, Accept-Language, then defaultLanguage. fromArg reports that the
// argument chose it (so the cookie should remember it).
func visitorLanguage(r *http.Request, cookiePrefix, fallback string) (l *language, fromArg bool) {
	set := builtinLanguages()
	if l = set.match(chosenArg(r, languageArg)); l != nil {
		return l, true
	}
	if c, err := r.Cookie(cookiePrefix + languageArg); err == nil {
		if l = set.match(c.Value); l != nil {
			return l, false
		}
	}
	if l = set.matchAcceptLanguage(r.Header.Get("Accept-Language")); l != nil {
		return l, false
	}
	if l = set.byCode[strings.ToLower(fallback)]; l != nil {
		return l, false
	}
	return set.list[0], false
}

// pageLanguage is the code of the language r's pages are shown in.
func (m *Middleware) pageLanguage(r *http.Request) string {
	l, _ := visitorLanguage(r, m.cfg.cookieName+"_", m.cfg.pageOpts.defaultLanguage)
	return l.code
}

// visitorTheme is "light" or "dark" when the visitor chose one (argument,
// then cookie), else "" (the page follows prefers-color-scheme).
func visitorTheme(r *http.Request, cookiePrefix string) (theme string, fromArg bool) {
	switch v := strings.ToLower(chosenArg(r, themeArg)); v {
	case themeLight, themeDark:
		return v, true
	}
	if c, err := r.Cookie(cookiePrefix + themeArg); err == nil {
		switch v := strings.ToLower(c.Value); v {
		case themeLight, themeDark:
			return v, false
		}
	}
	return "", false
}
