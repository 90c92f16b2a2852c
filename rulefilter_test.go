package captchaify

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

// filterRules exercise every index and filter kind on the cheap fields:
// leads (starts with, globs, IPv4 networks), needles (contains, ends with,
// other globs, strings required by a regexp), the trie and the regexp
// needle matchers, fields compared without case, and slots left open.
var filterRules = []string{
	"path starts with /admin", "path starts with /a", "path does not start with /static",
	"path ends with .php", "path ends with /", "path contains wp-", "path contains x",
	"path == /p*ts/*2", "path == */42", "path == *.jpg", "path == *", "path != /admin*",
	"path matches ^/products/\\d+$", "path matches (?i)ADMIN", "path matches a|b|c", "path does not match ^/x",
	"path is in /a,/b/*,*/c", "path starts with /A and path ends with .PHP",
	"user_agent contains python", "user_agent contains curl", "user_agent contains Go-http-client",
	"user_agent contains BadBot0", "user_agent does not contain Mozilla", "user_agent ends with )",
	"user_agent == Mozilla/5.0 (X11;*Firefox/*", "user_agent matches ^Mozilla/5\\.0 \\(Windows",
	"user_agent matches bot[0-9]+|spider", "user_agent starts with Mozilla",
	"ip is in 10.0.0.0/8,192.168.0.0/16", "ip is in 198.51.100.0/24", "ip == 198.51.100.60",
	"ip is in 0.0.0.0/0", "ip is in 2001:db8::/32", "ip is in ::ffff:10.0.0.0/104", "ip == 2001:db8::1",
	"ip is not in 198.51.100.0/25", "ip == 198.51.*", "ip is in 172.16.0.0/12", "ip matches ^10\\.",
	"method is in PUT,DELETE", "method == get", "method != POST", "method contains E", "method matches ^P",
	"query contains debug", "query contains a", "query != sort=asc", "query ends with asc", "query matches sort=(asc|desc)",
	"hostname == shop.example.com", "hostname is in *.example.com,example.org", "hostname ends with .org",
	"hostname starts with SHOP", "hostname matches ^shop\\.", "netloc == shop.example.com:8443", "netloc contains :84",
	"domain == example.com", "scheme == https", "url starts with https://", "url contains /products/42?",
	"url matches ^https?://[^/]+/private0/", "url ends with sort=asc", "invalid_ip is true", "invalid_ip == false",
	"header.X-Api-Key == k-123", "header.X-Api-Key starts with k-", "header.x-api-key contains 12",
	"header.X-Other is not in a,b", "crawler is true",
	"path starts with /products and method == GET or ip is in 10.0.0.0/8",
	"path does not start with /admin and user_agent does not contain bot and query does not contain debug",
}

func filterRequests() []*http.Request {
	var reqs []*http.Request
	add := func(method, target, remote, ua string, headers ...string) {
		r := httptest.NewRequest(method, target, nil)
		r.RemoteAddr = remote
		if ua != "" {
			r.Header.Set("User-Agent", ua)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		reqs = append(reqs, r)
	}
	firefox := "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
	windows := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
	add("GET", "http://Shop.Example.com:8443/products/42?q=1&sort=asc", "198.51.100.60:40000", firefox, "X-Api-Key", "k-123")
	add("GET", "http://shop.example.com/", "198.51.100.200:1", windows)
	add("POST", "http://example.org/admin/login.php?debug=1", "10.1.2.3:1", "python-requests/2.31")
	add("DELETE", "http://api.example.com/a", "[2001:db8::1]:1", "curl/8.0", "X-Api-Key", "nope")
	add("PUT", "http://API.EXAMPLE.COM/b/c", "[::ffff:10.9.8.7]:1", "Go-http-client/1.1")
	add("GET", "http://x.test/static/app.jpg", "172.20.0.1:1", "Googlebot/2.1 (+http://www.google.com/bot.html)")
	add("GET", "http://x.test/wp-login.php", "172.32.0.1:1", "BadBot0 spider")
	add("get", "https://x.test/private0/secret", "192.168.1.1:1", "", "X-Forwarded-Proto", "https")
	add("GET", "http://x.test/ADMIN/x", "not-an-ip", "bot123")
	add("OPTIONS", "http://x.test/A/Z.PHP", "", "Mozilla/5.0 (Windows")
	add("GET", "http://[2001:db8::5]:80/a/b/c?x", "[fe80::1%25eth0]:1", "x")
	add("GET", "http://x.test/p%00ts/2?sort=asc", "8.8.8.8:1", "a\x00b")
	return reqs
}

// referenceRules evaluates the rules the plain way: every condition of
// every group, the field read through clientFacts.
func referenceRules(rs *ruleSet, r *http.Request, client clientAddr) prefs {
	p := prefs{action: actionAllow}
	f := newClientFacts(nil, r, client, time.Now())
	for gi := range rs.groups {
		g := &rs.groups[gi]
		ok := true
		for k := g.first; k < g.end && ok; k++ {
			c := &rs.conds[k]
			var rv ruleValue
			readFact(&rv, &rs.slots[c.slot], f)
			ok = rv.known && testCondition(c, &rv, &client) != c.negate
		}
		if ok {
			rs.patches[g.rule].applyTo(&p)
		}
	}
	return p
}

// The filter and the indexes decide exactly as testing every condition:
// each rule alone, and all of them together (the last match's rate limit
// tells which rule applied last).
func TestRuleFilterMatchesPlainEvaluation(t *testing.T) {
	resolver := &ipResolver{}
	var all []RuleConfig
	for i, rule := range filterRules {
		all = append(all, RuleConfig{Rule: rule, Change: map[string]interface{}{"rate_limit": fmt.Sprintf("%d,1000", i+1)}})
	}
	sets := [][]RuleConfig{all}
	for i := range all {
		sets = append(sets, all[i:i+1])
	}
	matched := map[int]bool{}
	for _, set := range sets {
		rs, err := compileRules(set, 0)
		if err != nil {
			t.Fatal(err)
		}
		for ri, r := range filterRequests() {
			client := resolver.resolve(r)
			want := referenceRules(&rs, r, client)
			got := prefs{action: actionAllow}
			applyRules(&rs, &got, nil, r, &client, time.Now())
			if got != want {
				t.Errorf("rules %v on request %d (%s %s from %q): rate limit %d, want %d",
					ruleNames(set), ri, r.Method, r.URL, r.RemoteAddr, got.rateLimit, want.rateLimit)
			}
			if len(set) == 1 && got.hasRate() {
				matched[got.rateLimit-1] = true
			}
		}
	}
	// The cases are real: most rules match some request and miss another.
	if len(matched) < len(filterRules)*3/4 {
		t.Errorf("only %d of %d rules matched any request", len(matched), len(filterRules))
	}
}

func (p *prefs) hasRate() bool { return p.rateLimit > 0 }

func ruleNames(set []RuleConfig) string {
	if len(set) > 1 {
		return fmt.Sprintf("(all %d)", len(set))
	}
	return fmt.Sprintf("%q", set[0].Rule)
}

func TestRequiredStrings(t *testing.T) {
	cases := map[string][]string{
		`^https?://[^/]+/private0/`: {"/private0/"},
		`bot[0-9]+|spider`:          {"bot", "spider"},
		`sort=(asc|desc)`:           {"sort="},
		`(?i)admin`:                 nil,
		`a*`:                        nil,
		`^/x`:                       {"/x"},
		`(foo|bar)+baz?`:            {"foo", "bar"},
		`x{2,3}`:                    {"x"},
		`[ab]c`:                     {"c"},
		`(a|b*)c`:                   {"c"},
		`(a|b*)`:                    nil,
	}
	for pat, want := range cases {
		got := requiredStrings(regexp.MustCompile(pat))
		sort.Strings(got)
		sort.Strings(want)
		if strings.Join(got, "|") != strings.Join(want, "|") || (got == nil) != (want == nil) {
			t.Errorf("%q: %q, want %q", pat, got, want)
		}
	}
}

// Which filter a slot gets: the Rules50 kinds of conditions never leave a
// slot open, and needles without a common prefix use the trie.
func TestRuleFilterKinds(t *testing.T) {
	rs, err := compileRules([]RuleConfig{
		{Rule: "path starts with /admin", Change: map[string]interface{}{"action": "block"}},
		{Rule: "path == /wp-*.php", Change: map[string]interface{}{"action": "block"}},
		{Rule: "ip is in 10.0.0.0/16,2001:db8::/48", Change: map[string]interface{}{"action": "block"}},
		{Rule: "user_agent contains python", Change: map[string]interface{}{"action": "block"}},
		{Rule: "user_agent contains curl", Change: map[string]interface{}{"action": "block"}},
		{Rule: "query contains debug0 or query contains debug1", Change: map[string]interface{}{"action": "block"}},
		{Rule: "url matches ^https?://[^/]+/private0/", Change: map[string]interface{}{"action": "block"}},
		{Rule: "method matches ^P", Change: map[string]interface{}{"action": "block"}},
		{Rule: "hostname ends with .org", Change: map[string]interface{}{"action": "block"}},
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"path": "lead", "ip": "lead", "user_agent": "trie", "query": "regexp", "url": "regexp",
		"method": "open", "hostname": "regexp",
	}
	for _, sl := range rs.slots {
		got := ""
		switch {
		case sl.has&slotUnfiltered != 0:
			got = "open"
		case sl.has&slotLead != 0:
			got = "lead"
		case sl.has&slotNeedleRep != 0:
			got = "trie"
		case sl.has&slotNeedleRe != 0:
			got = "regexp"
		}
		if got != want[sl.field] {
			t.Errorf("%s: filter %q, want %q", sl.field, got, want[sl.field])
		}
	}
}
