package browser

import (
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/captchaify/captchaify"
)

// challengeKinds are the challenge types a visitor can meet, each on the
// route of the same name (routes in main_test.go).
func challengeKinds() []string {
	return []string{"text", "oneclick", "multiclick", "audio"}
}

// solveCase is a route and the challenge type it shows.
type solveCase struct{ route, kind string }

func solveCases() []solveCase {
	var cs []solveCase
	for _, k := range challengeKinds() {
		cs = append(cs, solveCase{k, k})
	}
	// Hardness 3: the text challenge with its spoken digits.
	return append(cs, solveCase{"hard", "text"})
}

// submitButton is the form's own submit button (oneclick candidates are
// submit buttons too, but carry a name).
const submitButton = `form[method=post] button[type=submit]:not([name])`

// answerWith fills in and sends the challenge on the page through its form
// controls, as a person would: right or deliberately wrong.
func (tb *tab) answerWith(kind string, info captchaify.ChallengeInfo, right bool) *network.Response {
	tb.t.Helper()
	switch kind {
	case "text":
		answer := info.Answer
		if !right {
			answer = spoil(answer)
		}
		tb.do(chromedp.SendKeys(chromedp.CSS(`input[name=tc]`), answer))
		if info.AudioAnswer != "" { // hardness 3: the spoken digits as well
			tb.do(chromedp.SendKeys(chromedp.CSS(`input[name=ac]`), info.AudioAnswer))
		}
		return tb.submit(chromedp.Click(chromedp.CSS(submitButton)))
	case "audio":
		answer := info.Answer
		if answer == "" {
			answer = info.AudioAnswer
		}
		if !right {
			answer = spoil(answer)
		}
		tb.do(chromedp.SendKeys(chromedp.CSS(`input[name=ac]`), answer))
		return tb.submit(chromedp.Click(chromedp.CSS(submitButton)))
	case "oneclick":
		n := tb.count(`button[type=submit][name=ci]`)
		if n < 2 || len(info.Indexes) != 1 {
			tb.t.Fatalf("oneclick: %d candidate buttons, right %v", n, info.Indexes)
		}
		pick := info.Indexes[0]
		if !right {
			pick = (pick + 1) % n
		}
		return tb.submit(chromedp.Click(chromedp.CSS(`button[type=submit][name=ci][value="` + strconv.Itoa(pick) + `"]`)))
	case "multiclick":
		n := tb.count(`input[type=checkbox]`)
		if n < 2 || len(info.Indexes) == 0 {
			tb.t.Fatalf("multiclick: %d checkboxes, right %v", n, info.Indexes)
		}
		ticks := slices.Clone(info.Indexes)
		if !right { // every right one and one more
			for i := 0; i < n; i++ {
				if !slices.Contains(ticks, i) {
					ticks = append(ticks, i)
					break
				}
			}
		}
		for _, i := range ticks {
			box := `input[type=checkbox][name=ci` + strconv.Itoa(i) + `]`
			tb.do(chromedp.Click(chromedp.CSS(box)))
			if !tb.checked(box) {
				tb.t.Fatalf("multiclick: clicking %s did not tick it", box)
			}
		}
		return tb.submit(chromedp.Click(chromedp.CSS(submitButton)))
	}
	tb.t.Fatalf("unknown challenge type %q", kind)
	return nil
}

// checked reads the live checked state of a checkbox.
func (tb *tab) checked(selector string) bool {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.JavascriptAttribute[bool](chromedp.CSS(selector), "checked"))
	if err != nil {
		tb.t.Fatalf("browser: checked of %s: %v", selector, err)
	}
	return v
}

// spoil changes one character of a typed answer.
func spoil(s string) string {
	if s == "" {
		return "1"
	}
	b := []byte(s)
	switch b[0] {
	case 'A':
		b[0] = 'B'
	case '2':
		b[0] = '3'
	default:
		if b[0] >= '0' && b[0] <= '9' {
			b[0] = '2'
		} else {
			b[0] = 'A'
		}
	}
	return string(b)
}

// mustChallengePage asserts the tab shows a challenge of kind, built
// without any script, and returns its opened token.
func (tb *tab) mustChallengePage(what, kind string, resp *network.Response) captchaify.ChallengeInfo {
	tb.t.Helper()
	if resp.Status != http.StatusOK {
		tb.t.Fatalf("%s: challenge status %d, want 200", what, resp.Status)
	}
	if tb.count("#site") != 0 {
		tb.t.Fatalf("%s: the site was shown instead of a challenge", what)
	}
	if n := tb.count("script"); n != 0 {
		tb.t.Fatalf("%s: the challenge page has %d script elements", what, n)
	}
	info := tb.challengeToken()
	if info.Type != kind {
		tb.t.Fatalf("%s: challenge type %q, want %q", what, info.Type, kind)
	}
	return info
}

// TestSolveInBrowser: for each challenge type, a browser with JavaScript
// off loads a protected page through Traefik, answers wrong once (and sees
// the error), then answers right through the page's form controls and
// lands on the site with a pass cookie that keeps working.
func TestSolveInBrowser(t *testing.T) {
	setup(t)
	for _, c := range solveCases() {
		t.Run(c.route, func(t *testing.T) {
			tb := newTab(t, "light")
			path := "/" + c.route + "/welcome?from=browser&n=1"

			info := tb.mustChallengePage("first visit", c.kind, tb.open(path))
			tb.mustControls(info)
			resp := tb.answerWith(c.kind, info, false)
			next := tb.mustChallengePage("after a wrong answer", c.kind, resp)
			if next.ID == info.ID {
				t.Fatalf("after a wrong answer: the same challenge again")
			}
			if tb.count(`.err[role=alert]`) != 1 || tb.text(`.err[role=alert]`) == "" {
				t.Fatalf("after a wrong answer: no error shown: %.3000s", tb.html())
			}
			if _, ok := tb.cookie("captcha"); ok {
				t.Fatalf("after a wrong answer: a pass cookie was set")
			}

			tb.onSite("right answer", path, tb.answerWith(c.kind, next, true))
			tb.mustPass()
			tb.onSite("with the pass", "/"+c.route+"/other", tb.open("/"+c.route+"/other"))
		})
	}
}

// mustControls asserts the page has the form controls of its type (SPEC §3).
func (tb *tab) mustControls(info captchaify.ChallengeInfo) {
	tb.t.Helper()
	want := map[string][]string{
		"text":       {`img[src^="data:image/png;base64,"][alt]`, `input[type=text][name=tc]`, submitButton},
		"audio":      {`audio[controls][src^="data:audio/wav;base64,"]`, `input[type=text][name=ac]`, submitButton},
		"oneclick":   {`img.ref[alt]`, `button[type=submit][name=ci] img[alt]`},
		"multiclick": {`img.ref[alt]`, `input[type=checkbox][name^=ci] + img[alt]`, submitButton},
	}[info.Type]
	if info.Type == "text" && info.AudioAnswer != "" {
		want = append(want, `audio[controls][src^="data:audio/wav;base64,"]`, `input[type=text][name=ac]`)
	}
	for _, sel := range want {
		if tb.count(sel) == 0 {
			tb.t.Fatalf("%s challenge page has no %s: %.3000s", info.Type, sel, tb.html())
		}
	}
}

// mustPass asserts the browser holds the pass cookie (HttpOnly, SameSite=Lax, path /).
func (tb *tab) mustPass() {
	tb.t.Helper()
	c, ok := tb.cookie("captcha")
	if !ok || c.Value == "" || !c.HTTPOnly || c.Path != "/" || c.SameSite != network.CookieSameSiteLax {
		tb.t.Fatalf("pass cookie %+v, want an HttpOnly, SameSite=Lax cookie for /", c)
	}
}

// TestAudioAlternativeInBrowser: a visitor who cannot see the pictures
// follows the page's audio link and solves the spoken digits instead.
func TestAudioAlternativeInBrowser(t *testing.T) {
	setup(t)
	tb := newTab(t, "light")
	path := "/oneclick/listen?x=1"
	tb.mustChallengePage("first visit", "oneclick", tb.open(path))
	info := tb.mustChallengePage("audio alternative", "audio", tb.submit(chromedp.Click(chromedp.CSS(`.alt a[href]`))))
	tb.mustControls(info)
	tb.onSite("right digits", path, tb.answerWith("audio", info, true))
	tb.mustPass()
}

// TestChangeLanguageInBrowser: from a challenge page the visitor opens the
// change-language page, searches it, picks a language and gets the
// challenge in it; the theme links switch the theme. No script involved.
func TestChangeLanguageInBrowser(t *testing.T) {
	setup(t)
	tb := newTab(t, "light")
	path := "/text/lang?x=1"
	tb.mustChallengePage("first visit", "text", tb.open(path))
	if lang, _ := tb.attr("html", "lang"); lang != "en" {
		t.Fatalf("default language %q, want en (the browser asks for en-US)", lang)
	}

	resp := tb.submit(chromedp.Click(chromedp.CSS(`footer a[href*="/language?"]`)))
	if resp.Status != http.StatusOK {
		t.Fatalf("change-language page: status %d", resp.Status)
	}
	if n := tb.count(`ul.langs a[href][lang]`); n < 40 {
		t.Fatalf("change-language page lists %d languages, want at least 40", n)
	}
	tb.do(chromedp.SendKeys(chromedp.CSS(`input[type=search][name=q]`), "deutsch"))
	tb.submit(chromedp.Click(chromedp.CSS(`form.search button[type=submit]`)))
	if n := tb.count(`ul.langs a`); n != 1 || tb.text(`ul.langs a`) != "Deutsch" {
		t.Fatalf("search for deutsch: %d results: %.3000s", n, tb.html())
	}

	resp = tb.submit(chromedp.Click(chromedp.CSS(`ul.langs a[lang=de]`)))
	info := tb.mustChallengePage("challenge in German", "text", resp)
	if lang, _ := tb.attr("html", "lang"); lang != "de" {
		t.Fatalf("after choosing Deutsch: <html lang=%q> at %s", lang, resp.URL)
	}
	// The choice is remembered: a plain URL stays German.
	tb.open(path)
	if lang, _ := tb.attr("html", "lang"); lang != "de" {
		t.Fatalf("language not remembered: <html lang=%q>", lang)
	}

	tb.submit(chromedp.Click(chromedp.CSS(`footer a.to-dark`)))
	if theme, _ := tb.attr("html", "data-theme"); theme != "dark" {
		t.Fatalf("after the dark-theme link: <html data-theme=%q>", theme)
	}
	info = tb.mustChallengePage("dark challenge", "text", tb.open(path))
	if theme, _ := tb.attr("html", "data-theme"); theme != "dark" {
		t.Fatalf("theme not remembered: <html data-theme=%q>", theme)
	}
	tb.onSite("solved in German, dark", path, tb.answerWith("text", info, true))
	tb.mustPass()
}
