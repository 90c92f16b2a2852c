package behaviour

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// asRoute: challenge, blocked and rate-limited pages live under routePrefix,
// reached by a 302 with a sanitised return path.

func TestAsRouteChallengeFlow(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "asRoute": true}, plainBackend)
		v := browser("198.51.100.60")

		res := s.get(t, v, "/orig/path?q=1&captcha=stale")
		if res.status != http.StatusFound {
			t.Fatalf("want 302 to the challenge route, got %d: %.200s", res.status, res.body)
		}
		loc := res.header.Get("Location")
		if loc != "/_captchaify/challenge?return=/orig/path%3Fq%3D1" {
			t.Errorf("Location = %q", loc)
		}
		if res.header.Get("Cache-Control") != "no-store" {
			t.Errorf("302 Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
		}
		if _, ok := isChallenge(res); ok {
			t.Errorf("a challenge page under the real URL")
		}

		page := s.get(t, v, loc)
		mustChallenge(t, page)
		action := html.UnescapeString(actionPattern.FindStringSubmatch(page.body)[1])
		if action != "/_captchaify/challenge?return=/orig/path%3Fq%3D1&captchaify-answer=1" {
			t.Errorf("form action = %q, want the route", action)
		}
		done := s.solveFor(t, v, page)
		if got := done.header.Get("Location"); got != "/orig/path?q=1" {
			t.Errorf("after solving: Location = %q, want the return path", got)
		}
		mustReach(t, s.get(t, v, "/orig/path?q=1"), "backend /orig/path?q=1")

		// A verified visitor on the route goes straight back; the route
		// never reaches the site.
		before := s.reached
		back := s.get(t, v, "/_captchaify/challenge?return=/else")
		if back.status != http.StatusSeeOther || back.header.Get("Location") != "/else" {
			t.Errorf("verified visitor on the route: %d Location %q, want 303 /else", back.status, back.header.Get("Location"))
		}
		if s.reached != before {
			t.Errorf("a route request reached the site")
		}
	})
}

// A challenge of one return path cannot be used for another.
func TestAsRouteChallengeBoundToReturnPath(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "asRoute": true}, plainBackend)
		v := browser("198.51.100.61")
		page := s.get(t, v, "/_captchaify/challenge?return=/a")
		ct := mustChallenge(t, page)
		res := s.post(t, v, "/_captchaify/challenge?return=/b&captchaify-answer=1", url.Values{"ct": {ct}, "tc": {answer(t, ct)}})
		if res.status == http.StatusSeeOther {
			t.Fatalf("a challenge for /a opened /b: Location %q", res.header.Get("Location"))
		}
		mustChallenge(t, res)
		// It still works for its own path (the id was not spent).
		res = s.post(t, v, "/_captchaify/challenge?return=/a&captchaify-answer=1", url.Values{"ct": {ct}, "tc": {answer(t, ct)}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/a" {
			t.Errorf("own path: %d %q", res.status, res.header.Get("Location"))
		}
	})
}

// No return value, however hostile, sends the visitor off the site.
func TestAsRouteHostileReturn(t *testing.T) {
	hostile := []string{
		"//evil.example/x", "///evil.example", "/\\evil.example", "\\\\evil.example", "/\\/evil.example",
		"https://evil.example/", "http:evil.example", "//evil.example@site/", "javascript:alert(1)",
		"/\t/evil.example", "/\n/evil.example", "/%0d%0aLocation:%20https://evil.example", "/%2F%2Fevil.example",
		"/%5C%5Cevil.example", "%2F%2Fevil.example", "evil.example", "", " /x", "/_captchaify/challenge?return=//evil.example",
		"/x\r\nSet-Cookie: a=b", "/" + strings.Repeat("a", 3000), "/<script>alert(1)</script>", `/"><script>alert(1)</script>`,
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "asRoute": true, "defaultRateLimit": 0}, plainBackend)
		for i, ret := range hostile {
			v := browser("198.51.100.62")
			target := "/_captchaify/challenge?return=" + url.QueryEscape(ret)
			page := s.get(t, v, target)
			mustChallenge(t, page)
			if strings.Contains(page.body, "<script>alert") {
				t.Errorf("%d: return %q reflected unescaped", i, ret)
			}
			action := html.UnescapeString(actionPattern.FindStringSubmatch(page.body)[1])
			mustStayOnSite(t, "form action for "+ret, action)
			done := s.solveFor(t, v, page)
			loc := done.header.Get("Location")
			mustStayOnSite(t, "after solving with return "+ret, loc)
			u, _ := url.Parse(loc)
			if strings.HasPrefix(u.Path, "/_captchaify/") {
				t.Errorf("%q: sent back to a route: %q", ret, loc)
			}
		}
		if s.reached != 0 {
			t.Errorf("route requests reached the site %d times", s.reached)
		}
	})
}

func TestAsRouteBlockedAndLockout(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := pageSite(t, f, map[string]any{
			"defaultAction": "fight", "asRoute": true,
			"actions": map[string]any{"/private/*": "block"},
		}, plainBackend)
		bot := &visitor{ip: "198.51.100.63", ua: "curl/8.5.0"}
		res := s.get(t, bot, "/private/x?y=1")
		if res.status != http.StatusFound || res.header.Get("Location") != "/_captchaify/blocked?return=/private/x%3Fy%3D1" {
			t.Fatalf("blocked client: %d Location %q", res.status, res.header.Get("Location"))
		}
		page := s.get(t, bot, res.header.Get("Location"))
		if page.status != http.StatusForbidden || !strings.Contains(page.body, "Access blocked") {
			t.Errorf("blocked route: %d %.200s", page.status, page.body)
		}

		// Locked out after wrong answers: the blocked page, on the route.
		v := browser("198.51.100.64")
		for i := 0; i < 3; i++ {
			page := s.get(t, v, "/_captchaify/challenge?return=/lock")
			if page.status == http.StatusForbidden {
				break
			}
			ct := mustChallenge(t, page)
			s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {"WRONG" + answer(t, ct)}})
		}
		res = s.get(t, v, "/lock")
		if res.status != http.StatusFound || !strings.HasPrefix(res.header.Get("Location"), "/_captchaify/blocked?return=/lock") {
			t.Errorf("locked-out client on /lock: %d %q", res.status, res.header.Get("Location"))
		}
		if page := s.get(t, v, "/_captchaify/blocked?return=/lock"); page.status != http.StatusForbidden {
			t.Errorf("locked-out client on the blocked route: %d", page.status)
		}
		if s.reached != 0 {
			t.Errorf("blocked clients reached the site")
		}
	})
}

func TestAsRouteRateLimited(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := pageSite(t, f, map[string]any{"defaultAction": "allow", "asRoute": true, "defaultRateLimit": 3}, plainBackend)
		v := browser("198.51.100.65")
		for i := 0; i < 3; i++ {
			mustReach(t, s.get(t, v, "/api?n=1"), "backend /api?n=1")
		}
		res := s.get(t, v, "/api?n=1")
		if res.status != http.StatusFound || res.header.Get("Location") != "/_captchaify/rate-limited?return=/api%3Fn%3D1" {
			t.Fatalf("over the limit: %d Location %q", res.status, res.header.Get("Location"))
		}
		page := s.get(t, v, res.header.Get("Location"))
		if page.status != http.StatusTooManyRequests || page.header.Get("Retry-After") == "" {
			t.Errorf("rate-limited route: %d Retry-After %q", page.status, page.header.Get("Retry-After"))
		}
		if !strings.Contains(page.body, `href="/api?n=1"`) {
			t.Errorf("the rate-limited page does not link back to the return path: %.400s", page.body)
		}
	})
}

// Other paths under routePrefix stay the plugin's: never challenged, never the site's.
func TestAsRouteOtherOwnRoutes(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, asRoute := range []bool{true, false} {
			s := pageSite(t, f, map[string]any{"defaultAction": "fight", "asRoute": asRoute}, plainBackend)
			v := browser("198.51.100.66")
			paths := []string{"/_captchaify/unknown?return=/x", "/_captchaify/"}
			if !asRoute {
				paths = append(paths, "/_captchaify/challenge?return=/x")
			}
			for _, p := range paths {
				res := s.get(t, v, p)
				if res.status != http.StatusNotFound {
					t.Errorf("asRoute %v: %s: %d, want 404", asRoute, p, res.status)
				}
			}
			if s.reached != 0 {
				t.Errorf("asRoute %v: own routes reached the site", asRoute)
			}
		}
	})
}

// asRoute with withoutCookies: the pass goes to the return path in the URL.
func TestAsRouteWithoutCookies(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := pageSite(t, f, map[string]any{"defaultAction": "fight", "asRoute": true, "withoutCookies": true}, plainBackend)
		v := browser("198.51.100.67")
		res := s.get(t, v, "/p?k=v")
		page := s.get(t, v, res.header.Get("Location"))
		done := s.solveFor(t, v, page)
		loc := done.header.Get("Location")
		if !strings.HasPrefix(loc, "/p?k=v&captcha=") || v.cookie != "" {
			t.Fatalf("Location %q, cookie %q", loc, v.cookie)
		}
		mustReach(t, s.get(t, v, loc), "backend /p?k=v")
	})
}
