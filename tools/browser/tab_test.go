package browser

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/captchaify/captchaify"
)

// tab is one browser tab with a cookie jar of its own (a new browser
// context), JavaScript off, acting from its own client address.
type tab struct {
	t   *testing.T
	ctx context.Context
	ip  string
}

// newTab opens a tab; scheme is the emulated prefers-color-scheme
// ("light" or "dark").
func newTab(t *testing.T, scheme string) *tab {
	t.Helper()
	setup(t)
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	tb := &tab{t: t, ctx: ctx, ip: nextClientIP()}
	// The first run opens the tab, which lives as long as that run's
	// context: no timeout here.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: opening a tab: %v", err)
	}
	tb.do(chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		// Script execution off: what the visitor does below works without it.
		if _, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, network.SetExtraHTTPHeaders, network.SetExtraHTTPHeadersParams{
			Headers: network.Headers{"X-Forwarded-For": tb.ip},
		})
		return err
	}), chromedp.EmulateViewport(viewportWidth, viewportHeight))
	return tb
}

// scriptsOff switches the tab's script execution.
func scriptsOff(ctx context.Context, off bool) error {
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
	return err
}

// timeout bounds one step; the browser itself lives as long as the tests.
func (tb *tab) timeout() (context.Context, context.CancelFunc) {
	return context.WithTimeout(tb.ctx, 60*time.Second)
}

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// open navigates to path and returns the final response (after redirects).
func (tb *tab) open(path string) *network.Response {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(inst.URL(path)))
	if err != nil {
		tb.t.Fatalf("browser: open %s: %v", path, err)
	}
	return resp
}

// submit runs the step (a click on a submit button) and waits for the page
// it leads to.
func (tb *tab) submit(step chromedp.Action[chromedp.Void]) *network.Response {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, step)
	if err != nil {
		tb.t.Fatalf("browser: submitting: %v", err)
	}
	return resp
}

func (tb *tab) attr(selector, name string) (string, bool) {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	if tb.count(selector) == 0 {
		return "", false
	}
	res, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(selector), name))
	if err != nil {
		tb.t.Fatalf("browser: attribute %s of %s: %v", name, selector, err)
	}
	return res.Value, res.Exists
}

// count is the number of elements matching selector, read from the DOM
// (no script involved).
func (tb *tab) count(selector string) int {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	ids, err := chromedp.Run(ctx, chromedp.QueryNodeIDs(chromedp.CSSAll(selector), chromedp.AtLeast(0)))
	if err != nil {
		tb.t.Fatalf("browser: query %s: %v", selector, err)
	}
	return len(ids)
}

func (tb *tab) text(selector string) string {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(selector)))
	if err != nil {
		tb.t.Fatalf("browser: text of %s: %v", selector, err)
	}
	return strings.TrimSpace(s)
}

func (tb *tab) html() string {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		tb.t.Fatalf("browser: page source: %v", err)
	}
	return s
}

// cookie returns the browser's cookie of that name for the site.
func (tb *tab) cookie(name string) (*network.Cookie, bool) {
	tb.t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	res, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{inst.BaseURL + "/"}})
	if err != nil {
		tb.t.Fatalf("browser: cookies: %v", err)
	}
	for _, c := range res.Cookies {
		if c.Name == name {
			return c, true
		}
	}
	return nil, false
}

// challengeToken reads the page's ct field and opens it with the secret,
// the honest way a test can know the answer.
func (tb *tab) challengeToken() captchaify.ChallengeInfo {
	tb.t.Helper()
	ct, ok := tb.attr(`form input[type=hidden][name=ct]`, "value")
	if !ok || ct == "" {
		tb.t.Fatalf("no challenge token on the page: %.2000s", tb.html())
	}
	info, err := captchaify.OpenChallengeToken(secret, ct)
	if err != nil {
		tb.t.Fatalf("opening ct: %v", err)
	}
	return info
}

// onSite asserts the tab shows the sample site for path, and that no script
// ran there.
func (tb *tab) onSite(what, path string, resp *network.Response) {
	tb.t.Helper()
	if resp.Status != http.StatusOK || resp.URL != inst.URL(path) {
		tb.t.Fatalf("%s: want 200 at %s, got %d at %s", what, inst.URL(path), resp.Status, resp.URL)
	}
	if tb.count("#site") != 1 || tb.text("#uri") != path {
		tb.t.Fatalf("%s: not the site's page for %s: %.1500s", what, path, tb.html())
	}
	if js := tb.text("#js"); js != "off" {
		tb.t.Fatalf("%s: the site's script ran (#js = %q): JavaScript is not off", what, js)
	}
}
