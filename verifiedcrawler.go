package captchaify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// A verified crawler is a client whose user agent names a major search
// engine and whose address resolves (PTR) to a host name of that engine
// which resolves back (A/AAAA) to the same address: the check the engines
// themselves publish. Answers are cached per address (bounded, one hour;
// failures one minute), one lookup per address runs at a time, and a request
// waits at most lookupTimeout for it.

// searchEngine is a crawler operator and the domains its crawlers' reverse
// DNS names end with, as each publishes them.
type searchEngine struct {
	name    string
	agents  []string // user agent tokens, lower case
	domains []string
}

// Google's user-triggered fetchers resolve under gae.googleusercontent.com;
// the rest of googleusercontent.com is rented cloud machines, so it is not
// trusted. DuckDuckGo and others publish address lists, not names: not here.
var searchEngines = []searchEngine{
	{"google", []string{"googlebot", "google-inspectiontool", "storebot-google", "adsbot-google",
		"mediapartners-google", "googleother", "apis-google", "feedfetcher-google", "google-read-aloud",
		"google-site-verification", "duplexweb-google", "google-safety"},
		[]string{"googlebot.com", "google.com", "gae.googleusercontent.com"}},
	{"bing", []string{"bingbot", "msnbot", "bingpreview", "adidxbot"}, []string{"search.msn.com"}},
	{"apple", []string{"applebot"}, []string{"applebot.apple.com"}},
	{"yandex", []string{"yandex"}, []string{"yandex.ru", "yandex.net", "yandex.com"}},
	{"baidu", []string{"baiduspider"}, []string{"baidu.com", "baidu.jp"}},
	{"yahoo", []string{"yahoo! slurp"}, []string{"crawl.yahoo.net"}},
	{"petal", []string{"petalbot"}, []string{"petalsearch.com"}},
}

const (
	defaultDNSTimeout = 800 * time.Millisecond // lookupTimeout's default
	dnsFetchTimeout   = 5 * time.Second        // the lookup itself, for the next request
	dnsCacheSize      = 10000
	dnsCacheTTL       = time.Hour
	dnsFailTTL        = time.Minute
	maxPTRNames       = 5
)

var (
	engineOnce   sync.Once
	engineAgents *strings.Replacer // token → "\x00" + engine index
	dnsCacheOnce sync.Once
	dnsAnswers   *lookupCache
	dnsHealth    serviceHealth
)

// claimedEngine returns the index of the search engine a user agent names,
// or -1. A strings.Replacer finds the tokens in native code (a regexp of
// the same tokens takes ~30 µs per browser user agent).
func claimedEngine(userAgent string) int {
	engineOnce.Do(func() {
		var oldnew []string
		for i := range searchEngines {
			for _, a := range searchEngines[i].agents {
				oldnew = append(oldnew, a, "\x00"+string(rune('0'+i)))
			}
		}
		engineAgents = strings.NewReplacer(oldnew...)
	})
	out := engineAgents.Replace(strings.ToLower(userAgent))
	j := strings.IndexByte(out, 0)
	if j < 0 || j+1 >= len(out) {
		return -1
	}
	if i := int(out[j+1]) - '0'; i >= 0 && i < len(searchEngines) {
		return i
	}
	return -1
}

// engineForHost returns the index of the engine a host name belongs to, or -1.
func engineForHost(host string) int {
	for i := range searchEngines {
		for _, d := range searchEngines[i].domains {
			if host == d || strings.HasSuffix(host, "."+d) {
				return i
			}
		}
	}
	return -1
}

func dnsCache() *lookupCache {
	dnsCacheOnce.Do(func() {
		dnsAnswers = newLookupCache(dnsCacheSize, dnsCacheTTL, dnsFailTTL)
	})
	return dnsAnswers
}

// crawlerVerifier resolves through the system's resolver or, with the
// dnsResolver option, through one DNS server.
type crawlerVerifier struct {
	resolver *net.Resolver
	server   string // "" for the system's resolver; part of the cache key
}

func newCrawlerVerifier(server string) (*crawlerVerifier, error) {
	v := &crawlerVerifier{resolver: net.DefaultResolver}
	server = strings.TrimSpace(server)
	if server == "" {
		return v, nil
	}
	addr, err := parseDNSServer(server)
	if err != nil {
		return nil, err
	}
	v.server = addr
	v.resolver = &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	return v, nil
}

// parseDNSServer reads "ip" or "ip:port" (port 53 by default).
func parseDNSServer(s string) (string, error) {
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		// separate statements: Yaegi v0.16.1 lost the port in `host, port = …, "53"`
		host = strings.Trim(s, "[]")
		port = "53"
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return "", fmt.Errorf("dnsResolver: %q must be an IP address with an optional port, such as 10.0.0.2:53", s)
	}
	ap, err := netip.ParseAddrPort(net.JoinHostPort(a.String(), port))
	if err != nil || ap.Port() == 0 {
		return "", fmt.Errorf("dnsResolver: %q has no valid port", s)
	}
	return ap.String(), nil
}

// dnsAnswer is what DNS says about one address.
type dnsAnswer struct {
	name   string // the first PTR name ("" when none), or the confirmed one
	engine int    // the search engine the address is confirmed for, or -1
}

// reverseDNS returns the answer for ip, waiting at most lookupTimeout; ok
// is false when DNS failed or was too slow (the answer is then unknown).
func (m *Middleware) reverseDNS(ip netip.Addr, now time.Time) (dnsAnswer, bool) {
	v, log := m.cfg.crawlerDNS, m.log
	e := dnsCache().start(v.server+"|"+ip.String(), now, func() (interface{}, error) {
		return v.resolve(ip, log)
	}, func(err error) {
		dnsHealth.failed(log, "reverse DNS", err)
	})
	timeout := m.cfg.intel.lookupTimeout
	if timeout <= 0 {
		timeout = defaultDNSTimeout
	}
	val, result := e.waitResult(now.Add(timeout))
	if a, isAnswer := val.(dnsAnswer); isAnswer && (result == "ok" || result == "cached") {
		m.metricLookup("dns", result)
		return a, true
	}
	if result == "cached" || result == "ok" {
		result = "error"
	}
	m.metricLookup("dns", result) // "timeout" or "error"
	return dnsAnswer{engine: -1}, false
}

// resolve asks for the PTR names, then confirms the first name under a
// search engine's domain by resolving it forward.
func (v *crawlerVerifier) resolve(ip netip.Addr, log logger) (interface{}, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dnsFetchTimeout)
	defer cancel()
	ans := dnsAnswer{engine: -1}
	names, err := v.resolver.LookupAddr(ctx, ip.String())
	if err != nil {
		var de *net.DNSError
		if errors.As(err, &de) && de.IsNotFound {
			dnsHealth.succeeded(log, "reverse DNS")
			return ans, nil // no name: a definite answer
		}
		return nil, err
	}
	for i, n := range names {
		if i >= maxPTRNames {
			break
		}
		n = strings.TrimSuffix(strings.ToLower(n), ".")
		if i == 0 {
			ans.name = n
		}
		eng := engineForHost(n)
		if eng < 0 {
			continue
		}
		addrs, err := v.resolver.LookupNetIP(ctx, "ip", n)
		if err != nil {
			var de *net.DNSError
			if errors.As(err, &de) && de.IsNotFound {
				continue
			}
			return nil, err
		}
		for _, a := range addrs {
			if a.Unmap() == ip {
				ans.name, ans.engine = n, eng
				dnsHealth.succeeded(log, "reverse DNS")
				return ans, nil
			}
		}
	}
	dnsHealth.succeeded(log, "reverse DNS")
	return ans, nil
}

// crawlerVerdict says whether the client is a search engine's verified
// crawler; known is false when DNS did not answer in time. User agents that
// name no engine are answered without DNS.
func (m *Middleware) crawlerVerdict(r *http.Request, client clientAddr, now time.Time) (verified, known bool) {
	eng := claimedEngine(r.UserAgent())
	if eng < 0 || !client.valid {
		return false, true
	}
	ans, ok := m.reverseDNS(client.addr, now)
	if !ok {
		return false, false
	}
	return ans.engine == eng, true
}

// passesAsCrawler reports whether allowVerifiedCrawlers lets this request
// through as a verified search-engine crawler.
func (m *Middleware) passesAsCrawler(r *http.Request, client clientAddr, now time.Time) bool {
	if !m.cfg.allowVerifiedCrawlers {
		return false
	}
	ok, _ := m.crawlerVerdict(r, client, now)
	if ok {
		m.log.logf(levelDebug, "verified crawler %s (%s) passes", client.raw, searchEngines[claimedEngine(r.UserAgent())].name)
	}
	return ok
}

// dnsFact answers the rule fields "reverse" and "verified_crawler".
func (f *clientFacts) dnsFact(field string) factValue {
	if field == "verified_crawler" {
		ok, known := f.m.crawlerVerdict(f.r, f.client, f.now)
		if !known {
			return factValue{kind: kindBool}
		}
		return boolFact(ok)
	}
	if !f.client.valid {
		return factValue{kind: kindString}
	}
	ans, ok := f.m.reverseDNS(f.client.addr, f.now)
	if !ok {
		return factValue{kind: kindString}
	}
	return stringFact(ans.name)
}
