package browser

import (
	"bytes"
	"flag"
	"fmt"
	"image/png"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/captchaify/captchaify/tools/traefiktest"
)

var update = flag.Bool("update", false, "rewrite the screenshots in docs/screenshots")

// axeTags are the rule sets run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const axeTags = `["wcag2a","wcag2aa","wcag21a","wcag21aa","wcag22aa"]`

// page is one page a visitor can meet, and how a tab gets there. query is
// added to the first request (e.g. language=ar).
type page struct {
	name   string // screenshot file stem
	status int64
	noShot bool // checked, but not screenshotted (a variant of another page)
	reach  func(tb *tab, query string) *network.Response
}

func withQuery(path, query string) string {
	if query == "" {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&" + query
	}
	return path + "?" + query
}

func challengePage(kind string) page {
	return page{name: "captcha-" + kind, status: http.StatusOK, reach: func(tb *tab, q string) *network.Response {
		return tb.open(withQuery("/"+kind+"/page", q))
	}}
}

// visitorPages lists every page of the plugin this tree has.
func visitorPages() []page {
	var ps []page
	for _, kind := range challengeKinds() {
		ps = append(ps, challengePage(kind))
	}
	ps = append(ps,
		// Hardness 3: picture and recording on one page.
		page{name: "captcha-text-hard", status: http.StatusOK, noShot: true, reach: func(tb *tab, q string) *network.Response {
			return tb.open(withQuery("/hard/page", q))
		}},
		// The audio alternative of a picture challenge links back to the pictures.
		page{name: "captcha-audio-alternative", status: http.StatusOK, noShot: true, reach: func(tb *tab, q string) *network.Response {
			tb.open(withQuery("/oneclick/page", q))
			return tb.submit(chromedp.Click(chromedp.CSS(`.alt a[href]`)))
		}},
		page{name: "captcha-text-wrong", status: http.StatusOK, reach: func(tb *tab, q string) *network.Response {
			tb.open(withQuery("/text/page", q))
			return tb.answerWith("text", tb.challengeToken(), false)
		}},
		// Locked out after wrong answers (fight: more than 2 failures).
		page{name: "blocked", status: http.StatusForbidden, reach: func(tb *tab, q string) *network.Response {
			resp := tb.open(withQuery("/text/page", q))
			for i := 0; i < 4 && resp.Status == http.StatusOK; i++ {
				resp = tb.answerWith("text", tb.challengeToken(), false)
			}
			return resp
		}},
		page{name: "change-language", status: http.StatusOK, reach: func(tb *tab, q string) *network.Response {
			return tb.open(withQuery("/_captchaify/language?return=/text/page", q))
		}},
		// The limited route allows one request a minute.
		page{name: "rate-limited", status: http.StatusTooManyRequests, reach: func(tb *tab, q string) *network.Response {
			resp := tb.open(withQuery("/limited/page", q))
			for i := 0; i < 2 && resp.Status != http.StatusTooManyRequests; i++ {
				resp = tb.open(withQuery("/limited/page", q))
			}
			return resp
		}},
	)
	return ps
}

// variant is how a page is looked at.
type variant struct {
	name   string // screenshot file suffix; empty: no screenshot
	scheme string // emulated prefers-color-scheme
	query  string
	// check asserts the page is in this variant (e.g. right-to-left).
	check func(tb *tab) error
}

var variants = []variant{
	{name: "light", scheme: "light"},
	{name: "dark", scheme: "dark"},
	{name: "rtl", scheme: "light", query: "language=ar", check: func(tb *tab) error {
		if dir, _ := tb.attr("html", "dir"); dir != "rtl" {
			return fmt.Errorf("<html dir=%q>, want rtl", dir)
		}
		return nil
	}},
	// The theme argument overrides the system's scheme.
	{scheme: "light", query: "theme=dark", check: func(tb *tab) error {
		if th, _ := tb.attr("html", "data-theme"); th != "dark" {
			return fmt.Errorf("<html data-theme=%q>, want dark", th)
		}
		return nil
	}},
}

// axeViolation is axe-core's report of one failed rule.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

type axeResult struct {
	Violations []axeViolation `json:"violations"`
	Passes     []string       `json:"passes"`
	Incomplete []string       `json:"incomplete"`
}

// runAxe injects axe-core into the page (through the DevTools protocol, so
// the page's Content-Security-Policy does not stop it) and runs it.
func (tb *tab) runAxe() axeResult {
	tb.t.Helper()
	src := axeScript(tb.t)
	ctx, cancel := tb.timeout()
	defer cancel()
	// axe itself is a script, and needs timers: allow scripts again, now
	// that the page was loaded and shown without them.
	if err := scriptsOff(ctx, false); err != nil {
		tb.t.Fatalf("enabling scripts for axe-core: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		tb.t.Fatalf("injecting axe-core: %v", err)
	}
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + axeTags + `}}).then(r => ({
		violations: r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help,
			nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html, summary: n.failureSummary || ""}))})),
		passes: r.passes.map(v => v.id),
		incomplete: r.incomplete.map(v => v.id)}))`
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](script, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("running axe-core: %v", err)
	}
	return res
}

// TestPages: every page a visitor can meet, in light and dark theme and in
// a right-to-left language, has no WCAG 2.2 AA violation axe-core can find.
// With -update it also writes docs/screenshots/<page>-<variant>.png.
func TestPages(t *testing.T) {
	setup(t)
	root, err := traefiktest.FindRepoRoot("")
	if err != nil {
		t.Fatal(err)
	}
	shots := filepath.Join(root, "docs", "screenshots")
	for _, p := range visitorPages() {
		for _, v := range variants {
			name := p.name
			if v.name != "" {
				name += "-" + v.name
			} else {
				name += "-" + strings.ReplaceAll(v.query, "=", "-")
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel() // two tabs at a time (GOMAXPROCS), each its own client
				tb := newTab(t, v.scheme)
				resp := p.reach(tb, v.query)
				if resp.Status != p.status || tb.count("#site") != 0 {
					t.Fatalf("want the %s page (%d), got %d at %s: %.1500s", p.name, p.status, resp.Status, resp.URL, tb.html())
				}
				if n := tb.count("script"); n != 0 {
					t.Errorf("the page has %d script elements", n)
				}
				if v.check != nil {
					if err := v.check(tb); err != nil {
						t.Fatal(err)
					}
				}
				res := tb.runAxe()
				t.Logf("axe-core: %d violations, %d rules passed, needs review: %v", len(res.Violations), len(res.Passes), res.Incomplete)
				// Contrast must have been measured, not left for review.
				if !slices.Contains(res.Passes, "color-contrast") {
					t.Errorf("axe-core could not check color-contrast (passed: %v)", res.Passes)
				}
				for _, vi := range res.Violations {
					for _, n := range vi.Nodes {
						t.Errorf("%s (%s, %s): %s\n\telement %s: %s\n\t%s", vi.ID, vi.Impact, vi.Help, p.name, n.Target, n.HTML, strings.ReplaceAll(n.Summary, "\n", "\n\t"))
					}
				}
				if v.name == "" || p.noShot {
					return
				}
				file := filepath.Join(shots, name+".png")
				if *update {
					writeScreenshot(t, tb, file)
				} else if _, err := os.Stat(file); err != nil {
					t.Errorf("no screenshot %s (README links it): run `cd tools && go test ./browser/ -run TestPages -update`", file)
				}
			})
		}
	}
}

// writeScreenshot saves the whole page. The viewport is stretched to the
// page's height first: chromium's capture beyond the viewport shifts
// right-to-left pages sideways.
func writeScreenshot(t *testing.T, tb *tab, file string) {
	t.Helper()
	ctx, cancel := tb.timeout()
	defer cancel()
	metrics, err := chromedp.Call(ctx, cdppage.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		t.Fatalf("layout metrics: %v", err)
	}
	height := int64(math.Ceil(metrics.CSSContentSize.Height))
	if height < viewportHeight {
		height = viewportHeight
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(viewportWidth, height)); err != nil {
		t.Fatal(err)
	}
	img, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if _, err := png.Decode(bytes.NewReader(img)); err != nil {
		t.Fatalf("screenshot is no PNG: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, img, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestAxeFindsViolations: the accessibility check is not blind. A page with
// known faults, in light and dark, must fail the rules they break, and the
// low-contrast Arabic text must be among them (axe's icon-ligature
// heuristic would skip it, see axeScript).
func TestAxeFindsViolations(t *testing.T) {
	setup(t)
	faulty := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!DOCTYPE html><html dir="rtl"><head><title>Faults</title><style>
#ar{color:#999;background:#aaa} #dk{color:#000;background:#fff}
@media (prefers-color-scheme:dark){body{background:#000} #dk{color:#222;background:#000}}
</style></head><body><main>
<p id="ar">نص عربي بتباين ضعيف جدًا</p><p id="dk">Dark text on black in the dark</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<form><input type="text" name="q"></form></main></body></html>`)
	}))
	defer faulty.Close()
	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			tb := newTab(t, scheme)
			ctx, cancel := tb.timeout()
			defer cancel()
			if err := chromedp.Do(ctx, chromedp.Navigate(faulty.URL)); err != nil {
				t.Fatal(err)
			}
			found := map[string]bool{}
			for _, v := range tb.runAxe().Violations {
				found[v.ID] = true
				for _, n := range v.Nodes {
					found[v.ID+" "+n.Target] = true
				}
			}
			want := []string{"color-contrast #ar", "image-alt", "label", "html-has-lang"}
			if scheme == "dark" {
				want = append(want, "color-contrast #dk")
			} else if found["color-contrast #dk"] {
				t.Errorf("#dk flagged in light theme, where it has full contrast")
			}
			for _, w := range want {
				if !found[w] {
					t.Errorf("axe-core did not report %s (found: %v)", w, found)
				}
			}
		})
	}
}
