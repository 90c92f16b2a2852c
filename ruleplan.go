package captchaify

import (
	"net/netip"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
)

// The compiled rules are laid out for evaluation under Yaegi, where every
// interpreted operation costs 25–300 ns and every call of an interpreted
// function allocates a frame: testing 50 rules condition by condition took
// ~100 µs per request. So the conditions on the cheap fields are answered
// per field, for all rules at once, by indexes that standard-library code
// searches (maps keyed by value, prefix and suffix, network prefix, one
// regexp that tells whether any "contains", glob or "matches" can hold).
// Only the "and" groups whose indexed conditions all hold are then looked
// at one condition at a time, and only there are expensive fields fetched.

// ruleSet is the compiled `rules` option.
type ruleSet struct {
	rules   []compiledRule // as configured, for code that looks at the changes (datasets.go)
	conds   []condition    // rule after rule, group after group
	groups  []ruleGroup
	patches []prefsPatch // per rule
	slots   []ruleSlot   // per field the rules read
	always  []int        // groups to check on every request: nothing indexed must hold first
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
	has    int  // slot… bits: which of the indexes below are in use (one field to read per request)

	equal      map[string][]int // ==, is in; "true"/"false" for invalid_ip
	prefixLens []int
	prefixes   map[string][]int // starts with
	suffixLens []int
	suffixes   map[string][]int       // ends with
	netBits    []int                  // IPv6 prefix lengths in nets
	nets       map[netip.Prefix][]int // ip ==, is in (an address is a full-length prefix)
	textScan   *regexp.Regexp         // matches if any contains/glob condition may hold
	textConds  []int
	rawScan    *regexp.Regexp // matches if any "matches" condition may hold
	rawConds   []int
	keyedCount int
}

// Bits of ruleSlot.has.
const (
	slotFold = 1 << iota
	slotEqual
	slotPrefix
	slotSuffix
	slotNets
	slotText
	slotRaw
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
	for si := range rs.slots {
		finishSlot(&rs, si)
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
		sl.header = field[len("header."):]
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
	case codeEnds:
		sl.suffixes = addKey(sl.suffixes, c.s, k)
		sl.suffixLens = addLen(sl.suffixLens, len(c.s))
	case codeContains, codeGlob:
		sl.textConds = append(sl.textConds, k)
	case codeMatches:
		sl.rawConds = append(sl.rawConds, k)
	default:
		return // no number field is cheap
	}
	c.keyed = true
	sl.keyedCount++
}

// finishSlot builds the scan regexps. Each only says "none of these can
// hold" when it does not match; when it does, the conditions are tested
// one by one. If a combined regexp does not compile, its conditions are
// simply tested one by one on every request.
func finishSlot(rs *ruleSet, si int) {
	sl := &rs.slots[si]
	if len(sl.textConds) > 0 {
		var alts []string
		for _, k := range sl.textConds {
			c := &rs.conds[k]
			switch c.code {
			case codeContains:
				alts = append(alts, regexp.QuoteMeta(c.s))
			case codeGlob:
				alts = append(alts, globRegexp(c.glob))
			default: // is in with globs
				for _, g := range c.globs {
					alts = append(alts, globRegexp(g))
				}
			}
		}
		if re, err := regexp.Compile(`(?s)` + strings.Join(alts, "|")); err == nil {
			sl.textScan = re
		} else {
			unkey(rs, sl.textConds)
			sl.textConds = nil
		}
	}
	if len(sl.rawConds) > 0 {
		var pats []string
		for _, k := range sl.rawConds {
			pats = append(pats, rs.conds[k].re.String())
		}
		if re, err := regexp.Compile(joinRegexps(pats)); err == nil {
			sl.rawScan = re
		} else {
			unkey(rs, sl.rawConds)
			sl.rawConds = nil
		}
	}
	if sl.keyed && sl.equal == nil && sl.prefixes == nil && sl.suffixes == nil && sl.textScan == nil && sl.rawScan == nil {
		sl.fold = false // only networks are looked up: no text to lower-case
	}
	sort.Ints(sl.prefixLens)
	sort.Ints(sl.suffixLens)
	sort.Ints(sl.netBits)
	if sl.keyedCount > 0 {
		sl.has = flagIf(sl.fold, slotFold) | flagIf(sl.equal != nil, slotEqual) |
			flagIf(sl.prefixes != nil, slotPrefix) | flagIf(sl.suffixes != nil, slotSuffix) |
			flagIf(sl.nets != nil, slotNets) | flagIf(sl.textScan != nil, slotText) |
			flagIf(sl.rawScan != nil, slotRaw)
	}
}

func flagIf(ok bool, bit int) int {
	if ok {
		return bit
	}
	return 0
}

// joinRegexps makes one regexp that matches where any of pats does. When
// all are anchored at the start, the anchor is put in front of the
// alternation: Go's regexp then tries one position instead of all.
func joinRegexps(pats []string) string {
	alts := make([]string, len(pats))
	anchored := true
	for i, p := range pats {
		alts[i] = "(?:" + p + ")"
		re, err := syntax.Parse(p, syntax.Perl)
		if err != nil || re.Op != syntax.OpConcat || len(re.Sub) == 0 || re.Sub[0].Op != syntax.OpBeginText {
			anchored = false
			continue
		}
		rest := *re
		rest.Sub = re.Sub[1:]
		alts[i] = "(?:" + rest.String() + ")"
	}
	if anchored {
		return "^(?:" + strings.Join(alts, "|") + ")"
	}
	for i, p := range pats {
		alts[i] = "(?:" + p + ")"
	}
	return strings.Join(alts, "|")
}

func unkey(rs *ruleSet, conds []int) {
	for _, k := range conds {
		rs.conds[k].keyed = false
		rs.slots[rs.conds[k].slot].keyedCount--
	}
}

func globRegexp(parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		q[i] = regexp.QuoteMeta(p)
	}
	return "(?:^" + strings.Join(q, ".*") + "$)"
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
