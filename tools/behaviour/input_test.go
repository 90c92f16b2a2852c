package behaviour

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// Malformed, oversized, truncated or forged input gets a page, never a 500
// (site.do fails the test on any 5xx) and never leaves the site.
func TestBadInputGetsAPage(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		v := browser("198.51.100.90")
		cookies := []string{
			"captcha=", "captcha=%%%", "captcha=" + strings.Repeat("A", 5000), "captcha=AQ",
			"captcha=" + strings.Repeat("_-", 40), "captcha", "=;;;captcha=\x7f", "captcha=\"quoted\"",
		}
		for _, c := range cookies {
			mustChallenge(t, s.get(t, &visitor{ip: v.ip, ua: v.ua, cookie: c}, "/"))
		}
		for _, q := range []string{"/?captcha=", "/?captcha=%zz", "/?captcha=" + strings.Repeat("x", 3000), "/?%zz&captcha=1"} {
			mustChallenge(t, s.get(t, v, q))
		}
		forms := []string{
			"ct=", "ct=%zz&tc=1", "ct=" + strings.Repeat("A", 100000), "tc=abc", "ct=AAAA&tc=" + strings.Repeat("x", 20000),
			"ct=a&ct=b&tc=c", "\x00\x01\x02", strings.Repeat("&", 5000),
		}
		for _, body := range forms {
			res := s.do(t, browser("198.51.100.91"), http.MethodPost, "/form", strings.NewReader(body), "application/x-www-form-urlencoded")
			mustChallenge(t, res)
		}
		res := s.do(t, v, http.MethodPost, "/form", strings.NewReader("ct=x"), "multipart/form-data; boundary=")
		mustChallenge(t, res)
		res = s.do(t, v, http.MethodPost, "/form", strings.NewReader("ct=x"), ";;;")
		mustChallenge(t, res)
	})
}

func TestRedirectStaysOnSite(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		for i, target := range []string{"//evil.example/x?y=1", "/\\evil.example/", "/%2F%2Fevil.example", "///evil.example"} {
			v := browser("198.51.100.9" + string(rune('2'+i)))
			page := s.get(t, v, target)
			ct := mustChallenge(t, page)
			res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {answer(t, ct)}})
			loc := res.header.Get("Location")
			if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
				t.Errorf("%q: Location %q (status %d) may leave the site", target, loc, res.status)
			}
		}
	})
}

func TestReflectedValuesEscaped(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight"})
		for _, target := range []string{`/x%22%3E%3Cscript%3Ealert(1)%3C/script%3E`, "/x"} {
			r := httptest.NewRequest(http.MethodGet, target, nil)
			r.URL.RawQuery = `q="><img src=x onerror=alert(1)>&r=<script>alert(1)</script>`
			r.RemoteAddr = "198.51.100.99:1"
			r.Header.Set("User-Agent", browserUA+`"><script>alert(1)</script>`)
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, r)
			body := rec.Body.String()
			mustChallenge(t, response{status: rec.Code, header: rec.Result().Header, body: body})
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, `"><`) {
				t.Errorf("reflected markup not escaped: %.800s", body)
			}
		}
	})
}

func TestMalformedHeaders(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"ipStrategy": map[string]any{"depth": "2"}})
		headers := []map[string]string{
			{"X-Forwarded-For": "not an address, also not"},
			{"X-Forwarded-For": strings.Repeat("1.2.3.4, ", 5000)},
			{"X-Forwarded-For": ",,,,"},
			{"X-Forwarded-For": "[::1]:80, 999.1.1.1"},
			{"Host": "exa mple.com:99999"},
			{"X-Forwarded-Proto": strings.Repeat("https", 1000)},
			{"User-Agent": strings.Repeat("Mozilla ", 20000)},
		}
		for _, h := range headers {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = "198.51.100.100:1"
			r.Header.Set("User-Agent", browserUA)
			for k, v := range h {
				if k == "Host" {
					r.Host = v
				} else {
					r.Header.Set(k, v)
				}
			}
			rec := httptest.NewRecorder()
			s.handler.ServeHTTP(rec, r)
			if rec.Code >= 500 {
				t.Errorf("%v: status %d", h, rec.Code)
			}
		}
		// An unparsable client address is suspicious: challenged, not passed.
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "garbage"
		r.Header.Set("User-Agent", browserUA)
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, r)
		mustChallenge(t, response{status: rec.Code, header: rec.Result().Header, body: rec.Body.String()})
	})
}
