package e2e

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/captchaify/captchaify/tools/mmdbtest"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// Client intelligence through a real Traefik: the real GeoLite2 databases,
// loopback stand-ins for the Tor exit list, ip-api and StopForumSpam, and
// ipStrategy behind a trusted and an untrusted entrypoint. Each test starts
// its own Traefik, because the entrypoint's trust is static configuration.

const (
	e2eTorExit = "185.220.101.7"
	e2eProxy   = "5.5.5.5"
	e2eSpammer = "7.7.7.7"
	e2ePlain   = "8.8.4.4"
	e2eSwede   = "89.160.20.112" // GeoLite2: SE, AS29518
)

// fakeThirdParties serves the three third parties and counts their requests.
type fakeThirdParties struct {
	tor, ipapi, sfs *httptest.Server
	hits            int64
}

func startThirdParties(t *testing.T) *fakeThirdParties {
	f := &fakeThirdParties{}
	count := func(h http.HandlerFunc) *httptest.Server {
		s := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			atomic.AddInt64(&f.hits, 1)
			h(rw, r)
		}))
		t.Cleanup(s.Close)
		return s
	}
	f.tor = count(func(rw http.ResponseWriter, r *http.Request) { fmt.Fprintln(rw, e2eTorExit) })
	f.ipapi = count(func(rw http.ResponseWriter, r *http.Request) {
		proxy := strings.HasSuffix(r.URL.Path, "/"+e2eProxy)
		fmt.Fprintf(rw, `{"status":"success","countryCode":"US","proxy":%v,"hosting":false}`, proxy)
	})
	f.sfs = count(func(rw http.ResponseWriter, r *http.Request) {
		appears := 0
		if r.URL.Query().Get("ip") == e2eSpammer {
			appears = 1
		}
		fmt.Fprintf(rw, `{"success":1,"ip":{"appears":%d}}`, appears)
	})
	return f
}

func (f *fakeThirdParties) options() map[string]any {
	return map[string]any{
		"torExitListURL":   f.tor.URL,
		"ipapiURL":         f.ipapi.URL + "/json/",
		"stopForumSpamURL": f.sfs.URL + "/api",
	}
}

// getAs sends a GET from loopback with xff (if any) as X-Forwarded-For.
func getAs(t *testing.T, inst *traefiktest.Instance, path, xff string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, inst.URL(path), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html")
	if xff != "" {
		req.Header.Set("X-Forwarded-For", xff)
	}
	resp, err := traefiktest.Client("").Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(b), cookie: map[string]string{}}
}

func skipWithoutTraefik(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik end-to-end tests skipped")
	}
}

// Behind an entrypoint that trusts forwarded headers, ipStrategy depth 1
// takes the visitor's address from X-Forwarded-For: the real databases and
// the third parties then judge that address.
func TestClientIntelligenceThroughTraefik(t *testing.T) {
	skipWithoutTraefik(t)
	fakes := startThirdParties(t)
	base := func(extra map[string]any) map[string]any {
		c := map[string]any{
			"secret":             secret,
			"defaultCaptchaType": "text",
			"defaultAction":      "captcha",
			"ipStrategy":         map[string]any{"depth": 1},
			"geoipDatabase":      mmdbtest.Real(t, "GeoLite2-City.mmdb"),
			"asnDatabase":        mmdbtest.Real(t, "GeoLite2-ASN.mmdb"),
		}
		for k, v := range fakes.options() {
			c[k] = v
		}
		for k, v := range extra {
			c[k] = v
		}
		return c
	}
	inst := traefiktest.Start(t, traefiktest.Options{
		TrustForwardedHeaders: true,
		Config: traefiktest.Config{Routes: []traefiktest.Route{
			{Name: "intel", Rule: "PathPrefix(`/intel/`)", Plugin: base(nil)},
			{Name: "block", Rule: "PathPrefix(`/block/`)", Plugin: base(map[string]any{"defaultAction": "block"})},
			{Name: "geo", Rule: "PathPrefix(`/geo/`)", Plugin: base(map[string]any{
				"defaultAction": "allow",
				"thirdParties":  "none",
				"rules": []any{map[string]any{
					"rule":   "country_code == SE and city == Karlstad and as_code == 29518",
					"change": map[string]any{"action": "fight"},
				}},
			})},
		}},
	})

	// Rule-free: the suspicion check asks the third parties.
	mustChallenge(t, "Tor exit", getAs(t, inst, "/intel/a", e2eTorExit))
	mustChallenge(t, "ip-api proxy", getAs(t, inst, "/intel/a", e2eProxy))
	mustChallenge(t, "StopForumSpam listing", getAs(t, inst, "/intel/a", e2eSpammer))
	mustBackend(t, "unlisted visitor", getAs(t, inst, "/intel/a", e2ePlain), "/intel/a")
	mustBackend(t, "loopback visitor", getAs(t, inst, "/intel/a", ""), "/intel/a")
	if r := getAs(t, inst, "/block/a", e2eTorExit); r.status != http.StatusForbidden {
		t.Errorf("Tor exit under block: want 403, got %s", r)
	}
	mustBackend(t, "unlisted visitor under block", getAs(t, inst, "/block/a", e2ePlain), "/block/a")

	// A rule on the real databases' fields.
	mustChallenge(t, "Swedish visitor on the geo rule", getAs(t, inst, "/geo/a", e2eSwede))
	mustBackend(t, "US visitor on the geo rule", getAs(t, inst, "/geo/a", e2ePlain), "/geo/a")
	if atomic.LoadInt64(&fakes.hits) == 0 {
		t.Error("the third parties were never asked")
	}
	inst.AssertNoPluginErrors(t)
}

// ipStrategy behind an entrypoint that does not trust forwarded headers:
// Traefik replaces the client's X-Forwarded-For with the peer's address, so
// a spoofed header changes neither the client's identity nor its verdict.
func TestSpoofedForwardedForFromUntrustedPeer(t *testing.T) {
	skipWithoutTraefik(t)
	fakes := startThirdParties(t)
	plugin := func(action string, rateLimit int) map[string]any {
		return map[string]any{
			"secret":             secret,
			"defaultCaptchaType": "text",
			"defaultAction":      action,
			"defaultRateLimit":   rateLimit,
			"ipStrategy":         map[string]any{"depth": 1},
			"thirdParties":       "tor",
			"torExitListURL":     fakes.tor.URL,
		}
	}
	inst := traefiktest.Start(t, traefiktest.Options{
		TrustForwardedHeaders: false,
		Config: traefiktest.Config{Routes: []traefiktest.Route{
			{Name: "tor", Rule: "PathPrefix(`/tor/`)", Plugin: plugin("captcha", 100)},
			{Name: "rl", Rule: "PathPrefix(`/rl/`)", Plugin: plugin("allow", 3)},
		}},
	})
	// Claiming to be a Tor exit does not make one: the plugin sees the
	// loopback peer.
	mustBackend(t, "spoofed Tor exit", getAs(t, inst, "/tor/a", e2eTorExit), "/tor/a")
	// Rotating spoofed addresses does not escape the rate limit either.
	mustBackend(t, "spoofed 1", getAs(t, inst, "/rl/a", "203.0.113.1"), "/rl/a")
	mustBackend(t, "spoofed 2", getAs(t, inst, "/rl/a", "203.0.113.2"), "/rl/a")
	mustBackend(t, "spoofed 3", getAs(t, inst, "/rl/a", "203.0.113.3, 198.51.100.3"), "/rl/a")
	if r := getAs(t, inst, "/rl/a", "203.0.113.4"); r.status != http.StatusTooManyRequests {
		t.Errorf("fourth request with yet another spoofed address: want 429, got %s", r)
	}
	inst.AssertNoPluginErrors(t)
}
