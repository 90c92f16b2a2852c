package captchaify

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ipResolver finds the client address the way Traefik's ipStrategy does.
// Traefik removes X-Forwarded-For from untrusted peers at the entrypoint, so
// the header is only read when the operator asked for it.
type ipResolver struct {
	depth      int
	excluded   []netip.Prefix
	ipv6Subnet int
}

func newIPResolver(s IPStrategy) (ipResolver, error) {
	r := ipResolver{depth: s.Depth, ipv6Subnet: s.IPv6Subnet}
	if s.Depth < 0 {
		return r, fmt.Errorf("ipStrategy.depth: %d must be 0 or more", s.Depth)
	}
	if s.IPv6Subnet < 0 || s.IPv6Subnet > 128 {
		return r, fmt.Errorf("ipStrategy.ipv6Subnet: %d is not a prefix length between 0 and 128", s.IPv6Subnet)
	}
	for _, v := range s.ExcludedIPs {
		if strings.TrimSpace(v) == "" {
			continue
		}
		p, err := parsePrefix("ipStrategy.excludedIPs", v)
		if err != nil {
			return r, err
		}
		r.excluded = append(r.excluded, p)
	}
	return r, nil
}

// clientAddr is who the request comes from.
type clientAddr struct {
	raw   string     // as found, bounded in length
	addr  netip.Addr // zero when raw is not an address
	valid bool
	key   string // the identity counted by the rate limiter
}

const maxRawIPLength = 64

func (r *ipResolver) resolve(req *http.Request) clientAddr {
	raw := r.pick(req)
	if len(raw) > maxRawIPLength {
		raw = raw[:maxRawIPLength]
	}
	c := clientAddr{raw: raw, key: raw}
	if raw == "" {
		c.key = "(no address)" // still counted, as one client
	}
	a, err := netip.ParseAddr(raw)
	if err != nil {
		return c
	}
	a = a.Unmap().WithZone("")
	c.addr, c.valid = a, true
	c.key = a.String()
	if a.Is6() && r.ipv6Subnet > 0 {
		if p, err := a.Prefix(r.ipv6Subnet); err == nil {
			c.key = p.String()
		}
	}
	return c
}

func (r *ipResolver) pick(req *http.Request) string {
	if r.depth > 0 || len(r.excluded) > 0 {
		if ip := r.fromForwardedFor(req.Header.Values("X-Forwarded-For")); ip != "" {
			return ip
		}
	}
	host, _, err := net.SplitHostPort(req.RemoteAddr)
	if err != nil {
		return strings.TrimSpace(req.RemoteAddr)
	}
	return host
}

// fromForwardedFor returns the depth-th address from the right, or the
// rightmost one not in excludedIPs; "" when the header is too short.
func (r *ipResolver) fromForwardedFor(values []string) string {
	var hops []string
	for _, v := range values {
		for _, h := range strings.Split(v, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	if r.depth > 0 {
		if len(hops) < r.depth {
			return ""
		}
		return hops[len(hops)-r.depth]
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return hops[i]
		}
		if !r.isExcluded(a.Unmap()) {
			return hops[i]
		}
	}
	return ""
}

func (r *ipResolver) isExcluded(a netip.Addr) bool {
	for _, p := range r.excluded {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// bindingPrefix is the part of the client address a token is bound to.
func bindingPrefix(c clientAddr, binding string) string {
	switch binding {
	case bindNone:
		return ""
	}
	if !c.valid {
		return c.raw
	}
	if binding == bindIP {
		return c.addr.String()
	}
	bits := 24
	if c.addr.Is6() {
		bits = 64
	}
	p, err := c.addr.Prefix(bits)
	if err != nil {
		return c.raw
	}
	return p.String()
}
