package behaviour

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/dnstest"
	"github.com/captchaify/captchaify/tools/pluginload"
)

const (
	googlebotUA = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
	bingbotUA   = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"
	applebotUA  = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)"
)

// Crawler user agents come from the crawler-user-agents list, HTTP
// libraries and command-line clients included; browsers are not on it.
func TestCrawlerUserAgents(t *testing.T) {
	crawlers := []string{
		googlebotUA, bingbotUA, applebotUA,
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)",
		"Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
		"Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
		"facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
		"curl/8.5.0", "Wget/1.21.4", "python-requests/2.32.3", "Python-urllib/3.12",
		"Go-http-client/1.1", "Go-http-client/2.0", "Java/17.0.2", "okhttp/4.12.0", "axios/1.7.2",
		"Scrapy/2.11.2 (+https://scrapy.org)", "libwww-perl/6.72",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
		"AdsBot-Google (+http://www.google.com/adsbot.html)", // one of the list's regexps
		"my-bot/1.0", "Example Crawler (+https://example.org)", "SPIDER 2", // the words, standing alone
	}
	browsers := []string{
		browserUA,
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
		"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
		"Mozilla/5.0 (Linux; Android 10; CUBOT_X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", // "bot" inside a word
		"AdsBot-Google-Xyz/1.0", // AdsBot-Google([^-]|$)
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"thirdParties": "none", "defaultCaptchaType": "text", "allowVerifiedCrawlers": "false"})
		for i, ua := range crawlers {
			v := &visitor{ip: "198.51.100.70", ua: ua}
			if _, ok := isChallenge(s.get(t, v, "/")); !ok {
				t.Errorf("crawler %d %q was not challenged", i, ua)
			}
		}
		for _, ua := range browsers[:5] {
			v := &visitor{ip: "198.51.100.71", ua: ua}
			mustReach(t, s.get(t, v, "/"), "backend /?")
		}
		// The regexp part of the list: AdsBot-Google must not be followed by "-".
		if _, ok := isChallenge(s.get(t, &visitor{ip: "198.51.100.71", ua: browsers[5]}, "/")); ok {
			t.Errorf("%q counted as a crawler", browsers[5])
		}
	})
}

// The crawler field of rules uses the same list.
func TestCrawlerRuleField(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, fightRule("crawler is true"))
		mustChallenge(t, s.get(t, &visitor{ip: "198.51.100.72", ua: "curl/8.5.0"}, "/"))
		mustReach(t, s.get(t, browser("198.51.100.72"), "/"), "backend /?")
	})
}

// googleDNS answers like Google's DNS for crawl-66-249-66-1.googlebot.com
// and its IPv6 sibling, plus impostors.
func googleDNS(t *testing.T) *dnstest.Server {
	dns := dnstest.Start(t)
	dns.Host("66.249.66.1", "crawl-66-249-66-1.googlebot.com")
	dns.Host("2001:4860:4801:10::1", "crawl-2001-4860-4801-10--1.googlebot.com")
	dns.Host("40.77.167.1", "msnbot-40-77-167-1.search.msn.com")
	dns.Host("17.58.101.1", "17-58-101-1.applebot.apple.com")
	// PTR claims googlebot.com, but the name resolves elsewhere.
	dns.PTR("203.0.113.10", "crawl-66-249-66-2.googlebot.com")
	dns.A("crawl-66-249-66-2.googlebot.com", "66.249.66.2")
	// A look-alike domain that really resolves back.
	dns.Host("203.0.113.11", "crawl.evilgooglebot.com")
	// A rented cloud machine: googleusercontent.com but not gae.
	dns.Host("203.0.113.12", "12.113.0.203.bc.googleusercontent.com")
	return dns
}

func crawlerSite(t *testing.T, f pluginload.Factory, dns *dnstest.Server, extra map[string]any) *site {
	cfg := map[string]any{"thirdParties": "none", "defaultCaptchaType": "text", "dnsResolver": dns.Addr, "logLevel": "debug"}
	for k, v := range extra {
		cfg[k] = v
	}
	return newSite(t, f, cfg)
}

// A search engine's crawler, confirmed by reverse and forward DNS, passes
// while blockCrawler holds; impostors are challenged.
func TestVerifiedCrawlerPasses(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		dns := googleDNS(t)
		s := crawlerSite(t, f, dns, nil)
		pass := []*visitor{
			{ip: "66.249.66.1", ua: googlebotUA},
			{ip: "[2001:4860:4801:10::1]", ua: googlebotUA},
			{ip: "40.77.167.1", ua: bingbotUA},
			{ip: "17.58.101.1", ua: applebotUA},
		}
		for _, v := range pass {
			mustReach(t, s.get(t, v, "/page"), "backend /page?")
			mustReach(t, s.get(t, v, "/page"), "backend /page?") // from the cache
		}
		stopped := []*visitor{
			{ip: "203.0.113.10", ua: googlebotUA}, // forward lookup does not confirm
			{ip: "203.0.113.11", ua: googlebotUA}, // not Google's domain
			{ip: "203.0.113.12", ua: googlebotUA}, // anyone's cloud machine
			{ip: "203.0.113.13", ua: googlebotUA}, // no PTR at all
			{ip: "66.249.66.1", ua: bingbotUA},    // Google's address, Bing's name
			{ip: "66.249.66.1", ua: "curl/8.5.0"}, // names no engine
		}
		for _, v := range stopped {
			if _, ok := isChallenge(s.get(t, v, "/page")); !ok {
				t.Errorf("%s as %q was not challenged", v.ip, v.ua)
			}
		}
		// Under block a verified crawler passes, an impostor is blocked.
		b := crawlerSite(t, f, dns, map[string]any{"defaultAction": "block"})
		mustReach(t, b.get(t, pass[0], "/x"), "backend /x?")
		if res := b.get(t, stopped[0], "/x"); res.status != http.StatusForbidden {
			t.Errorf("impostor under block: %d, want 403", res.status)
		}
		// fight challenges everyone without a pass, verified crawlers too
		// (they get the crawler hints).
		fight := crawlerSite(t, f, dns, map[string]any{"defaultAction": "fight"})
		mustChallenge(t, fight.get(t, pass[0], "/x"))
	})
}

func TestVerifiedCrawlersCanBeRefused(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		dns := googleDNS(t)
		s := crawlerSite(t, f, dns, map[string]any{"allowVerifiedCrawlers": "false"})
		mustChallenge(t, s.get(t, &visitor{ip: "66.249.66.1", ua: googlebotUA}, "/"))
		if q := dns.Queries(); len(q) != 0 {
			t.Errorf("DNS asked although allowVerifiedCrawlers is off: %v", q)
		}
	})
}

// The rule fields verified_crawler and reverse.
func TestVerifiedCrawlerRuleFields(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		dns := googleDNS(t)
		dns.PTR("198.51.100.73", "mail.example.net")
		s := crawlerSite(t, f, dns, map[string]any{
			"defaultAction": "allow", "allowVerifiedCrawlers": "false",
			"rules": []any{
				map[string]any{"rule": "path starts with /news and verified_crawler is false", "change": map[string]any{"action": "fight"}},
				map[string]any{"rule": "reverse ends with .example.net", "change": map[string]any{"action": "fight"}},
			},
		})
		mustReach(t, s.get(t, &visitor{ip: "66.249.66.1", ua: googlebotUA}, "/news/1"), "backend /news/1?")
		mustChallenge(t, s.get(t, &visitor{ip: "203.0.113.10", ua: googlebotUA}, "/news/1"))
		mustChallenge(t, s.get(t, browser("198.51.100.74"), "/news/1")) // names no engine: false without DNS
		mustChallenge(t, s.get(t, browser("198.51.100.73"), "/blog"))
		mustReach(t, s.get(t, browser("198.51.100.75"), "/blog"), "backend /blog?")
	})
}

// A DNS server slower than lookupTimeout: the request does not wait for it
// (the crawler is not verified, so it is challenged), and once the answer
// has come the next request passes. Concurrent requests share one lookup.
func TestVerifiedCrawlerSlowDNS(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		// An address of its own: answers are cached per DNS server and
		// address for the process, and a port may be reused by a later server.
		dns := dnstest.Start(t)
		dns.Host("66.249.66.77", "crawl-66-249-66-77.googlebot.com")
		dns.SetDelay(700 * time.Millisecond)
		s := crawlerSite(t, f, dns, map[string]any{"lookupTimeout": "200"})
		v := &visitor{ip: "66.249.66.77", ua: googlebotUA}
		done := make(chan time.Duration, 4)
		for i := 0; i < 4; i++ {
			go func() {
				start := time.Now()
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.RemoteAddr = v.ip + ":40000"
				r.Header.Set("User-Agent", v.ua)
				s.handler.ServeHTTP(httptest.NewRecorder(), r)
				done <- time.Since(start)
			}()
		}
		for i := 0; i < 4; i++ {
			if d := <-done; d > 600*time.Millisecond {
				t.Errorf("a request waited %v for DNS, lookupTimeout is 200 ms", d)
			}
		}
		start := time.Now()
		if _, ok := isChallenge(s.get(t, v, "/")); !ok {
			t.Errorf("unverified (DNS too slow) crawler was not challenged")
		}
		if d := time.Since(start); d > 600*time.Millisecond {
			t.Errorf("request waited %v", d)
		}
		time.Sleep(2 * time.Second) // PTR then A, 700 ms each
		mustReach(t, s.get(t, v, "/"), "backend /?")
		ptr := 0
		for _, q := range dns.Queries() {
			if strings.HasPrefix(q, "PTR ") {
				ptr++
			}
		}
		if ptr != 1 {
			t.Errorf("%d PTR queries for one address, want 1 (coalesced and cached): %v", ptr, dns.Queries())
		}
	})
}

// A DNS server that does not answer at all (nothing listens): unknown,
// fail open for the site (the crawler is challenged, not an error page).
func TestVerifiedCrawlerDNSDown(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"thirdParties": "none", "defaultCaptchaType": "text", "dnsResolver": "127.0.0.1:1", "lookupTimeout": "300"})
		mustChallenge(t, s.get(t, &visitor{ip: "66.249.66.9", ua: googlebotUA}, "/"))
		mustReach(t, s.get(t, browser("198.51.100.76"), "/"), "backend /?")
	})
}

func TestBadDNSResolver(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, bad := range []string{"dns.example.com:53", "10.0.0.1:99999", "not an address"} {
			_, err := build(f, map[string]any{"dnsResolver": bad}, uniqueName())
			if err == nil || !strings.Contains(err.Error(), "dnsResolver") {
				t.Errorf("dnsResolver %q: error %v, want one naming dnsResolver", bad, err)
			}
		}
		for _, good := range []string{"10.0.0.2", "10.0.0.2:5353", "[::1]:53", "::1"} {
			if _, err := build(f, map[string]any{"dnsResolver": good}, uniqueName()); err != nil {
				t.Errorf("dnsResolver %q: %v", good, err)
			}
		}
	})
}

// Under attack only a pass lets anyone through: a verified crawler is
// challenged like a person (not blocked as a crawler) on block routes too.
func TestVerifiedCrawlerUnderAttack(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		dns := googleDNS(t)
		for _, action := range []string{"captcha", "block"} {
			s := crawlerSite(t, f, dns, map[string]any{"defaultAction": action, "defaultMaxRateLimit": 3})
			for i := 0; i < 3; i++ {
				s.get(t, browser("198.51.100.77"), "/")
			}
			mustChallenge(t, s.get(t, &visitor{ip: "66.249.66.1", ua: googlebotUA}, "/"))
		}
	})
}
