package captchaify

import (
	"net"
	"net/http"
	"strings"
	"time"
)

// Field kinds: a rule's value is typed by its field when the rule is
// compiled, so "true" from a Docker label is a bool for a bool field.
const (
	kindString = iota
	kindBool
	kindNumber
)

// factValue is the value of one client field for one request.
type factValue struct {
	kind  int
	s     string
	b     bool
	n     float64
	known bool // false when a lookup failed or is not configured
}

func stringFact(s string) factValue  { return factValue{kind: kindString, s: s, known: true} }
func boolFact(b bool) factValue      { return factValue{kind: kindBool, b: b, known: true} }
func numberFact(n float64) factValue { return factValue{kind: kindNumber, n: n, known: true} }

// fieldKinds lists every field a rule may name (SPEC §6) and its kind.
// "header.<Name>" fields are strings and are handled apart.
var fieldKinds = map[string]int{
	"ip": kindString, "user_agent": kindString, "invalid_ip": kindBool,
	"continent": kindString, "continent_code": kindString, "country": kindString,
	"country_code": kindString, "region": kindString, "region_code": kindString,
	"city": kindString, "district": kindString, "zip": kindString,
	"lat": kindNumber, "lon": kindNumber, "timezone": kindString, "offset": kindNumber,
	"currency": kindString, "isp": kindString, "org": kindString,
	"as": kindString, "as_code": kindNumber, "reverse": kindString,
	"mobile": kindBool, "proxy": kindBool, "hosting": kindBool, "forum_spammer": kindBool,
	"tor": kindBool, "crawler": kindBool, "verified_crawler": kindBool,
	"netloc": kindString, "hostname": kindString, "domain": kindString, "path": kindString,
	"scheme": kindString, "url": kindString, "method": kindString, "query": kindString,
}

// clientFacts answers the fields of one request. Cheap fields are read from
// the request; expensive ones (databases, third parties, DNS) are looked up
// only when a rule or the suspicion check asks, and at most once.
type clientFacts struct {
	m      *Middleware
	r      *http.Request
	client clientAddr
	now    time.Time
	cache  map[string]factValue
	intel  intelRequest // databases and third parties asked so far (intel.go)
}

func newClientFacts(m *Middleware, r *http.Request, client clientAddr, now time.Time) *clientFacts {
	return &clientFacts{m: m, r: r, client: client, now: now}
}

// value returns a field's value for this request.
func (f *clientFacts) value(field string) factValue {
	if v, ok := f.cache[field]; ok {
		return v
	}
	v := f.lookup(field)
	if f.cache == nil {
		f.cache = make(map[string]factValue, 4)
	}
	f.cache[field] = v
	return v
}

func (f *clientFacts) lookup(field string) factValue {
	r := f.r
	if strings.HasPrefix(field, "header.") {
		return stringFact(r.Header.Get(field[len("header."):]))
	}
	switch field {
	case "ip":
		return stringFact(f.client.raw)
	case "invalid_ip":
		return boolFact(!f.client.valid)
	case "user_agent":
		return stringFact(r.UserAgent())
	case "crawler":
		return boolFact(isCrawler(r.UserAgent()))
	case "method":
		return stringFact(r.Method)
	case "path":
		return stringFact(r.URL.Path)
	case "query":
		return stringFact(r.URL.RawQuery)
	case "netloc":
		return stringFact(r.Host)
	case "hostname":
		return stringFact(requestHost(r))
	case "domain":
		return stringFact(registrableDomain(requestHost(r)))
	case "scheme":
		if isHTTPS(r) {
			return stringFact("https")
		}
		return stringFact("http")
	case "url":
		return stringFact(urlField(r))
	}
	return f.expensive(field)
}

// expensive answers the fields that need a database, a third party or DNS.
// Until those lookups exist, such fields are unknown.
func (f *clientFacts) expensive(field string) factValue {
	switch field {
	case "reverse", "verified_crawler":
		return f.dnsFact(field) // verifiedcrawler.go
	}
	if v, ok := f.intelFact(field); ok {
		return v
	}
	return factValue{kind: fieldKinds[field]}
}

// registrableDomain is the last two labels of a host name (the seed's
// "domain"); addresses are returned as they are.
func registrableDomain(host string) string {
	if net.ParseIP(host) != nil {
		return host
	}
	parts := strings.Split(strings.TrimSuffix(host, "."), ".")
	if len(parts) <= 2 {
		return strings.Join(parts, ".")
	}
	return strings.Join(parts[len(parts)-2:], ".")
}
