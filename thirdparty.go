package captchaify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"
)

// What the third parties share: one HTTP client with a timeout, capped
// reads, and the rule that private and reserved addresses never leave the
// machine.

const (
	thirdPartyIPAPI         = "ipapi"
	thirdPartyTor           = "tor"
	thirdPartyStopForumSpam = "stopforumspam"

	// fetchTimeout bounds one call to a third party. A request waits at most
	// lookupTimeout; a slower answer still fills the cache for the next one.
	fetchTimeout = 10 * time.Second
)

var thirdPartyClient = &http.Client{
	Timeout: fetchTimeout,
	Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: fetchTimeout,
		MaxIdleConns:          16,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	},
	// Third parties answer directly; a redirect is not followed.
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// httpGetCapped GETs rawURL and reads at most limit bytes of the body; a
// longer body is an error rather than a truncated answer.
func httpGetCapped(rawURL string, limit int64, accept string) ([]byte, int, http.Header, error) {
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, 0, nil, err
	}
	req.Header.Set("User-Agent", "captchaify-traefik-plugin")
	req.Header.Set("Accept", accept)
	resp, err := thirdPartyClient.Do(req)
	if err != nil {
		return nil, 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, resp.StatusCode, resp.Header, err
	}
	if int64(len(body)) > limit {
		return nil, resp.StatusCode, resp.Header, fmt.Errorf("answer larger than %d bytes", limit)
	}
	return body, resp.StatusCode, resp.Header, nil
}

// reservedPrefixes are special-purpose ranges (RFC 6890 and successors)
// beyond what netip's Is* methods cover.
var reservedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("192.88.99.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001::/23"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("3fff::/20"),
	netip.MustParsePrefix("5f00::/16"),
}

// publicAddress reports whether addr may be sent to a third party: private,
// loopback, link-local, multicast, documentation and other reserved
// addresses never are.
func publicAddress(addr netip.Addr) bool {
	if !addr.IsValid() || addr.IsLoopback() || addr.IsPrivate() || addr.IsUnspecified() ||
		addr.IsLinkLocalUnicast() || addr.IsLinkLocalMulticast() || addr.IsMulticast() ||
		addr.IsInterfaceLocalMulticast() {
		return false
	}
	if addr.Is4() && addr == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return false
	}
	for _, p := range reservedPrefixes {
		if p.Contains(addr) {
			return false
		}
	}
	return true
}

// parseServiceURL checks a third party's base URL option.
func parseServiceURL(option, v string) (string, error) {
	v = strings.TrimSpace(v)
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", fmt.Errorf("%s: %q must be an http:// or https:// URL", option, v)
	}
	return v, nil
}

// startAddressLookup begins (or joins) the lookup of addr at a per-address
// service (ip-api, StopForumSpam): nil for an address that must not leave
// the machine. Failures other than our own rate limit are logged once.
func startAddressLookup(cache *lookupCache, health *serviceHealth, log logger, source string,
	addr netip.Addr, now time.Time, fetch func(string) (interface{}, error)) *lookupEntry {
	if !publicAddress(addr) {
		return nil
	}
	key := addr.String()
	return cache.start(key, now, func() (interface{}, error) {
		return fetch(key)
	}, func(err error) {
		if _, limited := err.(errLimited); !limited {
			health.failed(log, source, err)
		}
	})
}
