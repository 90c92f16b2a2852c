package captchaify

import (
	"net/netip"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The filter lets a request skip a field's indexes when none of its
// conditions can hold, at the cost of one or two standard-library calls:
// under Yaegi each index lookup, slice or call costs 0.1–0.8 µs, and a
// combined regexp of contains, suffix or glob patterns without a common
// literal prefix runs Go's NFA at every position of the value (10–20 µs
// on a browser's user agent). A condition enters the filter as
//
//   - a lead, a regexp the value must start with: starts with, globs
//     without a leading *, and networks as the text an address in them
//     starts with;
//   - needles, strings the value must contain: contains, ends with, the
//     other globs' longest piece, and the strings every match of a
//     matches regexp contains (requiredStrings).
//
// The filter may let through values whose conditions do not hold (the
// indexes then say exactly which hold), never the other way round: a
// condition it cannot express marks the slot open, tested on every request.

// filterLead adds a lead (a regexp source); ok false marks the slot open.
func filterLead(sl *ruleSlot, re string, ok bool) {
	if !ok {
		sl.open = true
		return
	}
	sl.leads = append(sl.leads, re)
}

// filterNeedles adds needles; none (or an empty one) marks the slot open.
func filterNeedles(sl *ruleSlot, needles []string) {
	if len(needles) == 0 {
		sl.open = true
		return
	}
	for _, n := range needles {
		if n == "" {
			sl.open = true
			return
		}
	}
	sl.needles = append(sl.needles, needles...)
}

// filterGlob: a glob's first piece is a lead; without one, a value that
// fits contains its longest piece.
func filterGlob(sl *ruleSlot, parts []string) {
	if parts[0] != "" {
		filterLead(sl, regexp.QuoteMeta(parts[0]), true)
		return
	}
	longest := ""
	for _, p := range parts {
		if len(p) > len(longest) {
			longest = p
		}
	}
	filterNeedles(sl, []string{longest})
}

// filterNetwork: the ip field is the address as the client sent it, which
// for a valid IPv4 address is its dotted form, so an IPv4 network of 8 bits
// or more is a lead of whole octets. Any address written with a colon
// (IPv6, IPv4-mapped) goes through to the exact lookup.
func filterNetwork(sl *ruleSlot, p netip.Prefix) {
	filterLead(sl, `[^:]*:`, true)
	if !p.Addr().Is4() {
		return
	}
	octets := p.Bits() / 8
	if octets == 0 {
		sl.open = true
		return
	}
	b := p.Addr().As4()
	lead := ""
	for i := 0; i < octets; i++ {
		lead += strconv.Itoa(int(b[i]))
		if i < 3 {
			lead += "."
		}
	}
	filterLead(sl, regexp.QuoteMeta(lead), true)
}

// buildFilter compiles the slot's leads and needles.
func buildFilter(sl *ruleSlot) {
	if sl.open {
		return
	}
	if len(sl.leads) > 0 {
		re, err := regexp.Compile(`^(?:` + strings.Join(dedupe(sl.leads), "|") + `)`)
		if err != nil {
			sl.open = true
			return
		}
		sl.lead = re
	}
	if len(sl.needles) == 0 {
		return
	}
	needles := dedupe(sl.needles)
	quoted := make([]string, len(needles))
	for i, n := range needles {
		quoted[i] = regexp.QuoteMeta(n)
	}
	// With a common literal prefix Go's regexp finds candidates with
	// strings.Index; without one a trie does better than its NFA.
	if re, err := regexp.Compile(strings.Join(quoted, "|")); err == nil {
		if prefix, _ := re.LiteralPrefix(); prefix != "" {
			sl.needleRe = re
			return
		}
	}
	oldnew := make([]string, 0, 2*len(needles))
	for _, n := range needles {
		mark := "\x00" // replacing a needle changes the value, so Replace(s) != s
		if n == mark {
			mark = "\x01"
		}
		oldnew = append(oldnew, n, mark)
	}
	sl.needleRep = strings.NewReplacer(oldnew...)
	sl.needleRep.Replace("") // build the trie now, not on a request
}

func dedupe(l []string) []string {
	seen := make(map[string]bool, len(l))
	out := make([]string, 0, len(l))
	for _, s := range l {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// requiredStrings returns strings of which every match of re contains one,
// or nil when it cannot tell (a case-insensitive piece, an optional one…).
func requiredStrings(re *regexp.Regexp) []string {
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	return required(tree.Simplify())
}

func required(re *syntax.Regexp) []string {
	switch re.Op {
	case syntax.OpLiteral:
		s := string(re.Rune)
		// A case-insensitive literal matches other bytes; U+FFFD in a
		// pattern also matches invalid UTF-8, which does not contain it.
		if re.Flags&syntax.FoldCase != 0 || strings.ContainsRune(s, utf8.RuneError) {
			return nil
		}
		return []string{s}
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
	case syntax.OpConcat:
		var best []string
		for _, sub := range re.Sub {
			if l := required(sub); l != nil && (best == nil || shortest(l) > shortest(best)) {
				best = l
			}
		}
		return best
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			l := required(sub)
			if l == nil {
				return nil
			}
			all = append(all, l...)
		}
		return all
	}
	return nil
}

func shortest(l []string) int {
	n := len(l[0])
	for _, s := range l[1:] {
		if len(s) < n {
			n = len(s)
		}
	}
	return n
}
