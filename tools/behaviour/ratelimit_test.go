package behaviour

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

func TestPerClientRateLimit(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		cfg := map[string]any{"defaultAction": "allow", "defaultRateLimit": 5}
		s := mustBuild(t, f, cfg, name)
		v := browser("198.51.100.30")
		for i := 0; i < 5; i++ {
			mustReach(t, s.get(t, v, "/"), "backend /?")
		}
		res := s.get(t, v, "/")
		if res.status != http.StatusTooManyRequests {
			t.Fatalf("6th request: got %d, want 429", res.status)
		}
		ra, err := strconv.Atoi(res.header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 120 {
			t.Errorf("Retry-After = %q, want 1..120 seconds", res.header.Get("Retry-After"))
		}
		if res.header.Get("RateLimit-Limit") != "5" || res.header.Get("RateLimit-Remaining") != "0" {
			t.Errorf("RateLimit headers = %q/%q", res.header.Get("RateLimit-Limit"), res.header.Get("RateLimit-Remaining"))
		}
		if !strings.Contains(res.body, "cup of tea") {
			t.Errorf("429 without the rate-limited page")
		}
		// Another client is not limited; a reload keeps the count.
		mustReach(t, s.get(t, browser("198.51.100.31"), "/"), "backend /?")
		reloaded := mustBuild(t, f, map[string]any{"defaultAction": "allow", "defaultRateLimit": 5}, name)
		if res := reloaded.get(t, v, "/"); res.status != http.StatusTooManyRequests {
			t.Errorf("after reload: got %d, want 429 (counter kept)", res.status)
		}
		// Own routes are rate limited too.
		if res := reloaded.get(t, v, "/_captchaify/anything"); res.status != http.StatusTooManyRequests {
			t.Errorf("own route: got %d, want 429", res.status)
		}
	})
}

func TestRouteRateLimits(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{
			"defaultAction": "allow",
			"rateLimits":    map[string]any{"/api/*": "2,1000", "/search": []any{3}},
		})
		v := browser("198.51.100.32")
		mustReach(t, s.get(t, v, "/api/a"), "backend /api/a?")
		mustReach(t, s.get(t, v, "/api/b"), "backend /api/b?")
		if res := s.get(t, v, "/api/c"); res.status != http.StatusTooManyRequests {
			t.Errorf("route limit 2: third got %d, want 429", res.status)
		}
		// One counter per client; the route decides the threshold.
		mustReach(t, s.get(t, v, "/"), "backend /?")
	})
}

func TestSoftRateLimitMakesSuspicious(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultRateLimit": 10, "softRateLimit": 50})
		v := browser("198.51.100.33")
		for i := 0; i < 5; i++ {
			mustReach(t, s.get(t, v, "/"), "backend /?")
		}
		mustChallenge(t, s.get(t, v, "/"))
	})
}

func TestUnderAttack(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultMaxRateLimit": 3, "actions": map[string]any{"/health": "allow"}})
		for i := 0; i < 3; i++ {
			mustReach(t, s.get(t, browser("198.51.100."+strconv.Itoa(40+i)), "/"), "backend /?")
		}
		// Over the global limit: unverified people are challenged, verified pass.
		mustChallenge(t, s.get(t, browser("198.51.100.50"), "/"))
		tok, _ := captchaify.IssueClearanceToken(secret, "198.51.100.51", browserUA, 2, "")
		mustReach(t, s.get(t, &visitor{ip: "198.51.100.51", ua: browserUA, cookie: "captcha=" + tok}, "/"), "backend /?")
		mustReach(t, s.get(t, browser("198.51.100.52"), "/health"), "backend /health?")
	})
}

func TestForwardedForDepth(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "allow", "defaultRateLimit": 2, "ipStrategy": map[string]any{"depth": "1"}})
		for i := 0; i < 2; i++ {
			mustReach(t, s.forwarded(t, "127.0.0.1", "203.0.113.1, 198.51.100.60"), "backend /?")
		}
		if res := s.forwarded(t, "127.0.0.1", "6.6.6.6, 198.51.100.60"); res.status != http.StatusTooManyRequests {
			t.Errorf("same client (depth 1) behind a spoofed first hop: got %d, want 429", res.status)
		}
		mustReach(t, s.forwarded(t, "127.0.0.1", "198.51.100.61"), "backend /?")
	})
}

func TestForwardedForIgnoredByDefault(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "allow", "defaultRateLimit": 2})
		for i := 0; i < 2; i++ {
			mustReach(t, s.forwarded(t, "198.51.100.62", "203.0.113."+strconv.Itoa(i)), "backend /?")
		}
		if res := s.forwarded(t, "198.51.100.62", "203.0.113.99"); res.status != http.StatusTooManyRequests {
			t.Errorf("spoofed X-Forwarded-For changed the client: got %d, want 429", res.status)
		}
	})
}

func TestExcludedIPs(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "allow", "defaultRateLimit": 1,
			"ipStrategy": map[string]any{"excludedIPs": "10.0.0.0/8,192.168.1.1"}})
		mustReach(t, s.forwarded(t, "10.1.1.1", "198.51.100.70, 10.0.0.5, 192.168.1.1"), "backend /?")
		if res := s.forwarded(t, "10.1.1.1", "198.51.100.70, 10.9.9.9"); res.status != http.StatusTooManyRequests {
			t.Errorf("client behind excluded proxies: got %d, want 429", res.status)
		}
	})
}

// A verified visitor's repeat requests take the fast path; they are still
// counted and still limited.
func TestVerifiedVisitorIsStillRateLimited(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultRateLimit": 6})
		v := browser("198.51.100.120")
		s.solve(t, v, "/") // the challenge page and the answer count: 2
		for i := 0; i < 4; i++ {
			mustReach(t, s.get(t, v, "/"), "backend /?")
		}
		if res := s.get(t, v, "/"); res.status != http.StatusTooManyRequests {
			t.Errorf("7th request of a verified visitor: got %d, want 429", res.status)
		}
	})
}

// Far from its limit a connection (a verified visitor's, or anyone's on an
// allow route) counts requests ahead in small batches (creditAhead): one
// connection is still limited exactly, the 429 comes with request
// limit+1; two connections of one client never pass more than the limit,
// and stop at most their unused credit early.
func TestCountedAheadStillLimits(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		const limit = 1000
		for _, action := range []string{"fight", "allow"} {
			s := newSite(t, f, map[string]any{"defaultAction": action, "defaultRateLimit": limit, "defaultMaxRateLimit": 1000000})
			counted := 0
			one := browser("198.51.100.122")
			if action == "fight" {
				s.solve(t, one, "/") // the challenge page and the answer count: 2
				counted = 2
			}
			for counted++; counted <= limit; counted++ {
				if res := s.get(t, one, "/"); res.status != http.StatusOK {
					t.Fatalf("%s: request %d of %d: got %d", action, counted, limit, res.status)
				}
			}
			if res := s.get(t, one, "/"); res.status != http.StatusTooManyRequests {
				t.Errorf("%s: request %d over a limit of %d: got %d, want 429", action, limit+1, limit, res.status)
			}

			two := browser("198.51.100.123")
			counted = 0
			if action == "fight" {
				s.solve(t, two, "/")
				counted = 2
			}
			for ; counted <= limit+1; counted++ {
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.RemoteAddr = fmt.Sprintf("%s:%d", two.ip, 50000+counted%2) // two connections, in turn
				r.Header.Set("User-Agent", two.ua)
				r.Header.Set("Cookie", two.cookie)
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, r)
				if rec.Code == http.StatusTooManyRequests {
					break
				}
				if rec.Code != http.StatusOK {
					t.Fatalf("%s: request %d: got %d", action, counted+1, rec.Code)
				}
			}
			if early := 2 * (limit / 32); counted > limit || counted < limit-early {
				t.Errorf("%s, two connections: the first 429 after %d counted requests, want %d to %d", action, counted, limit-early, limit)
			}
		}
	})
}

// A middleware that allows everything (allowpath.go) still keeps the pass
// argument from the site, answers its own routes and metrics, and counts
// every request it lets through.
func TestAllowEverything(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "allow", "metricsPath": metricsPath})
		v := browser("198.51.100.124")
		for i := 0; i < 5; i++ {
			mustReach(t, s.get(t, v, "/x?a=1"), "backend /x?a=1")
		}
		mustReach(t, s.get(t, v, "/x?a=1&captcha=tok&b=2"), "backend /x?a=1&b=2")
		if res := s.get(t, v, "/_captchaify/language"); res.status != http.StatusOK || !strings.Contains(res.body, `action="/_captchaify/language"`) {
			t.Errorf("the change-language page on an allow route: %d %.100s", res.status, res.body)
		}
		if res := s.get(t, v, "/_captchaify/nothing"); res.status != http.StatusNotFound {
			t.Errorf("an unknown path of the plugin reached the site: %d %.100s", res.status, res.body)
		}
		want := `decision="pass"} 6`
		if body := scrape(t, s); !strings.Contains(body, want) {
			t.Errorf("metrics after 6 requests let through: no %q in\n%s", want, body)
		}
	})
}

// The credit is really taken ahead (compiled and under Yaegi): one request
// on connection A far from the limit counts itself and reserves
// (limit−count)/32 more, so connection B of the same client is stopped
// exactly that many requests earlier than it would be without A.
func TestCreditIsTakenAhead(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		const limit = 1000
		for _, action := range []string{"fight", "allow"} {
			s := newSite(t, f, map[string]any{"defaultAction": action, "defaultRateLimit": limit, "defaultMaxRateLimit": 1000000})
			v := browser("198.51.100.125")
			counted := 0
			if action == "fight" {
				s.solve(t, v, "/")                           // the challenge page and the answer: 2
				mustReach(t, s.get(t, v, "/"), "backend /?") // the full pipeline checks the pass: 3
				counted = 3
			} else {
				mustReach(t, s.get(t, v, "/"), "backend /?") // the client's first request opens its window: 1
				counted = 1
			}
			mustReach(t, s.get(t, v, "/"), "backend /?") // connection A: counts one, reserves the rest
			counted++
			reserved := (limit - counted) / 32
			want := limit - counted - reserved // what connection B may still make
			passed := 0
			for ; passed <= limit; passed++ {
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.RemoteAddr = v.ip + ":50001" // connection B
				r.Header.Set("User-Agent", v.ua)
				r.Header.Set("Cookie", v.cookie)
				rec := httptest.NewRecorder()
				s.handler.ServeHTTP(rec, r)
				if rec.Code != http.StatusOK {
					break
				}
			}
			if passed != want {
				t.Errorf("%s: connection B passed %d requests, want %d (limit %d, %d counted and %d reserved on A)", action, passed, want, limit, counted, reserved)
			}
		}
	})
}
