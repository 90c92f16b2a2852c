package e2e

import (
	"fmt"
	"net/http"
	"os"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/dnstest"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// Rules and verified crawlers through a real Traefik: the configuration
// travels as YAML through the file provider (every scalar inside a rule or
// change becomes a string there), and one middleware is written the way
// Docker labels deliver it, everything a string and the rule as one string.
func TestRulesThroughTraefik(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1")
	}
	dns := dnstest.Start(t)
	dns.Host("127.0.210.1", "crawl-127-0-210-1.googlebot.com")
	dns.PTR("127.0.211.1", "crawl-66-249-66-2.googlebot.com") // forward lookup points elsewhere
	dns.A("crawl-66-249-66-2.googlebot.com", "66.249.66.2")

	yamlRules := []any{
		map[string]any{
			"rule":   []any{"path", "starts with", "/yaml/admin", "and", "ip", "is not in", "127.0.201.0/24,10.0.0.0/8"},
			"change": map[string]any{"action": "fight", "hardness": 3},
		},
		map[string]any{
			"rule":   []any{"invalid_ip", "is", false, "and", "path", "==", "/yaml/typed*"},
			"change": map[string]any{"action": "fight"},
		},
		map[string]any{
			"rule":   []any{"path", "starts with", "/yaml/limited"},
			"change": map[string]any{"rate_limit": []any{2, 100}},
		},
		map[string]any{
			"rule":   []any{"user_agent", "contains", "curl/", "and", "path", "starts with", "/yaml/private"},
			"change": map[string]any{"action": "block"},
		},
	}
	cfg := traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "yaml", Rule: "PathPrefix(`/yaml/`)", Plugin: pluginConfig(map[string]any{
			"defaultAction": "allow", "thirdParties": "none", "rules": yamlRules,
		})},
		{Name: "label", Rule: "PathPrefix(`/label/`)", Plugin: map[string]any{
			"secret":             secret,
			"defaultAction":      "allow",
			"defaultCaptchaType": "text",
			"thirdParties":       "none",
			"ipStrategy":         map[string]any{"depth": map[bool]string{true: "1", false: "0"}[viaXFF]},
			"rules": []any{map[string]any{
				"rule":   "ip is in 127.0.202.0/24,127.0.203.0/24 and path starts with /label/admin or header.X-Suspect is yes",
				"change": map[string]any{"action": "fight", "hardness": "1", "rate_limit": "50,500"},
			}},
		}},
		{Name: "fast", Rule: "PathPrefix(`/fast/`)", Plugin: pluginConfig(map[string]any{
			"defaultAction": "fight", "defaultHardness": 1, "thirdParties": "none",
			"rules": []any{
				map[string]any{"rule": "path starts with /fast/admin", "change": map[string]any{"hardness": 3}},
				map[string]any{"rule": "query contains debug or header.X-Role == root", "change": map[string]any{"hardness": 3}},
			},
		})},
		{Name: "crawl", Rule: "PathPrefix(`/crawl/`)", Plugin: pluginConfig(map[string]any{
			"defaultAction": "captcha", "thirdParties": "none", "dnsResolver": dns.Addr,
			"allowVerifiedCrawlers": true,
		})},
	}}
	inst := traefiktest.Start(t, traefiktest.Options{
		Config: cfg, TrustForwardedHeaders: viaXFF, Progress: os.Stderr,
		RepoRoot: os.Getenv("CAPTCHAIFY_PLUGIN_ROOT"), // as pluginload: empty means this repository
	})

	t.Run("yaml list rules", func(t *testing.T) {
		outsider := newVisitor(t, inst, 200)
		insider := newVisitor(t, inst, 201)
		c := mustChallenge(t, "rule-matched admin page", outsider.get("/yaml/admin/users"))
		if info, err := captchaify.OpenChallengeToken(secret, c.ct); err != nil || info.Hardness != 3 {
			t.Errorf("hardness change: %+v %v, want 3", info, err)
		}
		mustBackend(t, "insider on admin", insider.get("/yaml/admin/users"), "/yaml/admin/users")
		mustBackend(t, "no rule", outsider.get("/yaml/blog"), "/yaml/blog")
		mustRefused(t, "bool from YAML", outsider.get("/yaml/typed/x"))

		limited := newVisitor(t, inst, 204)
		for i := 0; i < 2; i++ {
			mustBackend(t, "under the rule's rate limit", limited.get("/yaml/limited"), "/yaml/limited")
		}
		if r := limited.get("/yaml/limited"); r.status != http.StatusTooManyRequests {
			t.Errorf("rate_limit [2, 100]: 3rd request got %d, want 429", r.status)
		}

		curl := newVisitor(t, inst, 205)
		curl.ua = "curl/8.5.0"
		if r := curl.get("/yaml/private/x"); r.status != http.StatusForbidden {
			t.Errorf("block rule: curl got %d, want 403", r.status)
		}
		mustBackend(t, "block rule, browser", outsider.get("/yaml/private/x"), "/yaml/private/x")
	})

	t.Run("label-style string rule", func(t *testing.T) {
		inside := newVisitor(t, inst, 202)
		outside := newVisitor(t, inst, 206)
		c := mustChallenge(t, "string rule, and", inside.get("/label/admin"))
		if info, _ := captchaify.OpenChallengeToken(secret, c.ct); info.Hardness != 1 {
			t.Errorf("hardness from a label: %d, want 1", info.Hardness)
		}
		mustBackend(t, "string rule, and fails", outside.get("/label/admin"), "/label/admin")
		mustBackend(t, "string rule, path fails", inside.get("/label/home"), "/label/home")
	})

	// A verified visitor's pass remembers the rules' outcome per request
	// values (rulememo.go): it must still follow the path, the query and the
	// headers, also after more distinct requests than it remembers.
	t.Run("verified visitor, rules per request", func(t *testing.T) {
		v := newVisitor(t, inst, 207)
		_, r := v.solve("/fast/")
		pass := cookie(r.cookie["captcha"])
		for round := 0; round < 2; round++ {
			for i := 0; i < 6; i++ {
				page := fmt.Sprintf("/fast/p%d", i)
				mustBackend(t, "plain page", v.get(page, pass), page)
				mustChallenge(t, "admin page", v.get("/fast/admin"+page, pass))
				mustChallenge(t, "debug query", v.get(page+"?debug=1", pass))
				mustBackend(t, "other query", v.get(page+"?x=1", pass), page+"?x=1")
				req, err := http.NewRequest(http.MethodGet, inst.URL(page), nil)
				if err != nil {
					t.Fatal(err)
				}
				req.Header.Set("User-Agent", v.ua)
				req.Header.Set("X-Role", "root")
				if viaXFF {
					req.Header.Set("X-Forwarded-For", v.ip)
				}
				req.AddCookie(pass)
				resp, err := v.hc.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.Header.Get(traefiktest.BackendHeader) == "1" {
					t.Fatalf("round %d, %s with X-Role: root reached the backend", round, page)
				}
			}
		}
	})

	t.Run("verified crawler", func(t *testing.T) {
		google := newVisitor(t, inst, 210)
		google.ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
		mustBackend(t, "verified Googlebot", google.get("/crawl/page"), "/crawl/page")
		fake := newVisitor(t, inst, 211)
		fake.ua = google.ua
		mustRefused(t, "Googlebot whose name does not resolve back", fake.get("/crawl/page"))
		curl := newVisitor(t, inst, 212)
		curl.ua = "curl/8.5.0"
		mustRefused(t, "curl", curl.get("/crawl/page"))
	})

	inst.AssertNoPluginErrors(t)
}
