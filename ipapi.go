package captchaify

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ip-api (https://ip-api.com): proxy, hosting, mobile, isp, org, district,
// currency, offset, AS and, when no database answers them, the geo fields.
// The free endpoint allows 45 requests a minute per client address; every
// middleware of the process shares one limiter per base URL and honours the
// X-Rl/X-Ttl headers and 429s.

// DefaultIPAPIURL is ip-api's free endpoint (HTTP only); the address is appended.
const DefaultIPAPIURL = "http://ip-api.com/json/"

const (
	ipapiTTL        = 6 * 24 * time.Hour
	ipapiFailTTL    = time.Minute
	ipapiCacheSize  = 50000
	ipapiPerMinute  = 45
	ipapiMaxBody    = 64 << 10
	ipapiFields     = "status,message,continent,continentCode,country,countryCode,region,regionName,city,district,zip,lat,lon,timezone,offset,currency,isp,org,as,asname,mobile,proxy,hosting"
	ipapiSourceName = "ip-api"
)

// ipapiInfo is ip-api's answer for one address.
type ipapiInfo struct {
	geo                    geoInfo
	district, currency     string
	isp, org               string
	offset                 float64
	hasOffset              bool
	mobile, proxy, hosting bool
	hasMobile, hasProxy    bool
	hasHosting             bool
}

type ipapiService struct {
	base    string
	cache   *lookupCache
	limiter *windowLimiter
	health  serviceHealth
	log     logger
}

var (
	ipapiServicesMu sync.Mutex
	ipapiServices   = make(map[string]*ipapiService)
)

func ipapiServiceFor(base string, log logger) *ipapiService {
	ipapiServicesMu.Lock()
	defer ipapiServicesMu.Unlock()
	s := ipapiServices[base]
	if s == nil {
		s = &ipapiService{
			base:    base,
			cache:   newLookupCache(ipapiCacheSize, ipapiTTL, ipapiFailTTL),
			limiter: newWindowLimiter(ipapiPerMinute, time.Minute),
			log:     log,
		}
		ipapiServices[base] = s
	}
	return s
}

// start begins (or joins) the lookup of addr; nil for an address that must
// not leave the machine.
func (s *ipapiService) start(addr netip.Addr, now time.Time) *lookupEntry {
	return startAddressLookup(s.cache, &s.health, s.log, ipapiSourceName+" ("+s.base+")", addr, now, s.fetch)
}

func (s *ipapiService) fetch(ip string) (interface{}, error) {
	now := time.Now()
	if !s.limiter.allow(now) {
		return nil, errLimited{} // unknown for ipapiFailTTL
	}
	u := s.base
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	u += ip + "?fields=" + ipapiFields
	body, status, header, err := httpGetCapped(u, ipapiMaxBody, "application/json")
	if header != nil {
		// X-Rl: requests left in this minute; X-Ttl: seconds until it resets.
		if rl := header.Get("X-Rl"); rl == "0" {
			if ttl, e := strconv.Atoi(header.Get("X-Ttl")); e == nil && ttl > 0 && ttl <= 120 {
				s.limiter.pause(now, time.Duration(ttl)*time.Second)
			}
		}
	}
	if status == 429 {
		s.limiter.pause(now, time.Minute)
	}
	if err == nil && status != 200 {
		err = fmt.Errorf("HTTP status %d", status)
	}
	var info *ipapiInfo
	if err == nil {
		info, err = parseIPAPI(body)
	}
	if err != nil {
		return nil, err
	}
	s.health.succeeded(s.log, ipapiSourceName+" ("+s.base+")")
	return info, nil
}

// parseIPAPI reads ip-api's JSON answer. A "fail" status (private or
// reserved range, invalid query) is an error: the fields stay unknown.
func parseIPAPI(body []byte) (*ipapiInfo, error) {
	var m map[string]interface{}
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("malformed answer: %v", err)
	}
	if st, _ := m["status"].(string); st != "success" {
		msg, _ := m["message"].(string)
		return nil, fmt.Errorf("status %q: %.80s", st, msg)
	}
	info := &ipapiInfo{}
	g := &info.geo
	g.continent = jsonString(m, "continent")
	g.continentCode = jsonString(m, "continentCode")
	g.country = jsonString(m, "country")
	g.countryCode = jsonString(m, "countryCode")
	g.region = jsonString(m, "regionName")
	g.regionCode = jsonString(m, "region")
	g.city = jsonString(m, "city")
	g.zip = jsonString(m, "zip")
	g.timezone = jsonString(m, "timezone")
	lat, okLat := m["lat"].(float64)
	lon, okLon := m["lon"].(float64)
	if okLat && okLon {
		g.lat = lat
		g.lon = lon
		g.hasLocation = true
	}
	// "as" is "AS15169 Google LLC"; "asname" the short name.
	if as := jsonString(m, "as"); strings.HasPrefix(strings.ToUpper(as), "AS") {
		num := strings.Fields(as[2:])
		if len(num) > 0 {
			if n, err := strconv.ParseUint(num[0], 10, 32); err == nil {
				g.asNumber = float64(n)
				g.hasAS = true
				g.asName = jsonString(m, "asname")
				if g.asName == "" {
					g.asName = strings.TrimSpace(strings.TrimPrefix(as[2:], num[0]))
				}
			}
		}
	}
	info.district = jsonString(m, "district")
	info.currency = jsonString(m, "currency")
	info.isp = jsonString(m, "isp")
	info.org = jsonString(m, "org")
	info.offset, info.hasOffset = m["offset"].(float64)
	info.mobile, info.hasMobile = m["mobile"].(bool)
	info.proxy, info.hasProxy = m["proxy"].(bool)
	info.hosting, info.hasHosting = m["hosting"].(bool)
	return info, nil
}

func jsonString(m map[string]interface{}, key string) string {
	s, _ := m[key].(string)
	return s
}
