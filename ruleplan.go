package captchaify

import (
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// The compiled rules are laid out for evaluation under Yaegi, where every
// interpreted operation costs 25–300 ns and every call of an interpreted
// function allocates a frame: testing 50 rules condition by condition took
// ~100 µs per request. So the conditions on the cheap fields are answered
// per field, for all rules at once, by indexes that standard-library code
// searches (maps keyed by value, prefix and suffix, network prefix), behind
// a filter of one standard-library call that tells whether any condition
// other than == can hold (rulefilter.go). Only the "and" groups whose
// indexed conditions all hold are then looked at one condition at a time,
// and only there are expensive fields fetched.

// ruleSet is the compiled `rules` option.
type ruleSet struct {
	rules   []compiledRule // as configured, for code that looks at the changes (datasets.go)
	conds   []condition    // rule after rule, group after group
	groups  []ruleGroup
	patches []prefsPatch // per rule
	slots   []ruleSlot   // per field the rules read
	read    []*ruleSlot  // the slots read from the request up front, in order
	always  []int        // groups to check on every request: nothing indexed must hold first

	// memo: every field read is a request value or fixed for a cached pass
	// (rulememo.go); memoHeaders are the headers in its key, canonical:
	// User-Agent and Cookie (the pass's), then the headers the rules read,
	// X-Forwarded-Proto among them when they read the scheme (url, scheme),
	// at most memoMaxHeaders in all.
	memo        bool
	memoHeaders []string
}

// ruleGroup is one "and" group: conds[first:end], of rule `rule`.
type ruleGroup struct {
	rule       int
	first, end int
	need       int // keyed, not negated conditions: all must test true first
}

// ruleSlot is one field the rules read, and its indexes: each maps what the
// value may be to the conditions whose test then holds.
type ruleSlot struct {
	field  string
	fold   bool // compared lower-cased
	source int  // src…: where the value comes from
	header string
	keyed  bool // the slot is read up front and its conditions indexed
	has    int  // slot… bits: what to do with the value per request (one field to read)

	equal      map[string][]int // ==, is in; "true"/"false" for invalid_ip
	prefixLens []int
	prefixes   map[string][]int // starts with
	suffixLens []int
	suffixes   map[string][]int       // ends with
	netBits    []int                  // IPv6 prefix lengths in nets
	nets       map[netip.Prefix][]int // ip ==, is in (an address is a full-length prefix)
	textConds  []int                  // contains, globs: tested one by one
	rawConds   []int                  // matches: tested one by one
	keyedCount int

	// The filter in front of every index but equal (see filterSlot): a
	// value that starts with none of the leads and contains none of the
	// needles makes none of those conditions hold.
	lead      *regexp.Regexp    // ^(?:lead|…)
	needleRe  *regexp.Regexp    // needles that share a literal prefix: strings.Index finds them
	needleRep *strings.Replacer // other needles: a trie, searched in native code
	leads     []string          // while planning: regexps of the leads
	needles   []string          // while planning
	open      bool              // while planning: some condition has no lead or needle
}

// Bits of ruleSlot.has.
const (
	slotFold       = 1 << iota
	slotEqual      // look the value up in equal
	slotMore       // other indexes: run markSlot when the filter lets the value through
	slotUnfiltered // no filter: run markSlot on every request
	slotLead
	slotNeedleRe
	slotNeedleRep
)

// Where a field's value comes from: read from the request in place for the
// cheap fields, else asked of clientFacts (and then never indexed).
const (
	srcFacts = iota
	srcIP
	srcUserAgent
	srcMethod
	srcPath
	srcQuery
	srcNetloc
	srcHostname
	srcHeader
	srcURL
	srcScheme
	srcDomain
	srcInvalidIP
)

var fieldSources = map[string]int{
	"ip": srcIP, "user_agent": srcUserAgent, "method": srcMethod, "path": srcPath,
	"query": srcQuery, "netloc": srcNetloc, "hostname": srcHostname,
	"url": srcURL, "scheme": srcScheme, "domain": srcDomain, "invalid_ip": srcInvalidIP,
}

// Condition codes: the field's kind and the operator in one number.
const (
	codeBool = iota
	codeNumEq
	codeNumIn
	codeNumGreater
	codeNumLess
	codeNumAtLeast
	codeNumAtMost
	codeEq
	codeGlob
	codeIPEq
	codeContains
	codeStarts
	codeEnds
	codeMatches
	codeIn
)

func conditionCode(c *condition) int {
	switch c.kind {
	case kindBool:
		return codeBool
	case kindNumber:
		switch c.op {
		case opIn:
			return codeNumIn
		case opGreater:
			return codeNumGreater
		case opLess:
			return codeNumLess
		case opAtLeast:
			return codeNumAtLeast
		case opAtMost:
			return codeNumAtMost
		}
		return codeNumEq
	}
	switch c.op {
	case opEq:
		if c.glob != nil {
			return codeGlob
		}
		if c.isIP {
			return codeIPEq
		}
		return codeEq
	case opContains:
		return codeContains
	case opStarts:
		return codeStarts
	case opEnds:
		return codeEnds
	case opMatches:
		return codeMatches
	}
	return codeIn
}

// planRules lays the rules out and builds the indexes.
func planRules(rules []compiledRule) ruleSet {
	rs := ruleSet{rules: rules}
	slotOf := map[string]int{}
	for ri := range rules {
		rs.patches = append(rs.patches, rules[ri].patch)
		for _, g := range rules[ri].groups {
			gi := len(rs.groups)
			grp := ruleGroup{rule: ri, first: len(rs.conds)}
			for k := range g {
				c := g[k]
				slot, ok := slotOf[c.field]
				if !ok {
					slot = len(rs.slots)
					slotOf[c.field] = slot
					rs.slots = append(rs.slots, newRuleSlot(c.field, c.fold))
				}
				c.slot = slot
				c.group = gi
				c.code = conditionCode(&c)
				rs.conds = append(rs.conds, c)
			}
			grp.end = len(rs.conds)
			rs.groups = append(rs.groups, grp)
		}
	}
	for k := range rs.conds {
		indexCondition(&rs, k)
	}
	rs.memo = true
	rs.memoHeaders = []string{"User-Agent", "Cookie"}
	for si := range rs.slots {
		sl := &rs.slots[si]
		switch {
		case sl.source == srcHeader && !containsString(rs.memoHeaders, sl.header):
			rs.memoHeaders = append(rs.memoHeaders, sl.header)
		case (sl.source == srcURL || sl.source == srcScheme) && !containsString(rs.memoHeaders, "X-Forwarded-Proto"):
			rs.memoHeaders = append(rs.memoHeaders, "X-Forwarded-Proto") // isHTTPS reads it
		case sl.source == srcFacts && sl.field != "crawler": // crawler: the user agent's
			rs.memo = false
		}
		finishSlot(&rs, si)
		if rs.slots[si].has != 0 {
			rs.read = append(rs.read, &rs.slots[si])
		}
	}
	if len(rs.memoHeaders) > memoMaxHeaders {
		rs.memo = false // evaluated every time: the key has no room for them
	}
	for gi := range rs.groups {
		g := &rs.groups[gi]
		for k := g.first; k < g.end; k++ {
			if rs.conds[k].keyed && !rs.conds[k].negate {
				g.need++
			}
		}
		if g.need == 0 {
			rs.always = append(rs.always, gi)
		}
	}
	return rs
}

func newRuleSlot(field string, fold bool) ruleSlot {
	sl := ruleSlot{field: field, fold: fold, source: fieldSources[field]}
	if strings.HasPrefix(field, "header.") {
		sl.source = srcHeader
		sl.header = field[len("header."):] // canonical (compileCondition)
	}
	if sl.source == srcUserAgent {
		sl.header = "User-Agent"
	}
	sl.keyed = sl.source != srcFacts
	switch sl.source {
	case srcHostname, srcDomain, srcScheme, srcInvalidIP:
		sl.fold = false // already lower case
	}
	return sl
}

// indexCondition enters a condition on a cheap field into its slot's indexes.
func indexCondition(rs *ruleSet, k int) {
	c := &rs.conds[k]
	sl := &rs.slots[c.slot]
	if !sl.keyed {
		return
	}
	switch c.code {
	case codeBool:
		sl.equal = addKey(sl.equal, strconv.FormatBool(c.b), k)
	case codeEq:
		sl.equal = addKey(sl.equal, c.s, k)
	case codeIn:
		for item := range c.set {
			sl.equal = addKey(sl.equal, item, k)
		}
		for _, p := range c.nets {
			addNetwork(sl, p, k)
		}
		if len(c.globs) > 0 {
			sl.textConds = append(sl.textConds, k)
			for _, g := range c.globs {
				filterGlob(sl, g)
			}
		}
	case codeIPEq:
		p := netip.PrefixFrom(c.addr, c.addr.BitLen())
		if len(c.nets) > 0 {
			p = c.nets[0]
		}
		addNetwork(sl, p, k)
	case codeStarts:
		sl.prefixes = addKey(sl.prefixes, c.s, k)
		sl.prefixLens = addLen(sl.prefixLens, len(c.s))
		filterLead(sl, regexp.QuoteMeta(c.s), c.s != "")
	case codeEnds:
		sl.suffixes = addKey(sl.suffixes, c.s, k)
		sl.suffixLens = addLen(sl.suffixLens, len(c.s))
		filterNeedles(sl, []string{c.s})
	case codeContains:
		sl.textConds = append(sl.textConds, k)
		filterNeedles(sl, []string{c.s})
	case codeGlob:
		sl.textConds = append(sl.textConds, k)
		filterGlob(sl, c.glob)
	case codeMatches:
		sl.rawConds = append(sl.rawConds, k)
		if sl.fold {
			sl.open = true // the regexp reads the value as it is, the filter the lower-cased one
		} else {
			filterNeedles(sl, requiredStrings(c.re))
		}
	default:
		return // no number field is cheap
	}
	c.keyed = true
	sl.keyedCount++
}

// finishSlot builds the slot's filter and says what a request does with
// its value.
func finishSlot(rs *ruleSet, si int) {
	sl := &rs.slots[si]
	if sl.keyed && sl.equal == nil && len(sl.prefixes) == 0 && len(sl.suffixes) == 0 &&
		len(sl.textConds) == 0 && len(sl.rawConds) == 0 {
		sl.fold = false // only networks are looked up: no text to lower-case
	}
	sort.Ints(sl.prefixLens)
	sort.Ints(sl.suffixLens)
	sort.Ints(sl.netBits)
	if sl.keyedCount == 0 {
		return
	}
	more := len(sl.prefixes) > 0 || len(sl.suffixes) > 0 || sl.nets != nil ||
		len(sl.textConds) > 0 || len(sl.rawConds) > 0
	if more {
		buildFilter(sl)
	}
	sl.has = flagIf(sl.fold, slotFold) | flagIf(sl.equal != nil, slotEqual) | flagIf(more, slotMore) |
		flagIf(more && sl.open, slotUnfiltered) | flagIf(sl.lead != nil, slotLead) |
		flagIf(sl.needleRe != nil, slotNeedleRe) | flagIf(sl.needleRep != nil, slotNeedleRep)
	sl.leads = nil // only needed while planning
	sl.needles = nil
}

func flagIf(ok bool, bit int) int {
	if ok {
		return bit
	}
	return 0
}

func addKey(m map[string][]int, key string, k int) map[string][]int {
	if m == nil {
		m = map[string][]int{}
	}
	m[key] = append(m[key], k)
	return m
}

// addNetwork indexes a network.
func addNetwork(sl *ruleSlot, p netip.Prefix, k int) {
	sl.nets = addNet(sl.nets, p, k)
	sl.netBits = addLen(sl.netBits, p.Bits())
	filterNetwork(sl, p)
}

func addNet(m map[netip.Prefix][]int, p netip.Prefix, k int) map[netip.Prefix][]int {
	if m == nil {
		m = map[netip.Prefix][]int{}
	}
	m[p] = append(m[p], k)
	return m
}

func addLen(l []int, n int) []int {
	for _, x := range l {
		if x == n {
			return l
		}
	}
	return append(l, n)
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
