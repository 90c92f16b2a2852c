package captchaify

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/assets"
)

var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

func placeholders(s string) string {
	p := placeholderRE.FindAllString(s, -1)
	sort.Strings(p)
	return strings.Join(p, " ")
}

// Every built-in language translates every English key, keeps its
// placeholders, and names itself natively with a direction.
func TestTranslationsComplete(t *testing.T) {
	if len(assets.Languages) < 41 {
		t.Fatalf("%d languages, want at least 41 (40 besides English)", len(assets.Languages))
	}
	en := parseKeyValues(assets.Languages[0])
	if en["code"] != "en" {
		t.Fatalf("the first language is %q, want en (the source)", en["code"])
	}
	codes := map[string]bool{}
	names := map[string]string{}
	for _, text := range assets.Languages {
		kv := parseKeyValues(text)
		code := kv["code"]
		if code == "" {
			t.Errorf("a language without code: %.60q", text)
			continue
		}
		if codes[code] {
			t.Errorf("%s: code listed twice", code)
		}
		codes[code] = true
		if kv["name"] == "" {
			t.Errorf("%s: no native name", code)
		}
		if other, dup := names[kv["name"]]; dup {
			t.Errorf("%s: name %q also used by %s", code, kv["name"], other)
		}
		names[kv["name"]] = code
		if kv["dir"] != "ltr" && kv["dir"] != "rtl" {
			t.Errorf("%s: dir %q, want ltr or rtl", code, kv["dir"])
		}
		missing := 0
		for k, v := range en {
			if k == "code" || k == "name" || k == "dir" {
				continue
			}
			tr, ok := kv[k]
			if !ok || strings.TrimSpace(tr) == "" {
				missing++
				continue
			}
			if placeholders(tr) != placeholders(v) {
				t.Errorf("%s: %s has placeholders %q, English %q", code, k, placeholders(tr), placeholders(v))
			}
		}
		if missing > 0 {
			t.Errorf("%s: %d of %d keys not translated", code, missing, len(en)-3)
		}
		for k := range kv {
			if _, ok := en[k]; !ok {
				t.Errorf("%s: key %q is not in English (a typo?)", code, k)
			}
		}
	}
	for _, rtl := range []string{"ar", "he", "fa", "ur"} {
		if kv := parseKeyValues(langText(rtl)); kv["dir"] != "rtl" {
			t.Errorf("%s: dir %q, want rtl", rtl, kv["dir"])
		}
	}
}

func langText(code string) string {
	for _, text := range assets.Languages {
		if parseKeyValues(text)["code"] == code {
			return text
		}
	}
	return ""
}

// Every template uses only keys English has: a typo would show nothing.
func TestTemplatesUseKnownKeys(t *testing.T) {
	en := parseKeyValues(assets.LangEN)
	re := regexp.MustCompile(`\.T\.([a-zA-Z_]+)`)
	for _, file := range pageFiles {
		for _, m := range re.FindAllStringSubmatch(assets.PagePartials+builtinSource(file), -1) {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s uses .T.%s, which assets/i18n_en.go lacks", file, m[1])
			}
		}
	}
	for _, key := range []string{msgWrong, msgExpired, msgSpent, msgHarder, msgBadInput, lockoutReason, suspiciousBlockText,
		"challenge_title", "blocked_title", "ratelimited_title", "language_title", "candidate_alt"} {
		if _, ok := en[key]; !ok {
			t.Errorf("the plugin uses key %s, which assets/i18n_en.go lacks", key)
		}
	}
}
