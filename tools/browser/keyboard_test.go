package browser

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/captchaify/captchaify"
)

// focused reports whether the element with keyboard focus matches
// selector, and whether its focus is drawn (an outline), read through the
// DevTools protocol: the page runs no script.
func (tb *tab) focused(selector string) (match, outlined bool) {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[[]bool](`(() => {
		const e = document.activeElement;
		if (!e || !e.matches(`+strconv.Quote(selector)+`)) return [false, false];
		const s = getComputedStyle(e);
		return [true, s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2];
	})()`))
	if err != nil {
		tb.t.Fatalf("browser: reading the focus: %v", err)
	}
	return res[0], res[1]
}

// tabTo presses Tab until selector has the focus, and checks the focus is
// visible there (WCAG 2.4.7).
func (tb *tab) tabTo(selector string) {
	tb.t.Helper()
	for i := 0; i < 80; i++ {
		if match, outlined := tb.focused(selector); match {
			if !outlined {
				tb.t.Errorf("%s has the focus but shows no focus outline", selector)
			}
			return
		}
		tb.do(chromedp.KeyEvent(kb.Tab))
	}
	tb.t.Fatalf("Tab never reached %s: %.3000s", selector, tb.html())
}

// answerByKeyboard answers right with the keyboard alone: Tab, typing,
// Space and Enter.
func (tb *tab) answerByKeyboard(kind string, info captchaify.ChallengeInfo) *network.Response {
	tb.t.Helper()
	switch kind {
	case "text", "audio":
		field := `input[name=tc]`
		answer := info.Answer
		if kind == "audio" {
			field = `input[name=ac]`
		}
		tb.tabTo(field)
		tb.do(chromedp.KeyEvent(answer))
		if kind == "text" && info.AudioAnswer != "" {
			tb.tabTo(`input[name=ac]`)
			tb.do(chromedp.KeyEvent(info.AudioAnswer))
		}
		return tb.submit(chromedp.KeyEvent(kb.Enter))
	case "oneclick":
		tb.tabTo(`button[name=ci][value="` + strconv.Itoa(info.Indexes[0]) + `"]`)
		return tb.submit(chromedp.KeyEvent(kb.Enter))
	case "multiclick":
		for _, i := range info.Indexes {
			box := `input[type=checkbox][name=ci` + strconv.Itoa(i) + `]`
			tb.tabTo(box)
			tb.do(chromedp.KeyEvent(" "))
			if !tb.checked(box) {
				tb.t.Fatalf("Space did not tick %s", box)
			}
		}
		tb.tabTo(submitButton)
		return tb.submit(chromedp.KeyEvent(kb.Enter))
	}
	tb.t.Fatalf("unknown challenge type %q", kind)
	return nil
}

// TestKeyboardOnlyInBrowser: every challenge can be solved with the
// keyboard alone, with the focus visible on every control used.
func TestKeyboardOnlyInBrowser(t *testing.T) {
	setup(t)
	for _, c := range solveCases() {
		t.Run(c.route, func(t *testing.T) {
			tb := newTab(t, "dark")
			path := "/" + c.route + "/keys"
			info := tb.mustChallengePage("first visit", c.kind, tb.open(path))
			resp := tb.answerByKeyboard(c.kind, info)
			if strings.Contains(resp.URL, "captchaify-answer") && tb.count("#site") == 0 {
				t.Fatalf("keyboard answer refused: %.2000s", tb.html())
			}
			tb.onSite("keyboard answer", path, resp)
			tb.mustPass()
		})
	}
}
