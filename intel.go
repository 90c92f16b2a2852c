package captchaify

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Client intelligence (SPEC §7): offline geo and ASN databases, the Tor exit
// list, ip-api and StopForumSpam, answering the expensive fields of
// clientFacts and the third-party signals of the suspicion check.

// intelSettings are the validated options of this file's concern.
type intelSettings struct {
	geoipDatabase string
	asnDatabase   string
	tor           bool
	ipapi         bool
	stopForumSpam bool
	lookupTimeout time.Duration
	torURL        string
	torFile       string
	ipapiURL      string
	sfsURL        string
}

const maxLookupTimeout = 60000 // ms

func parseIntelSettings(c *Config) (intelSettings, error) {
	s := intelSettings{
		geoipDatabase: strings.TrimSpace(c.GeoIPDatabase),
		asnDatabase:   strings.TrimSpace(c.ASNDatabase),
		torFile:       strings.TrimSpace(c.TorExitListFile),
	}
	for _, v := range c.ThirdParties {
		// "a,b" arrives split; a label may still hold "a b" or "a;b".
		for _, name := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			switch strings.ToLower(name) {
			case thirdPartyTor:
				s.tor = true
			case thirdPartyIPAPI, "ip-api":
				s.ipapi = true
			case thirdPartyStopForumSpam:
				s.stopForumSpam = true
			case "none":
			default:
				return s, fmt.Errorf("thirdParties: %q is not one of tor, ipapi, stopforumspam (or none)", name)
			}
		}
	}
	if c.LookupTimeout <= 0 || c.LookupTimeout > maxLookupTimeout {
		return s, fmt.Errorf("lookupTimeout: %d must be between 1 and %d milliseconds", c.LookupTimeout, maxLookupTimeout)
	}
	s.lookupTimeout = time.Duration(c.LookupTimeout) * time.Millisecond
	var err error
	if s.torURL, err = parseServiceURL("torExitListURL", c.TorExitListURL); err != nil {
		return s, err
	}
	if s.ipapiURL, err = parseServiceURL("ipapiURL", c.IPAPIURL); err != nil {
		return s, err
	}
	if s.sfsURL, err = parseServiceURL("stopForumSpamURL", c.StopForumSpamURL); err != nil {
		return s, err
	}
	return s, nil
}

// clientIntel is one middleware's view of the shared databases and services.
type clientIntel struct {
	geo, asn *geoDatabase
	tor      *torList
	ipapi    *ipapiService
	sfs      *sfsService
	timeout  time.Duration
}

// newClientIntel opens the databases (a bad file fails New with its path)
// and joins the shared third-party services. Nothing is fetched here: the
// Tor list loads on first use.
func newClientIntel(s intelSettings, log logger) (*clientIntel, error) {
	in := &clientIntel{timeout: s.lookupTimeout}
	var err error
	if s.geoipDatabase != "" {
		if in.geo, err = openGeoDatabase("geoipDatabase", s.geoipDatabase, log); err != nil {
			return nil, err
		}
	}
	if s.asnDatabase != "" {
		if in.asn, err = openGeoDatabase("asnDatabase", s.asnDatabase, log); err != nil {
			return nil, err
		}
	}
	if s.tor {
		if s.torFile != "" {
			in.tor, err = torListFor(s.torFile, true, log)
		} else {
			in.tor, err = torListFor(s.torURL, false, log)
		}
		if err != nil {
			return nil, err
		}
	}
	if s.ipapi {
		in.ipapi = ipapiServiceFor(s.ipapiURL, log)
	}
	if s.stopForumSpam {
		in.sfs = sfsServiceFor(s.sfsURL, log)
	}
	return in, nil
}

// intelRequest is what one request looked up, so that every field of it
// costs one lookup per source, and all waits share one deadline.
type intelRequest struct {
	deadline time.Time
	geoDone  bool
	geo      *geoInfo
	asnDone  bool
	asn      *geoInfo
	ipapi    *lookupEntry
	ipapiGot bool
	ipapiRes *ipapiInfo
	sfs      *lookupEntry
	sfsGot   bool
}

// Fields answered here, and where from.
const (
	fromGeo = iota + 1
	fromAS
	fromIPAPI
	fromTor
	fromSFS
)

var intelFields = map[string]int{
	"continent": fromGeo, "continent_code": fromGeo, "country": fromGeo, "country_code": fromGeo,
	"region": fromGeo, "region_code": fromGeo, "city": fromGeo, "zip": fromGeo,
	"lat": fromGeo, "lon": fromGeo, "timezone": fromGeo,
	"as": fromAS, "as_code": fromAS,
	"district": fromIPAPI, "offset": fromIPAPI, "currency": fromIPAPI, "isp": fromIPAPI,
	"org": fromIPAPI, "mobile": fromIPAPI, "proxy": fromIPAPI, "hosting": fromIPAPI,
	"tor": fromTor, "forum_spammer": fromSFS,
}

// intelFact answers field when it is one of this file's; ok is false for
// the fields of other concerns. Unknown (fail open) when no source is
// configured, the address is not valid, or no answer came in time.
func (f *clientFacts) intelFact(field string) (factValue, bool) {
	src, mine := intelFields[field]
	if !mine {
		return factValue{}, false
	}
	unknown := factValue{kind: fieldKinds[field]}
	in := f.m.intel
	if in == nil || !f.client.valid {
		return unknown, true
	}
	switch src {
	case fromTor:
		if in.tor == nil {
			return unknown, true
		}
		if !publicAddress(f.client.addr) {
			// A Tor exit is a public address: a private one is none, and
			// needs no list (nor its download).
			f.m.metricLookup("tor", "skipped")
			return boolFact(false), true
		}
		listed, result := in.tor.contains(f.client.addr, time.Now(), f.lookupDeadline())
		f.m.metricLookup("tor", result)
		if result != "ok" {
			return unknown, true
		}
		return boolFact(listed), true
	case fromSFS:
		if v, ok := f.stopForumSpam(); ok {
			return boolFact(v), true
		}
		return unknown, true
	case fromIPAPI:
		if info := f.ipapiInfo(); info != nil {
			if v, ok := ipapiField(info, field); ok {
				return v, true
			}
		}
		return unknown, true
	}
	// Databases first; ip-api only for fields no database is configured for.
	first, second := f.geoRecord(), f.asnRecord()
	configured := in.geo != nil
	if src == fromAS {
		first, second = second, first
		configured = in.asn != nil
	}
	if v, ok := geoField(first, field); ok {
		return v, true
	}
	if v, ok := geoField(second, field); ok {
		return v, true
	}
	if !configured {
		if info := f.ipapiInfo(); info != nil {
			if v, ok := geoField(&info.geo, field); ok {
				return v, true
			}
		}
	}
	return unknown, true
}

// lookupDeadline is when this request stops waiting for lookups: every
// lookup of a request shares it, so none waits longer than lookupTimeout.
func (f *clientFacts) lookupDeadline() time.Time {
	if f.intel.deadline.IsZero() {
		f.intel.deadline = time.Now().Add(f.m.intel.timeout)
	}
	return f.intel.deadline
}

func (f *clientFacts) geoRecord() *geoInfo {
	if !f.intel.geoDone {
		f.intel.geoDone = true
		if d := f.m.intel.geo; d != nil {
			var result string
			f.intel.geo, result = geoLookup(d, f.client.addr, f.now)
			f.m.metricLookup("geoip", result)
		}
	}
	return f.intel.geo
}

func (f *clientFacts) asnRecord() *geoInfo {
	if !f.intel.asnDone {
		f.intel.asnDone = true
		if d := f.m.intel.asn; d != nil {
			var result string
			f.intel.asn, result = geoLookup(d, f.client.addr, f.now)
			f.m.metricLookup("asn", result)
		}
	}
	return f.intel.asn
}

// startThirdParties starts the ip-api and StopForumSpam lookups without
// waiting, so that they run side by side under the request's deadline.
func (f *clientFacts) startThirdParties(ipapi, sfs bool) {
	in := f.m.intel
	if in == nil || !f.client.valid {
		return
	}
	if ipapi && in.ipapi != nil && f.intel.ipapi == nil && !f.intel.ipapiGot {
		f.intel.ipapi = in.ipapi.start(f.client.addr, f.now)
	}
	if sfs && in.sfs != nil && f.intel.sfs == nil && !f.intel.sfsGot {
		f.intel.sfs = in.sfs.start(f.client.addr, f.now)
	}
}

func (f *clientFacts) ipapiInfo() *ipapiInfo {
	if f.intel.ipapiGot {
		return f.intel.ipapiRes
	}
	in := f.m.intel
	if in.ipapi == nil {
		return nil
	}
	f.startThirdParties(true, false)
	f.intel.ipapiGot = true
	if f.intel.ipapi == nil {
		f.m.metricLookup("ipapi", "skipped") // an address that stays here
		return nil
	}
	v, result := f.intel.ipapi.waitResult(f.lookupDeadline())
	f.m.metricLookup("ipapi", result)
	f.intel.ipapiRes, _ = v.(*ipapiInfo)
	return f.intel.ipapiRes
}

func (f *clientFacts) stopForumSpam() (bool, bool) {
	in := f.m.intel
	if in.sfs == nil {
		return false, false
	}
	f.startThirdParties(false, true)
	f.intel.sfsGot = true
	if f.intel.sfs == nil {
		f.m.metricLookup("stopforumspam", "skipped")
		return false, false
	}
	v, result := f.intel.sfs.waitResult(f.lookupDeadline())
	f.m.metricLookup("stopforumspam", result)
	listed, ok := v.(bool)
	return listed, ok
}

// geoField reads field from g; ok is false when g does not have it.
func geoField(g *geoInfo, field string) (factValue, bool) {
	if g == nil {
		return factValue{}, false
	}
	s := ""
	switch field {
	case "continent":
		s = g.continent
	case "continent_code":
		s = g.continentCode
	case "country":
		s = g.country
	case "country_code":
		s = g.countryCode
	case "region":
		s = g.region
	case "region_code":
		s = g.regionCode
	case "city":
		s = g.city
	case "zip":
		s = g.zip
	case "timezone":
		s = g.timezone
	case "as":
		s = g.asName
	case "lat":
		return numberFact(g.lat), g.hasLocation
	case "lon":
		return numberFact(g.lon), g.hasLocation
	case "as_code":
		return numberFact(g.asNumber), g.hasAS
	}
	return stringFact(s), s != ""
}

func ipapiField(info *ipapiInfo, field string) (factValue, bool) {
	switch field {
	case "district":
		return stringFact(info.district), true // "" when ip-api knows none
	case "currency":
		return stringFact(info.currency), info.currency != ""
	case "isp":
		return stringFact(info.isp), info.isp != ""
	case "org":
		return stringFact(info.org), true
	case "offset":
		return numberFact(info.offset), info.hasOffset
	case "mobile":
		return boolFact(info.mobile), info.hasMobile
	case "proxy":
		return boolFact(info.proxy), info.hasProxy
	case "hosting":
		return boolFact(info.hosting), info.hasHosting
	}
	return factValue{}, false
}

// asksThirdParties reports whether any third-party signal is configured.
func (in *clientIntel) asksThirdParties() bool {
	return in != nil && (in.tor != nil || in.ipapi != nil || in.sfs != nil)
}

// thirdPartySuspicion runs the third-party signals for a request, sharing
// the rules' clientFacts when they made one.
func (m *Middleware) thirdPartySuspicion(facts *clientFacts, r *http.Request, client clientAddr, now time.Time) string {
	if facts == nil {
		facts = newClientFacts(m, r, client, now)
	}
	return facts.thirdPartySuspicion()
}

// thirdPartySuspicion returns why a third party says the client is a bot:
// a Tor exit, an ip-api proxy or hosting address, a StopForumSpam listing;
// "" when none does or none answered in time (fail open). The lookups run
// side by side; answers are cached, so a returning client costs map reads.
func (f *clientFacts) thirdPartySuspicion() string {
	if !f.m.intel.asksThirdParties() || !f.client.valid {
		return ""
	}
	f.startThirdParties(true, true)
	if v := f.value("tor"); v.known && v.b {
		return "Tor exit node"
	}
	if v := f.value("proxy"); v.known && v.b {
		return "proxy (ip-api)"
	}
	if v := f.value("hosting"); v.known && v.b {
		return "hosting provider (ip-api)"
	}
	if v := f.value("forum_spammer"); v.known && v.b {
		return "listed by StopForumSpam"
	}
	return ""
}
