package bench

import (
	"fmt"
	"os"
	"path/filepath"
)

// Rules50 is the `rules` option of the rules benchmarks: 50 rules on cheap
// fields (path, ip, user agent, method, headers, host, query, URL) in both
// forms, none of which matches a benchmark request (GET /…/page from
// 127.0.0.1, user agent "bench"), so every rule is evaluated.
func Rules50() []any {
	var rules []any
	add := func(rule any, change map[string]any) {
		rules = append(rules, map[string]any{"rule": rule, "change": change})
	}
	fight := map[string]any{"action": "fight", "hardness": "3"}
	for i := 0; i < 10; i++ {
		add(fmt.Sprintf("path starts with /admin%d", i), fight)
		add([]any{"ip", "is in", fmt.Sprintf("10.%d.0.0/16,192.168.%d.0/24,2001:db8:%d::/48", i, i, i)}, map[string]any{"action": "block"})
	}
	for i := 0; i < 5; i++ {
		add(fmt.Sprintf("user_agent contains BadBot%d", i), map[string]any{"action": "block"})
		add([]any{"path", "==", fmt.Sprintf("/wp-*%d.php", i)}, map[string]any{"action": "block"})
		add(fmt.Sprintf("method is in PUT,DELETE and path starts with /api%d", i), map[string]any{"rate_limit": "10,100"})
		add(fmt.Sprintf("header.X-Api-Key == secret%d or query contains debug%d", i, i), map[string]any{"action": "allow"})
		add([]any{"hostname", "is in", fmt.Sprintf("admin%d.example.com,internal%d.example.com", i, i)}, fight)
		add(fmt.Sprintf(`url matches ^https?://[^/]+/private%d/`, i), fight)
	}
	return rules
}

// RulesRouteConfig is the captchaify configuration of the "verified-rules"
// route: the verified route's (fight, cookie) plus the 50 rules and, when
// scripts/fetch-mmdb.sh has fetched them, both databases (GeoLite2 City and
// ASN). note says which databases are configured.
func RulesRouteConfig() (cfg map[string]any, note string) {
	cfg = PluginConfig("fight", 2)
	cfg["rules"] = Rules50()
	dir := os.Getenv("CAPTCHAIFY_MMDB_DIR")
	if dir == "" {
		cache := os.Getenv("CAPTCHAIFY_CACHE")
		if cache == "" {
			home, _ := os.UserHomeDir()
			cache = filepath.Join(home, ".cache", "captchaify")
		}
		dir = filepath.Join(cache, "mmdb")
	}
	city, asn := filepath.Join(dir, "GeoLite2-City.mmdb"), filepath.Join(dir, "GeoLite2-ASN.mmdb")
	if fileExists(city) && fileExists(asn) {
		cfg["geoipDatabase"], cfg["asnDatabase"] = city, asn
		return cfg, "50 rules, geoipDatabase and asnDatabase (GeoLite2 City and ASN)"
	}
	return cfg, "50 rules; no databases (run scripts/fetch-mmdb.sh)"
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

func rulesRoutePlugin() map[string]any {
	cfg, _ := RulesRouteConfig()
	return cfg
}
