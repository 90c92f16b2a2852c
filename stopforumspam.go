package captchaify

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
)

// StopForumSpam (https://www.stopforumspam.com): is the address a listed
// forum spammer? The API allows 20 000 queries a day; every middleware of
// the process shares one limiter per base URL, and answers are cached for
// 7 days.

// DefaultStopForumSpamURL is StopForumSpam's API; "?ip=<address>&json" is appended.
const DefaultStopForumSpamURL = "https://api.stopforumspam.org/api"

const (
	sfsTTL        = 7 * 24 * time.Hour
	sfsFailTTL    = time.Minute
	sfsCacheSize  = 50000
	sfsPerDay     = 20000
	sfsPerMinute  = 60 // no burst spends the day's budget in minutes
	sfsMaxBody    = 16 << 10
	sfsSourceName = "StopForumSpam"
)

type sfsService struct {
	base      string
	cache     *lookupCache
	perDay    *windowLimiter
	perMinute *windowLimiter
	health    serviceHealth
	log       logger
}

var (
	sfsServicesMu sync.Mutex
	sfsServices   = make(map[string]*sfsService)
)

func sfsServiceFor(base string, log logger) *sfsService {
	sfsServicesMu.Lock()
	defer sfsServicesMu.Unlock()
	s := sfsServices[base]
	if s == nil {
		s = &sfsService{
			base:      base,
			cache:     newLookupCache(sfsCacheSize, sfsTTL, sfsFailTTL),
			perDay:    newWindowLimiter(sfsPerDay, 24*time.Hour),
			perMinute: newWindowLimiter(sfsPerMinute, time.Minute),
			log:       log,
		}
		sfsServices[base] = s
	}
	return s
}

// start begins (or joins) the lookup of addr; nil for an address that must
// not leave the machine. The answer is a bool: listed or not.
func (s *sfsService) start(addr netip.Addr, now time.Time) *lookupEntry {
	return startAddressLookup(s.cache, &s.health, s.log, sfsSourceName+" ("+s.base+")", addr, now, s.fetch)
}

func (s *sfsService) fetch(ip string) (interface{}, error) {
	now := time.Now()
	if !s.perMinute.allow(now) || !s.perDay.allow(now) {
		return nil, errLimited{}
	}
	sep := "?"
	if strings.Contains(s.base, "?") {
		sep = "&"
	}
	body, status, _, err := httpGetCapped(s.base+sep+"ip="+url.QueryEscape(ip)+"&json", sfsMaxBody, "application/json")
	if status == 429 {
		s.perMinute.pause(now, time.Minute)
	}
	if err == nil && status != 200 {
		err = fmt.Errorf("HTTP status %d", status)
	}
	listed := false
	if err == nil {
		listed, err = parseStopForumSpam(body)
	}
	if err != nil {
		return nil, err
	}
	s.health.succeeded(s.log, sfsSourceName+" ("+s.base+")")
	return listed, nil
}

// parseStopForumSpam reads {"success":1,"ip":{"appears":1,"frequency":…}}.
func parseStopForumSpam(body []byte) (bool, error) {
	var m map[string]interface{}
	if err := json.Unmarshal(body, &m); err != nil {
		return false, fmt.Errorf("malformed answer: %v", err)
	}
	if !truthy(m["success"]) {
		msg, _ := m["error"].(string)
		return false, fmt.Errorf("unsuccessful answer: %.80s", msg)
	}
	ip, ok := m["ip"].(map[string]interface{})
	if !ok {
		return false, fmt.Errorf("answer without an ip entry")
	}
	return truthy(ip["appears"]), nil
}

// truthy reads 1, "1", true, "yes" as true.
func truthy(v interface{}) bool {
	switch x := v.(type) {
	case bool:
		return x
	case float64:
		return x > 0
	case string:
		x = strings.ToLower(strings.TrimSpace(x))
		return x == "1" || x == "true" || x == "yes"
	}
	return false
}
