package behaviour

import (
	"strings"
	"testing"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// Label-style configuration: every value a string, lists as "a,b".
func TestLabelStyleConfig(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{
			"defaultAction":       "fight",
			"defaultHardness":     "3",
			"defaultRateLimit":    "50",
			"defaultMaxRateLimit": "0",
			"defaultCaptchaType":  "text",
			"verificationAge":     "600",
			"withoutCookies":      "false",
			"blockCrawler":        "true",
			"tokenBinding":        "ip",
			"challengeTTL":        "120",
			"challengeStatus":     "403",
			"routePrefix":         "/_cf",
			"maxTrackedClients":   "5000",
			"softRateLimit":       "80",
			"logLevel":            "debug",
			"ipStrategy":          map[string]any{"depth": "0", "excludedIPs": "10.0.0.0/8,172.16.0.0/12", "ipv6Subnet": "64"},
			"actions":             map[string]any{"/api/*": "allow"},
			"hardness":            map[string]any{"/shop/*": "1"},
			"rateLimits":          map[string]any{"/api/*": "10,100"},
		})
		v := browser("198.51.100.80")
		res := s.get(t, v, "/")
		if _, ok := isChallenge(res); !ok || res.status != 403 {
			t.Fatalf("challengeStatus 403: got %d", res.status)
		}
		mustReach(t, s.get(t, v, "/api/x"), "backend /api/x?")
	})
}

func TestTestDataFromManifest(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		root, err := pluginload.PluginRoot()
		if err != nil {
			t.Fatal(err)
		}
		data, err := pluginload.Manifest(root)
		if err != nil {
			t.Fatal(err)
		}
		s, err := build(f, data, uniqueName())
		if err != nil {
			t.Fatalf("New on the manifest's testData: %v", err)
		}
		mustReach(t, s.get(t, browser("198.51.100.81"), "/api/x"), "backend /api/x?")
	})
}

func TestBadConfigNamesTheOption(t *testing.T) {
	cases := []struct {
		cfg  map[string]any
		want string
	}{
		{map[string]any{"defaultAction": "explode"}, `defaultAction: "explode"`},
		{map[string]any{"defaultHardness": "9"}, "defaultHardness: 9"},
		{map[string]any{"defaultCaptchaType": "puzzle"}, `defaultCaptchaType: "puzzle"`},
		{map[string]any{"secret": "short"}, "secret"},
		{map[string]any{"tokenBinding": "cookie"}, `tokenBinding: "cookie"`},
		{map[string]any{"verificationAge": "0"}, "verificationAge"},
		{map[string]any{"challengeTTL": "-5"}, "challengeTTL"},
		{map[string]any{"challengeStatus": "99"}, "challengeStatus: 99"},
		{map[string]any{"challengeStatus": "302"}, "challengeStatus: 302"},
		{map[string]any{"ipStrategy": map[string]any{"deph": "1"}}, `unknown option "ipStrategy.deph"`},
		{map[string]any{"routePrefix": "captcha"}, `routePrefix: "captcha"`},
		{map[string]any{"maxTrackedClients": "3"}, "maxTrackedClients: 3"},
		{map[string]any{"softRateLimit": "150"}, "softRateLimit: 150"},
		{map[string]any{"logLevel": "loud"}, `logLevel: "loud"`},
		{map[string]any{"defaultRateLimit": "-1"}, "defaultRateLimit: -1"},
		{map[string]any{"actions": map[string]any{"/x": "maybe"}}, `actions[/x]: "maybe"`},
		{map[string]any{"hardness": map[string]any{"/x": "4"}}, "hardness[/x]: 4"},
		{map[string]any{"captchaTypes": map[string]any{"/x": "video"}}, `captchaTypes[/x]: "video"`},
		{map[string]any{"rateLimits": map[string]any{"/x": "1,2,3"}}, "rateLimits[/x]"},
		{map[string]any{"ipStrategy": map[string]any{"excludedIPs": "10.0.0.0/99"}}, `ipStrategy.excludedIPs: "10.0.0.0/99"`},
		{map[string]any{"ipStrategy": map[string]any{"ipv6Subnet": "200"}}, "ipStrategy.ipv6Subnet: 200"},
		{map[string]any{"defaultActoin": "fight"}, `unknown option "defaultActoin"`},
		{map[string]any{"cookieName": "a b"}, `cookieName: "a b"`},
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, c := range cases {
			_, err := build(f, c.cfg, uniqueName())
			if err == nil {
				t.Errorf("%v: New succeeded, want an error naming the option", c.cfg)
				continue
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v: error %q does not name %q", c.cfg, err, c.want)
			}
		}
	})
}
