package captchaify

import (
	"math"
	"regexp"
	"strconv"
	"testing"

	"github.com/captchaify/captchaify/assets"
)

// themeVars reads the colour variables of one rule of the stylesheet.
func themeVars(t *testing.T, selector string) map[string]string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(selector) + `\{([^}]*)\}`).FindStringSubmatch(assets.PageStyle)
	if m == nil {
		t.Fatalf("stylesheet has no %s rule", selector)
	}
	vars := map[string]string{}
	for _, kv := range regexp.MustCompile(`--([a-z-]+):(#[0-9a-f]{6})`).FindAllStringSubmatch(m[1], -1) {
		vars[kv[1]] = kv[2]
	}
	return vars
}

func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		s := float64(v) / 255
		if s <= 0.03928 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// Both themes meet WCAG 2.2 AA: 4.5:1 for text, 3:1 for input borders.
func TestThemeContrast(t *testing.T) {
	for _, theme := range []string{":root", ":root[data-theme=dark]"} {
		v := themeVars(t, theme)
		pairs := []struct {
			fg, bg string
			min    float64
		}{
			{"fg", "card", 4.5}, {"fg", "bg", 4.5}, {"muted", "card", 4.5}, {"muted", "bg", 4.5},
			{"accent", "card", 4.5}, {"accent-fg", "accent", 4.5}, {"err", "card", 4.5},
			{"muted", "card", 3}, // input borders
		}
		for _, p := range pairs {
			if v[p.fg] == "" || v[p.bg] == "" {
				t.Fatalf("%s: --%s or --%s missing", theme, p.fg, p.bg)
			}
			if c := contrast(v[p.fg], v[p.bg]); c < p.min {
				t.Errorf("%s: --%s on --%s has contrast %.2f, want at least %.1f", theme, p.fg, p.bg, c, p.min)
			}
		}
	}
	// The dark colours for prefers-color-scheme are the same as data-theme=dark's.
	dark := themeVars(t, ":root[data-theme=dark]")
	auto := themeVars(t, ":root:not([data-theme=light])")
	for k, v := range dark {
		if auto[k] != v {
			t.Errorf("--%s: %s under prefers-color-scheme, %s under data-theme=dark", k, auto[k], v)
		}
	}
}
