// Package browser proves the plugin in a real browser: Debian's chromium,
// headless, driven over the DevTools protocol (chromedp), with JavaScript
// switched off, loads pages through a real Traefik running the plugin, and
// solves every challenge type through the page's own form controls. The same
// pages are checked with the axe-core accessibility engine (WCAG 2.2 AA) in
// light and dark theme and in a right-to-left language, and screenshotted
// into docs/screenshots.
//
//	cd tools && go test ./browser/ -v
//	cd tools && go test ./browser/ -run TestPages -update   # rewrite docs/screenshots
//
// Environment: CAPTCHAIFY_CHROMIUM (default /usr/bin/chromium), CAPTCHAIFY_AXE
// (default: scripts/fetch-axe.sh fetches it into the cache),
// CAPTCHAIFY_SKIP_BROWSER=1 (or CAPTCHAIFY_SKIP_TRAEFIK=1) skips these tests.
package browser

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/captchaify/captchaify/tools/traefiktest"
)

const (
	secret = "browser-secret-0123456789abcdefghijklmnopqrstuvwxyz"
	// userAgent replaces chromium's own, which says HeadlessChrome: the
	// plugin rightly counts headless browsers as crawlers.
	userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36"
	// viewportWidth keeps screenshots small; pages are responsive.
	viewportWidth  = 800
	viewportHeight = 600
	// siteTitle is the <title> of every page of the sample site.
	siteTitle = "Sample site"
)

// pluginConfig is the base configuration of every middleware here. Each
// browser tab claims its own client address in X-Forwarded-For (the web
// entrypoint trusts it, the plugin reads it with ipStrategy.depth 1), so
// failures, lockouts and rate limits of one tab never touch another.
func pluginConfig(extra map[string]any) map[string]any {
	c := map[string]any{
		"secret":                secret,
		"defaultAction":         "fight", // at the plugin's default hardness, 2
		"thirdParties":          "none",
		"allowVerifiedCrawlers": false,
		"ipStrategy":            map[string]any{"depth": 1},
	}
	for k, v := range extra {
		c[k] = v
	}
	return c
}

// routes: one middleware per challenge type, plus the pages a visitor can
// meet besides a challenge.
func routes() []traefiktest.Route {
	return []traefiktest.Route{
		{Name: "text", Rule: "PathPrefix(`/text/`)", Plugin: pluginConfig(map[string]any{"defaultCaptchaType": "text"})},
		{Name: "oneclick", Rule: "PathPrefix(`/oneclick/`)", Plugin: pluginConfig(map[string]any{"defaultCaptchaType": "oneclick"})},
		{Name: "multiclick", Rule: "PathPrefix(`/multiclick/`)", Plugin: pluginConfig(map[string]any{"defaultCaptchaType": "multiclick"})},
		// allow: the first request of a minute passes, the next is rate-limited.
		{Name: "limited", Rule: "PathPrefix(`/limited/`)", Plugin: pluginConfig(map[string]any{"defaultAction": "allow", "defaultRateLimit": 1})},
		{Name: "audio", Rule: "PathPrefix(`/audio/`)", Plugin: pluginConfig(map[string]any{"defaultCaptchaType": "audio"})},
		// Hardness 3: the text challenge asks for spoken digits too.
		{Name: "hard", Rule: "PathPrefix(`/hard/`)", Plugin: pluginConfig(map[string]any{"defaultCaptchaType": "text", "defaultHardness": 3})},
		// Everything else, the plugin's own paths under /_captchaify/ included.
		{Name: "site", Rule: "PathPrefix(`/`)", Plugin: pluginConfig(nil)},
	}
}

// site is the real content behind Traefik. Its inline script would replace
// the #js paragraph: finding "off" there after solving proves the browser
// ran no script.
func site() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(traefiktest.BackendHeader, "1")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		fmt.Fprintf(w, `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>%s</title></head>
<body><main><h1 id="site">Welcome to the sample site</h1>
<p>You asked for <code id="uri">%s</code>.</p>
<p id="js">off</p>
<script>document.getElementById("js").textContent = "on";</script>
</main></body></html>
`, siteTitle, html.EscapeString(r.URL.RequestURI()))
	})
}

var (
	inst       *traefiktest.Instance
	browserCtx context.Context // the chromium process; tabs derive from it
	setupErr   error
	setupOnce  sync.Once
	stopSetup  func()
)

func TestMain(m *testing.M) {
	code := m.Run()
	if stopSetup != nil {
		stopSetup()
	}
	if inst != nil {
		if code != 0 {
			inst.KeepWorkDir()
			fmt.Fprintf(os.Stderr, "browser: Traefik's working directory is kept at %s\n", inst.WorkDir)
		}
		if err := inst.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "browser: stopping Traefik:", err)
		}
	}
	os.Exit(code)
}

// setup starts Traefik and chromium once for every test.
func setup(t *testing.T) {
	t.Helper()
	if os.Getenv("CAPTCHAIFY_SKIP_BROWSER") == "1" || os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_BROWSER=1 or CAPTCHAIFY_SKIP_TRAEFIK=1: browser tests (through a real Traefik) skipped")
	}
	setupOnce.Do(func() {
		start := time.Now()
		inst, setupErr = traefiktest.Launch(traefiktest.Options{
			Config:                traefiktest.Config{Routes: routes()},
			Backend:               site(),
			Progress:              os.Stderr,
			TrustForwardedHeaders: true,
		})
		if setupErr != nil {
			setupErr = fmt.Errorf("starting Traefik: %w", setupErr)
			return
		}
		t.Logf("Traefik serves the plugin after %v", time.Since(start).Round(time.Millisecond))
		browserCtx, stopSetup, setupErr = startChromium()
	})
	if setupErr != nil {
		t.Fatal(setupErr)
	}
}

// chromiumPath is Debian's chromium (`make browser` installs it).
func chromiumPath() (string, error) {
	if p := os.Getenv("CAPTCHAIFY_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("chromium not found: run `make browser` (apt-get install chromium), set CAPTCHAIFY_CHROMIUM, or CAPTCHAIFY_SKIP_BROWSER=1")
}

// startChromium starts one headless chromium with no network beyond
// loopback and a fresh profile.
func startChromium() (context.Context, func(), error) {
	bin, err := chromiumPath()
	if err != nil {
		return nil, nil, err
	}
	profile, err := os.MkdirTemp("", "captchaify-chromium-")
	if err != nil {
		return nil, nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(profile),
		chromedp.UserAgent(userAgent),
		chromedp.WindowSize(viewportWidth, viewportHeight),
	)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	// The first Run starts the browser; it must not carry a timeout.
	if err := chromedp.Do(ctx); err != nil {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
		return nil, nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	return ctx, stop, nil
}

// clientCounter hands every tab its own client address.
var clientCounter atomic.Int32

func nextClientIP() string {
	n := clientCounter.Add(1)
	return fmt.Sprintf("10.%d.%d.1", n/250, n%250)
}

// axeScript returns the axe-core source, fetched once into the cache by
// scripts/fetch-axe.sh.
var (
	axeOnce sync.Once
	axeSrc  string
	axeErr  error
)

const (
	axeLigatureCheck = "return vChild.props.nodeName === '#text' && !_isIconLigature(vChild);"
	axeTextCheck     = "return vChild.props.nodeName === '#text';"
)

func axeScript(t *testing.T) string {
	t.Helper()
	axeOnce.Do(func() {
		path := os.Getenv("CAPTCHAIFY_AXE")
		if path == "" {
			root, err := traefiktest.FindRepoRoot("")
			if err != nil {
				axeErr = err
				return
			}
			out, err := exec.Command(filepath.Join(root, "scripts", "fetch-axe.sh")).Output()
			if err != nil {
				axeErr = fmt.Errorf("scripts/fetch-axe.sh: %w", err)
				return
			}
			path = strings.TrimSpace(string(out))
		}
		b, err := os.ReadFile(path)
		if err != nil {
			axeErr = err
			return
		}
		// axe's color-contrast rule skips text its canvas heuristic takes
		// for an icon-font ligature, and Arabic letters, which join, look
		// like ligatures to it: every Arabic text would go unchecked. These
		// pages use no icon font, so the heuristic is switched off.
		if !strings.Contains(string(b), axeLigatureCheck) {
			axeErr = fmt.Errorf("%s: the icon-ligature check to switch off was not found (another axe-core version?)", path)
			return
		}
		axeSrc = strings.Replace(string(b), axeLigatureCheck, axeTextCheck, 1)
	})
	if axeErr != nil {
		t.Fatalf("axe-core: %v", axeErr)
	}
	return axeSrc
}
