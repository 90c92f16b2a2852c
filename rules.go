package captchaify

import (
	"fmt"
	"sort"
	"strings"
)

// routePattern is a key of a route map: a path pattern ("/login*",
// "*/api/*") or, when it does not start with "/" or "*", a host and path
// pattern ("api.example.com/*"). "*" matches any run of characters.
type routePattern struct {
	key      string
	withHost bool
	parts    []string // the literal pieces between the stars
	literal  int      // how many literal characters: more is more specific
}

func compileRoutePattern(option, key string) (routePattern, error) {
	k := strings.TrimSpace(key)
	if k == "" {
		return routePattern{}, fmt.Errorf("%s: empty route pattern", option)
	}
	p := routePattern{key: k, parts: strings.Split(k, "*")}
	p.withHost = !strings.HasPrefix(k, "/") && !strings.HasPrefix(k, "*")
	if p.withHost {
		if !strings.Contains(k, "/") {
			return routePattern{}, fmt.Errorf("%s: route pattern %q must be a path (/…) or host/path", option, key)
		}
		p.parts = strings.Split(strings.ToLower(k), "*")
	}
	p.literal = len(k) - strings.Count(k, "*")
	return p, nil
}

// matches reports whether target (the path, or host+path) fits the pattern.
func (p *routePattern) matches(host, path string) bool {
	target := path
	if p.withHost {
		target = host + path
	}
	parts := p.parts
	if len(parts) == 1 {
		return target == parts[0]
	}
	if !strings.HasPrefix(target, parts[0]) {
		return false
	}
	target = target[len(parts[0]):]
	last := parts[len(parts)-1]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(target, parts[i])
		if j < 0 {
			return false
		}
		target = target[j+len(parts[i]):]
	}
	return len(target) >= len(last) && strings.HasSuffix(target, last)
}

// routeEntry pairs a pattern with the preferences it sets.
type routeEntry struct {
	pattern routePattern
	patch   prefsPatch
}

// prefsPatch holds the preferences one route entry or rule changes.
type prefsPatch struct {
	action       string
	captchaType  string
	hardness     int
	hasRate      bool
	rateLimit    int
	maxRateLimit int
	templateDir  string
	dataset      string
}

func (p *prefsPatch) applyTo(dst *prefs) {
	if p.action != "" {
		dst.action = p.action
	}
	if p.captchaType != "" {
		dst.captchaType = p.captchaType
	}
	if p.hardness != 0 {
		dst.hardness = p.hardness
	}
	if p.hasRate {
		dst.rateLimit = p.rateLimit
		dst.maxRateLimit = p.maxRateLimit
	}
	if p.templateDir != "" {
		dst.templateDir = p.templateDir
	}
	if p.dataset != "" {
		dst.dataset = p.dataset
	}
}

// routeTable is one route map, most specific pattern first.
type routeTable []routeEntry

func (t routeTable) lookup(host, path string) *prefsPatch {
	for i := range t {
		if t[i].pattern.matches(host, path) {
			return &t[i].patch
		}
	}
	return nil
}

// routeTables holds the route maps; each map picks its own most specific key.
type routeTables struct {
	tables []routeTable
}

func (rt *routeTables) apply(dst *prefs, host, path string) {
	for _, t := range rt.tables {
		if p := t.lookup(host, path); p != nil {
			p.applyTo(dst)
		}
	}
}

func compileRouteTables(c *Config) (routeTables, error) {
	var rt routeTables
	add := func(option string, keys []string, patchFor func(string) (prefsPatch, error)) error {
		if len(keys) == 0 {
			return nil
		}
		t := make(routeTable, 0, len(keys))
		for _, k := range keys {
			pat, err := compileRoutePattern(option, k)
			if err != nil {
				return err
			}
			patch, err := patchFor(k)
			if err != nil {
				return err
			}
			t = append(t, routeEntry{pattern: pat, patch: patch})
		}
		// Go maps have no order: the most literal characters win, ties by key.
		sort.SliceStable(t, func(i, j int) bool {
			if t[i].pattern.literal != t[j].pattern.literal {
				return t[i].pattern.literal > t[j].pattern.literal
			}
			return t[i].pattern.key < t[j].pattern.key
		})
		rt.tables = append(rt.tables, t)
		return nil
	}
	err := add("actions", sortedKeysString(c.Actions), func(k string) (prefsPatch, error) {
		a, err := parseAction("actions["+k+"]", c.Actions[k])
		return prefsPatch{action: a}, err
	})
	if err != nil {
		return rt, err
	}
	err = add("captchaTypes", sortedKeysString(c.CaptchaTypes), func(k string) (prefsPatch, error) {
		t, err := parseCaptchaType("captchaTypes["+k+"]", c.CaptchaTypes[k])
		return prefsPatch{captchaType: t}, err
	})
	if err != nil {
		return rt, err
	}
	err = add("hardness", sortedKeysInt(c.Hardness), func(k string) (prefsPatch, error) {
		h, err := parseHardness("hardness["+k+"]", c.Hardness[k])
		return prefsPatch{hardness: h}, err
	})
	if err != nil {
		return rt, err
	}
	err = add("rateLimits", sortedKeysInts(c.RateLimits), func(k string) (prefsPatch, error) {
		return parseRateLimitPair("rateLimits["+k+"]", c.RateLimits[k], c.DefaultMaxRateLimit)
	})
	return rt, err
}

// parseRateLimitPair reads "rate,maxRate" (or a single rate, keeping the
// default global limit).
func parseRateLimitPair(option string, v []int, defaultMax int) (prefsPatch, error) {
	p := prefsPatch{hasRate: true, maxRateLimit: defaultMax}
	switch len(v) {
	case 2:
		p.maxRateLimit = v[1]
		fallthrough
	case 1:
		p.rateLimit = v[0]
	default:
		return p, fmt.Errorf("%s: %v must be \"rateLimit,maxRateLimit\"", option, v)
	}
	if p.rateLimit < 0 || p.maxRateLimit < 0 {
		return p, fmt.Errorf("%s: %v must not be negative", option, v)
	}
	return p, nil
}

func sortedKeysString(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedKeysInt(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedKeysInts(m map[string][]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
