package captchaify

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ruleValue is one field's value for the request being evaluated, read at
// most once however many conditions use it. Flat: nested struct fields
// cost more under Yaegi.
type ruleValue struct {
	got   bool
	known bool
	b     bool
	n     float64
	s     string // lower case when the field compares without case
	raw   string
}

func (rs *ruleSet) active() bool { return len(rs.patches) > 0 }

// applyRules runs the rules in order; each one that matches applies its
// change, so the last match wins. First the cheap fields are read and
// their filters and indexes tell which conditions on them hold (see
// ruleplan.go, rulefilter.go); then
// only the groups that can still match are checked condition by condition,
// fetching expensive fields on the way, cheapest conditions first.
//
// Under Yaegi each call allocates a frame for every value of the called
// function, executed or not, so the per-field loop is written out here and
// everything that runs only when a condition holds is in other functions.
//
// It returns the clientFacts it made to look up expensive fields, if it
// needed any, so that later steps reuse what was looked up.
func applyRules(rs *ruleSet, p *prefs, m *Middleware, r *http.Request, client *clientAddr, now time.Time) *clientFacts {
	var st *ruleState // created when a condition holds
	// Measured under Yaegi: ranging over pointers costs a quarter of
	// taking &slots[i]; indexing r.Header half of Header.Get (the keys are
	// canonical, as Get would make them).
	for _, sl := range rs.read {
		raw := ""
		switch sl.source {
		case srcPath:
			raw = r.URL.Path
		case srcIP:
			raw = client.raw
		case srcUserAgent, srcHeader:
			if v := r.Header[sl.header]; len(v) > 0 {
				raw = v[0]
			}
		case srcMethod:
			raw = r.Method
		case srcQuery:
			raw = r.URL.RawQuery
		case srcNetloc:
			raw = r.Host
		case srcHostname:
			raw = r.Host
			if strings.IndexByte(raw, ':') < 0 {
				raw = strings.ToLower(raw) // requestHost's answer without its calls
			} else {
				raw = requestHost(r)
			}
		case srcURL:
			raw = urlField(r)
		default:
			raw = derivedField(sl.source, r, client)
		}
		has := sl.has
		s := raw
		if has&slotFold != 0 {
			s = strings.ToLower(raw)
		}
		if has&slotEqual != 0 {
			if l := sl.equal[s]; l != nil {
				st = markTested(rs, st, l)
			}
		}
		if has&slotMore != 0 && (has&slotUnfiltered != 0 ||
			has&slotLead != 0 && sl.lead.MatchString(s) ||
			has&slotNeedleRe != 0 && sl.needleRe.MatchString(s) ||
			has&slotNeedleRep != 0 && sl.needleRep.Replace(s) != s) {
			st = markSlot(rs, st, sl, s, raw, client)
		}
	}
	if st == nil && len(rs.always) == 0 {
		return nil
	}
	return checkGroups(rs, st, p, m, r, client, now)
}

// derivedField reads the cheap fields that take some computing; apart from
// applyRules so that its frame stays small.
func derivedField(source int, r *http.Request, client *clientAddr) string {
	switch source {
	case srcScheme:
		if isHTTPS(r) {
			return "https"
		}
		return "http"
	case srcDomain:
		return registrableDomain(requestHost(r))
	case srcInvalidIP:
		return strconv.FormatBool(!client.valid)
	}
	return ""
}

// urlField is the url field: scheme, host and request URI. isHTTPS is
// written out and there is one concatenation: under Yaegi the call and its
// || cost more than the rest, and every expression is allocated per call.
func urlField(r *http.Request) string {
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	} else if v := r.Header["X-Forwarded-Proto"]; len(v) > 0 && strings.EqualFold(v[0], "https") {
		scheme = "https://"
	}
	return scheme + r.Host + r.URL.RequestURI()
}

// markSlot looks the value up in the slot's indexes other than equal, once
// its filter let it through.
func markSlot(rs *ruleSet, st *ruleState, sl *ruleSlot, s, raw string, client *clientAddr) *ruleState {
	if sl.prefixes != nil {
		for _, n := range sl.prefixLens {
			if n > len(s) {
				break
			}
			if l := sl.prefixes[s[:n]]; l != nil {
				st = markTested(rs, st, l)
			}
		}
	}
	if sl.suffixes != nil {
		for _, n := range sl.suffixLens {
			if n > len(s) {
				break
			}
			if l := sl.suffixes[s[len(s)-n:]]; l != nil {
				st = markTested(rs, st, l)
			}
		}
	}
	if sl.nets != nil && client.valid {
		st = markNets(rs, st, sl, client)
	}
	if len(sl.textConds) > 0 {
		st = markHolding(rs, st, sl.textConds, s, raw, client)
	}
	if len(sl.rawConds) > 0 {
		st = markHolding(rs, st, sl.rawConds, s, raw, client)
	}
	return st
}

// markNets looks the client up in the slot's networks, one prefix
// length at a time.
func markNets(rs *ruleSet, st *ruleState, sl *ruleSlot, client *clientAddr) *ruleState {
	for _, b := range sl.netBits {
		if pfx, err := client.addr.Prefix(b); err == nil {
			if l := sl.nets[pfx]; l != nil {
				st = markTested(rs, st, l)
			}
		}
	}
	return st
}

// ruleState is what the indexes found for one request.
type ruleState struct {
	tested []bool // keyed conditions whose test holds
	hits   []int  // per group: keyed conditions that hold; -1: the group fails
	cands  []int  // groups whose keyed conditions all hold
}

// markTested records that the conditions in l test true.
func markTested(rs *ruleSet, st *ruleState, l []int) *ruleState {
	if st == nil {
		st = &ruleState{tested: make([]bool, len(rs.conds)), hits: make([]int, len(rs.groups))}
	}
	for _, k := range l {
		if st.tested[k] {
			continue
		}
		st.tested[k] = true
		c := &rs.conds[k]
		g := c.group
		switch {
		case st.hits[g] < 0:
		case c.negate:
			st.hits[g] = -1 // a negated condition whose test holds: the group fails
		default:
			st.hits[g]++
			if st.hits[g] == rs.groups[g].need {
				st.cands = append(st.cands, g)
			}
		}
	}
	return st
}

// markHolding tests the conditions in l one by one (a scan regexp matched,
// so some may hold) and records those whose test holds.
func markHolding(rs *ruleSet, st *ruleState, l []int, s, raw string, client *clientAddr) *ruleState {
	rv := &ruleValue{got: true, known: true, s: s, raw: raw}
	for _, k := range l {
		if testCondition(&rs.conds[k], rv, client) {
			st = markTested(rs, st, []int{k})
		}
	}
	return st
}

// checkGroups checks, in rule order, the groups whose keyed conditions all
// hold and those without any, condition by condition.
func checkGroups(rs *ruleSet, st *ruleState, p *prefs, m *Middleware, r *http.Request, client *clientAddr, now time.Time) *clientFacts {
	var f *clientFacts
	vals := make([]ruleValue, len(rs.slots))
	if st == nil {
		st = &ruleState{tested: make([]bool, len(rs.conds)), hits: make([]int, len(rs.groups))}
	}
	todo := append(st.cands, rs.always...)
	sort.Ints(todo)
	applied := -1
	for _, gi := range todo {
		g := &rs.groups[gi]
		if st.hits[gi] < 0 || g.rule == applied {
			continue
		}
		ok := true
		for k := g.first; k < g.end && ok; k++ {
			c := &rs.conds[k]
			if c.keyed {
				ok = st.tested[k] != c.negate
				continue
			}
			rv := &vals[c.slot]
			if !rv.got {
				if f == nil {
					f = newClientFacts(m, r, *client, now)
				}
				readFact(rv, &rs.slots[c.slot], f)
			}
			// An unknown value (a failed or unconfigured lookup) makes the
			// condition false whatever the operator, so a missing answer
			// never triggers a rule.
			ok = rv.known && testCondition(c, rv, client) != c.negate
		}
		if ok {
			patch := &rs.patches[g.rule]
			patch.applyTo(p)
			applied = g.rule
		}
	}
	return f
}

// readFact reads a field that is not indexed from clientFacts, which looks
// each one up at most once per request.
func readFact(rv *ruleValue, sl *ruleSlot, f *clientFacts) {
	v := f.value(sl.field)
	rv.got = true
	rv.known = v.known
	rv.raw = v.s
	rv.b = v.b
	rv.n = v.n
	rv.s = v.s
	if sl.fold {
		rv.s = strings.ToLower(v.s)
	}
}

// testCondition is one condition's test, without its negation.
func testCondition(c *condition, rv *ruleValue, client *clientAddr) bool {
	switch c.code {
	case codeBool:
		return rv.b == c.b
	case codeNumEq:
		return rv.n == c.n
	case codeNumIn:
		return c.nums[rv.n]
	case codeNumGreater:
		return rv.n > c.n
	case codeNumLess:
		return rv.n < c.n
	case codeNumAtLeast:
		return rv.n >= c.n
	case codeNumAtMost:
		return rv.n <= c.n
	case codeEq:
		return rv.s == c.s
	case codeGlob:
		return globMatch(c.glob, rv.s)
	case codeIPEq:
		return client.valid && (c.addr == client.addr || len(c.nets) > 0 && c.nets[0].Contains(client.addr))
	case codeContains:
		return strings.Contains(rv.s, c.s)
	case codeStarts:
		return strings.HasPrefix(rv.s, c.s)
	case codeEnds:
		return strings.HasSuffix(rv.s, c.s)
	case codeMatches:
		return c.re.MatchString(rv.raw)
	}
	// codeIn
	if c.set[rv.s] {
		return true
	}
	if c.isIP && client.valid {
		for i := range c.nets {
			if c.nets[i].Contains(client.addr) {
				return true
			}
		}
	}
	for i := range c.globs {
		if globMatch(c.globs[i], rv.s) {
			return true
		}
	}
	return false
}

// globMatch reports whether s fits the pattern split at its stars: the first
// part is a prefix, the last a suffix, the ones between appear in order.
func globMatch(parts []string, s string) bool {
	if len(parts) == 1 {
		return s == parts[0]
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for i := 1; i < len(parts)-1; i++ {
		j := strings.Index(s, parts[i])
		if j < 0 {
			return false
		}
		s = s[j+len(parts[i]):]
	}
	return strings.HasSuffix(s, last)
}
