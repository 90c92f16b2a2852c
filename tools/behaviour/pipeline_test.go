package behaviour

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

func TestSolveTextChallengeAndPass(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.7")
		res := s.solve(t, v, "/page?a=1&b=two")
		if got := res.header.Get("Location"); got != "/page?a=1&b=two" {
			t.Errorf("Location = %q, want the original URL with its query", got)
		}
		setCookie := strings.Join(res.header.Values("Set-Cookie"), "\n")
		for _, want := range []string{"captcha=", "Path=/", "Max-Age=3600", "HttpOnly", "SameSite=Lax"} {
			if !strings.Contains(setCookie, want) {
				t.Errorf("Set-Cookie %q lacks %q", setCookie, want)
			}
		}
		if strings.Contains(setCookie, "Domain=") || strings.Contains(setCookie, "Secure") {
			t.Errorf("Set-Cookie %q: no Domain, no Secure over plain HTTP", setCookie)
		}
		mustReach(t, s.get(t, v, "/page?a=1&b=two"), "backend /page?a=1&b=two")
		mustReach(t, s.get(t, v, "/other"), "backend /other?")
		if s.reached != 2 {
			t.Errorf("backend reached %d times, want 2 (never while challenged)", s.reached)
		}
	})
}

func TestSpentChallengeRefused(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		name := uniqueName()
		cfg := map[string]any{"defaultAction": "fight"}
		s := mustBuild(t, f, cfg, name)
		v := browser("198.51.100.8")
		page := s.get(t, v, "/")
		ct := mustChallenge(t, page)
		form := url.Values{"ct": {ct}, "tc": {answer(t, ct)}}
		if res := s.answer(t, v, page, form); res.status != http.StatusSeeOther {
			t.Fatalf("first answer: %d", res.status)
		}
		res := s.answer(t, &visitor{ip: v.ip, ua: v.ua}, page, form)
		mustChallenge(t, res)
		if !strings.Contains(res.body, "already used") {
			t.Errorf("replayed ct: want the 'already used' message")
		}
		// After a reload (a new instance of the same middleware) and on
		// another router (another name), the id stays spent.
		for _, n := range []string{name, uniqueName()} {
			again := mustBuild(t, f, map[string]any{"defaultAction": "fight"}, n)
			if res := again.answer(t, &visitor{ip: v.ip, ua: v.ua}, page, form); res.status == http.StatusSeeOther {
				t.Errorf("instance %s accepted a spent ct", n)
			}
		}
	})
}

func TestWrongAnswersLockOut(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.9")
		// fight allows two failures; the third locks the client out.
		for i := 1; i <= 3; i++ {
			page := s.get(t, v, "/")
			ct := mustChallenge(t, page)
			res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {"WRONG" + answer(t, ct)}})
			if i < 3 {
				mustChallenge(t, res)
				if !strings.Contains(res.body, "not right") {
					t.Errorf("attempt %d: want the error line", i)
				}
				continue
			}
			if res.status != http.StatusForbidden || !strings.Contains(res.body, "Access blocked") {
				t.Fatalf("attempt %d: want the blocked page, got %d", i, res.status)
			}
		}
		if res := s.get(t, v, "/"); res.status != http.StatusForbidden {
			t.Errorf("locked-out client: got %d, want 403", res.status)
		}
		// Other clients are not affected.
		mustChallenge(t, s.get(t, browser("198.51.100.10"), "/"))
	})
}

func TestLockoutUnderCaptchaAllowsThreeFailures(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "captcha", "defaultHardness": 1})
		v := &visitor{ip: "198.51.100.11", ua: "Googlebot/2.1"}
		for i := 1; i <= 4; i++ {
			page := s.get(t, v, "/")
			ct := mustChallenge(t, page)
			res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {"x"}})
			if i < 4 {
				mustChallenge(t, res)
			} else if res.status != http.StatusForbidden {
				t.Fatalf("fourth failure: want 403, got %d", res.status)
			}
		}
	})
}

func TestForgedAndForeignTokensRefused(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.12")
		s.solve(t, v, "/")
		mustReach(t, s.get(t, v, "/"), "backend /?")

		tampered := *v
		tampered.cookie = flipChar(v.cookie)
		mustChallenge(t, s.get(t, &tampered, "/"))

		otherUA := *v
		otherUA.ua = "Mozilla/5.0 (Windows NT 10.0) Chrome/130.0"
		mustChallenge(t, s.get(t, &otherUA, "/"))

		otherNet := *v
		otherNet.ip = "203.0.113.9"
		mustChallenge(t, s.get(t, &otherNet, "/"))

		// Same /24: the default subnet binding lets it through.
		sameNet := *v
		sameNet.ip = "198.51.100.200"
		mustReach(t, s.get(t, &sameNet, "/"), "backend /?")

		foreign, err := captchaify.IssueClearanceToken(secret, "203.0.113.9", browserUA, 3, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		mustChallenge(t, s.get(t, &visitor{ip: "198.51.100.12", ua: browserUA, cookie: "captcha=" + foreign}, "/"))
		mustReach(t, s.get(t, &visitor{ip: "203.0.113.9", ua: browserUA, cookie: "captcha=" + foreign}, "/"), "backend /?")

		otherSecret, err := captchaify.IssueClearanceToken("another-secret-another-secret-0000", "198.51.100.12", browserUA, 3, "subnet")
		if err != nil {
			t.Fatal(err)
		}
		mustChallenge(t, s.get(t, &visitor{ip: "198.51.100.12", ua: browserUA, cookie: "captcha=" + otherSecret}, "/"))

		// A forged ct counts as a failed attempt and gets a fresh challenge.
		page := s.get(t, v2(), "/")
		ct := mustChallenge(t, page)
		res := s.answer(t, v2(), page, url.Values{"ct": {flipChar(ct)}, "tc": {answer(t, ct)}})
		mustChallenge(t, res)
		if !strings.Contains(res.body, "could not be read") {
			t.Errorf("forged ct: want the error line")
		}
	})
}

func v2() *visitor { return browser("198.51.100.13") }

func flipChar(s string) string {
	b := []byte(s)
	i := len(b) - 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestExpiredClearanceRefused(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "verificationAge": 1})
		v := browser("198.51.100.14")
		s.solve(t, v, "/")
		mustReach(t, s.get(t, v, "/"), "backend /?")
		time.Sleep(2100 * time.Millisecond)
		mustChallenge(t, s.get(t, v, "/"))
	})
}

// Without route maps or rules the defaults decide every request: a pass
// too easy for them is refused every time, the repeat requests too (the
// fast path never remembers it), and a hard enough one passes every time.
func TestPassTooEasyForTheDefaults(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultHardness": 3})
		easy, _ := captchaify.IssueClearanceToken(secret, "198.51.100.17", browserUA, 2, "")
		hard, _ := captchaify.IssueClearanceToken(secret, "198.51.100.17", browserUA, 3, "")
		withEasy := &visitor{ip: "198.51.100.17", ua: browserUA, cookie: "captcha=" + easy}
		withHard := &visitor{ip: "198.51.100.17", ua: browserUA, cookie: "captcha=" + hard}
		for i := 0; i < 3; i++ {
			mustChallenge(t, s.get(t, withEasy, "/"))
			mustReach(t, s.get(t, withHard, "/"), "backend /?")
		}
	})
}

func TestHardnessOfPass(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{
			"defaultAction": "fight", "defaultHardness": 1,
			"hardness": map[string]any{"/admin*": 3},
		})
		easy, _ := captchaify.IssueClearanceToken(secret, "198.51.100.15", browserUA, 1, "")
		hard, _ := captchaify.IssueClearanceToken(secret, "198.51.100.15", browserUA, 3, "")
		withEasy := &visitor{ip: "198.51.100.15", ua: browserUA, cookie: "captcha=" + easy}
		withHard := &visitor{ip: "198.51.100.15", ua: browserUA, cookie: "captcha=" + hard}
		mustReach(t, s.get(t, withEasy, "/"), "backend /?")
		mustChallenge(t, s.get(t, withEasy, "/admin/users"))
		mustReach(t, s.get(t, withHard, "/admin/users"), "backend /admin/users?")
		mustReach(t, s.get(t, withHard, "/"), "backend /?")

		// A challenge issued at hardness 1 does not unlock a hardness-3 route.
		ct := mustChallenge(t, s.get(t, browser("198.51.100.16"), "/"))
		info, _ := captchaify.OpenChallengeToken(secret, ct)
		if info.Hardness != 1 || len(info.Answer) < 6 || len(info.Answer) > 8 {
			t.Errorf("hardness 1 challenge: %+v, want 6–8 characters", info)
		}
		ct3 := mustChallenge(t, s.get(t, browser("198.51.100.16"), "/admin"))
		info3, _ := captchaify.OpenChallengeToken(secret, ct3)
		if info3.Hardness != 3 || len(info3.Answer) < 10 || len(info3.Answer) > 12 {
			t.Errorf("hardness 3 challenge: %+v, want 10–12 characters", info3)
		}
	})
}

func TestCaseInsensitiveAnswer(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.17")
		page := s.get(t, v, "/x")
		ct := mustChallenge(t, page)
		res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {" " + strings.ToLower(answer(t, ct)) + " "}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("lower-case answer: want 303, got %d", res.status)
		}
	})
}

func TestActions(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{
			"actions": map[string]any{
				"/open/*":   "allow",
				"/legacy/*": "let",
				"/private*": "block",
				"/login*":   "fight",
			},
		})
		person := browser("198.51.100.20")
		bot := &visitor{ip: "198.51.100.21", ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}
		noUA := &visitor{ip: "198.51.100.22"}

		mustReach(t, s.get(t, person, "/"), "backend /?")
		mustChallenge(t, s.get(t, bot, "/"))
		mustChallenge(t, s.get(t, noUA, "/"))

		mustReach(t, s.get(t, bot, "/open/feed"), "backend /open/feed?")
		mustReach(t, s.get(t, bot, "/legacy/x"), "backend /legacy/x?")

		mustReach(t, s.get(t, person, "/private/x"), "backend /private/x?")
		if res := s.get(t, bot, "/private/x"); res.status != http.StatusForbidden {
			t.Errorf("block: crawler got %d, want 403", res.status)
		}
		mustChallenge(t, s.get(t, person, "/login"))
	})
}

func TestBlockCrawlerOff(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"blockCrawler": "false"})
		bot := &visitor{ip: "198.51.100.23", ua: "Googlebot/2.1"}
		mustReach(t, s.get(t, bot, "/"), "backend /?")
	})
}

func TestMostSpecificRouteWins(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{
			"actions": map[string]any{
				"*":                   "fight",
				"/docs/*":             "allow",
				"/docs/private/*":     "fight",
				"*/api/*":             "allow",
				"admin.example.com/*": "block",
			},
		})
		p := browser("198.51.100.24")
		mustChallenge(t, s.get(t, p, "/"))
		mustReach(t, s.get(t, p, "/docs/a"), "backend /docs/a?")
		mustChallenge(t, s.get(t, p, "/docs/private/a"))
		mustReach(t, s.get(t, p, "/v1/api/x"), "backend /v1/api/x?")
		mustReach(t, s.get(t, p, "http://admin.example.com/x"), "backend /x?")
		bot := &visitor{ip: "198.51.100.25", ua: "curl/8.0"}
		if res := s.get(t, bot, "http://admin.example.com:8080/x"); res.status != http.StatusForbidden {
			t.Errorf("host pattern: crawler on admin host got %d, want 403", res.status)
		}
	})
}

func TestWithoutCookies(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "withoutCookies": true})
		v := browser("198.51.100.26")
		res := s.solve(t, v, "/page?x=1&captcha=stale")
		if len(res.header.Values("Set-Cookie")) != 0 {
			t.Errorf("withoutCookies: got Set-Cookie %q", res.header.Values("Set-Cookie"))
		}
		loc := res.header.Get("Location")
		if !strings.HasPrefix(loc, "/page?x=1&captcha=") || strings.Contains(loc, "stale") {
			t.Fatalf("Location = %q, want /page?x=1&captcha=<token>", loc)
		}
		mustReach(t, s.get(t, v, loc), "backend /page?x=1") // the token is kept from the site
		mustChallenge(t, s.get(t, v, "/page?x=1"))
	})
}

func TestStaleTokenArgumentDoesNotHideTheCookie(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.110")
		res := s.solve(t, v, "/p?captcha=stale&k=1")
		if loc := res.header.Get("Location"); loc != "/p?k=1" {
			t.Errorf("Location = %q, want the stale token argument dropped", loc)
		}
		mustReach(t, s.get(t, v, "/p?captcha=stale&k=1"), "backend /p?k=1")
	})
}

func TestAnswerFromAPassingClientGoesBackToThePage(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.111")
		page := s.get(t, v, "/form?x=1")
		ct := mustChallenge(t, page)
		s.solve(t, v, "/other") // solved in another tab meanwhile
		res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {answer(t, ct)}})
		if res.status != http.StatusSeeOther || res.header.Get("Location") != "/form?x=1" {
			t.Errorf("answer from a verified client: got %d to %q, want 303 to /form?x=1", res.status, res.header.Get("Location"))
		}
		if s.reached != 0 {
			t.Errorf("an answer reached the site")
		}
		// A POST of the site's own form is not an answer, whatever its fields.
		posted := s.post(t, v, "/form", url.Values{"ct": {"x"}, "tc": {"y"}})
		mustReach(t, posted, "backend /form?")
	})
}

func TestTokenArgumentKeptFromTheSite(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"actions": map[string]any{"/api/*": "allow"}})
		mustReach(t, s.get(t, browser("198.51.100.112"), "/api/x?a=1&captcha=tok&b=2"), "backend /api/x?a=1&b=2")
	})
}
