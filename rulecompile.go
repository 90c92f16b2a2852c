package captchaify

import (
	"fmt"
	"net/http"
	"net/netip"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// RuleConfig is one entry of the `rules` option. Rule is a list
// [field, operator, value, "and"|"or", …] or one string; both stay
// interface{} so that mapstructure's "a,b" → list hook never splits a
// one-string rule such as "country_code is in CN,RU". Change maps change
// names to values, which arrive as strings from labels and the file provider.
type RuleConfig struct {
	Rule   interface{}            `json:"rule,omitempty"`
	Change map[string]interface{} `json:"change,omitempty"`

	Unknown map[string]interface{} `json:"-" mapstructure:",remain"`
}

// compiledRule matches when all conditions of any one group hold ("and"
// binds tighter than "or").
type compiledRule struct {
	groups [][]condition
	patch  prefsPatch
}

// condition is one typed test of one field.
type condition struct {
	field string
	slot  int  // the field's place in ruleSet.slots
	group int  // the "and" group it belongs to, in ruleSet.groups
	code  int  // kind and operator in one (code…)
	keyed bool // answered by its slot's indexes for every request at once

	kind   int
	op     int
	negate bool
	fold   bool
	cost   int
	isIP   bool

	s     string // eq, contains, starts, ends (lower case when fold)
	glob  []string
	n     float64
	b     bool
	set   map[string]bool // is in: plain items
	globs [][]string      // is in: items with *
	nums  map[float64]bool
	addr  netip.Addr     // ip ==
	nets  []netip.Prefix // ip ==/is in with CIDRs
	re    *regexp.Regexp
}

// Evaluation cost of a field: conditions on cheap fields run first, so an
// "and" that already failed never triggers a lookup.
const (
	costCheap = iota
	costCrawler
	costLookup
)

var cheapFields = map[string]bool{
	"ip": true, "invalid_ip": true, "user_agent": true, "method": true, "path": true,
	"query": true, "netloc": true, "hostname": true, "domain": true, "scheme": true, "url": true,
}

// caseSensitiveFields are compared as they are; every other text field
// (names, codes, hosts) is compared without regard to case.
var caseSensitiveFields = map[string]bool{"user_agent": true, "path": true, "query": true, "url": true}

func compileRules(entries []RuleConfig, defaultMax int) (ruleSet, error) {
	rules := make([]compiledRule, 0, len(entries))
	for i := range entries {
		r, err := compileRule(&entries[i], defaultMax)
		if err != nil {
			return ruleSet{}, fmt.Errorf("rules[%d]: %w", i, err)
		}
		rules = append(rules, r)
	}
	return planRules(rules), nil
}

func compileRule(e *RuleConfig, defaultMax int) (compiledRule, error) {
	var r compiledRule
	if len(e.Unknown) > 0 {
		return r, unknownOption("", e.Unknown)
	}
	terms, err := parseRuleValue(e.Rule)
	if err != nil {
		return r, err
	}
	group := []condition{}
	for _, t := range terms {
		c, err := compileCondition(t)
		if err != nil {
			return r, err
		}
		group = append(group, c)
		if t.join != "and" {
			r.groups = append(r.groups, group)
			group = []condition{}
		}
	}
	for k := range r.groups {
		g := r.groups[k]
		sort.SliceStable(g, func(i, j int) bool { return g[i].cost < g[j].cost })
	}
	sort.SliceStable(r.groups, func(i, j int) bool { return groupCost(r.groups[i]) < groupCost(r.groups[j]) })
	if r.patch, err = compileChange(e.Change, defaultMax); err != nil {
		return r, err
	}
	return r, nil
}

func groupCost(g []condition) int {
	c := 0
	for i := range g {
		if g[i].cost > c {
			c = g[i].cost
		}
	}
	return c
}

// compileCondition checks the field, the operator and the value's type.
func compileCondition(t ruleTerm) (condition, error) {
	var c condition
	field := strings.TrimSpace(t.field)
	if len(field) > len("header.") && strings.EqualFold(field[:len("header.")], "header.") {
		c.field = "header." + http.CanonicalHeaderKey(field[len("header."):])
		c.kind = kindString
	} else {
		c.field = strings.ToLower(field)
		kind, ok := fieldKinds[c.field]
		if !ok {
			return c, fmt.Errorf("unknown field %q", t.field)
		}
		c.kind = kind
	}
	o, ok := operators[normalizeOperator(t.op)]
	if !ok {
		return c, fmt.Errorf("unknown operator %q", t.op)
	}
	c.op, c.negate = o.op, o.negate
	c.isIP = c.field == "ip"
	c.fold = c.kind == kindString && !caseSensitiveFields[c.field] && !strings.HasPrefix(c.field, "header.")
	switch {
	case cheapFields[c.field] || strings.HasPrefix(c.field, "header."):
		c.cost = costCheap
	case c.field == "crawler":
		c.cost = costCrawler
	default:
		c.cost = costLookup
	}
	if _, isList := listItems(t.value); isList && c.op != opIn {
		return c, fmt.Errorf("operator %q takes one value, not a list", t.op)
	}
	var err error
	switch c.kind {
	case kindBool:
		err = c.typeBool(t)
	case kindNumber:
		err = c.typeNumber(t)
	default:
		err = c.typeString(t)
	}
	return c, err
}

func (c *condition) typeBool(t ruleTerm) error {
	if c.op != opEq {
		return fmt.Errorf("operator %q does not apply to the true/false field %q (use is or is not)", t.op, c.field)
	}
	v := strings.ToLower(strings.TrimSpace(scalarText(t.value)))
	b, err := strconv.ParseBool(v)
	if err != nil {
		return fmt.Errorf("%q is not true or false (field %q)", scalarText(t.value), c.field)
	}
	c.b = b
	return nil
}

func (c *condition) typeNumber(t ruleTerm) error {
	switch c.op {
	case opEq, opGreater, opLess, opAtLeast, opAtMost:
		n, err := parseNumber(scalarText(t.value))
		if err != nil {
			return fmt.Errorf("%q is not a number (field %q)", scalarText(t.value), c.field)
		}
		c.n = n
	case opIn:
		items, err := inItems(t)
		if err != nil {
			return err
		}
		c.nums = make(map[float64]bool, len(items))
		for _, it := range items {
			n, err := parseNumber(it)
			if err != nil {
				return fmt.Errorf("%q is not a number (field %q)", it, c.field)
			}
			c.nums[n] = true
		}
	default:
		return fmt.Errorf("operator %q does not apply to the number field %q", t.op, c.field)
	}
	return nil
}

func (c *condition) typeString(t ruleTerm) error {
	v := scalarText(t.value)
	switch c.op {
	case opGreater, opLess, opAtLeast, opAtMost:
		return fmt.Errorf("operator %q compares numbers; %q is a text field", t.op, c.field)
	case opMatches:
		re, err := regexp.Compile(v)
		if err != nil {
			return fmt.Errorf("%q is not a regular expression: %v", v, err)
		}
		c.re = re
		return nil
	case opIn:
		items, err := inItems(t)
		if err != nil {
			return err
		}
		c.set = map[string]bool{}
		for _, it := range items {
			if c.isIP {
				if strings.Contains(it, "*") {
					c.globs = append(c.globs, strings.Split(strings.ToLower(it), "*"))
					continue
				}
				p, err := parsePrefix("ip", it)
				if err != nil {
					return fmt.Errorf("%q is not an address or CIDR", it)
				}
				c.nets = append(c.nets, p)
				continue
			}
			it = c.folded(it)
			if strings.Contains(it, "*") {
				c.globs = append(c.globs, strings.Split(it, "*"))
			} else {
				c.set[it] = true
			}
		}
		return nil
	case opEq:
		if c.isIP {
			v = strings.TrimSpace(v)
			if strings.Contains(v, "*") {
				c.glob = strings.Split(strings.ToLower(v), "*")
				return nil
			}
			p, err := parsePrefix("ip", v)
			if err != nil {
				return fmt.Errorf("%q is not an address, CIDR or pattern with *", v)
			}
			if p.IsSingleIP() {
				c.addr = p.Addr()
			} else {
				c.nets = []netip.Prefix{p}
			}
			return nil
		}
		v = c.folded(v)
		if strings.Contains(v, "*") {
			c.glob = strings.Split(v, "*")
		}
	}
	c.s = c.folded(v)
	return nil
}

func (c *condition) folded(s string) string {
	if c.fold {
		return strings.ToLower(s)
	}
	return s
}

// inItems is the list an "is in" compares with: a comma-separated string
// (what labels and the file provider can carry) or a list.
func inItems(t ruleTerm) ([]string, error) {
	var raw []string
	if l, ok := listItems(t.value); ok {
		raw = l
	} else {
		raw = strings.Split(scalarText(t.value), ",")
	}
	items := make([]string, 0, len(raw))
	for _, it := range raw {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		return nil, fmt.Errorf("operator %q needs a comma-separated list of values", t.op)
	}
	return items, nil
}

// listItems returns the items of a list value as text.
func listItems(v interface{}) ([]string, bool) {
	switch l := v.(type) {
	case []string:
		return l, true
	case []interface{}:
		out := make([]string, len(l))
		for i := range l {
			out[i] = scalarText(l[i])
		}
		return out, true
	}
	return nil, false
}

func parseNumber(s string) (float64, error) {
	return strconv.ParseFloat(strings.TrimSpace(s), 64)
}

// compileChange reads a rule's change map. Names are matched without regard
// to case, "_" or "-" (captcha_type, captchaType).
func compileChange(change map[string]interface{}, defaultMax int) (prefsPatch, error) {
	var p prefsPatch
	if len(change) == 0 {
		return p, fmt.Errorf("missing change (captcha_type, action, hardness, rate_limit, template_dir or dataset)")
	}
	names := make([]string, 0, len(change))
	for k := range change {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := change[k]
		option := "change." + k
		var err error
		switch strings.NewReplacer("_", "", "-", "").Replace(strings.ToLower(k)) {
		case "captchatype":
			p.captchaType, err = parseCaptchaType(option, scalarText(v))
		case "action":
			p.action, err = parseAction(option, scalarText(v))
		case "hardness":
			var h int
			if h, err = changeInt(option, v); err == nil {
				p.hardness, err = parseHardness(option, h)
			}
		case "ratelimit":
			var pair []int
			if pair, err = changeInts(option, v); err == nil {
				var rp prefsPatch
				if rp, err = parseRateLimitPair(option, pair, defaultMax); err == nil {
					p.hasRate, p.rateLimit, p.maxRateLimit = true, rp.rateLimit, rp.maxRateLimit
				}
			}
		case "templatedir":
			p.templateDir, err = changeText(option, v)
		case "dataset":
			p.dataset, err = changeDataset(option, v)
		default:
			err = fmt.Errorf("unknown change %q (known: captcha_type, action, hardness, rate_limit, template_dir, dataset)", k)
		}
		if err != nil {
			return p, err
		}
	}
	return p, nil
}

func changeInt(option string, v interface{}) (int, error) {
	s := strings.TrimSpace(scalarText(v))
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not a whole number", option, s)
	}
	return n, nil
}

// changeInts reads "3,100", "3", [3, 100] or ["3", "100"].
func changeInts(option string, v interface{}) ([]int, error) {
	items, ok := listItems(v)
	if !ok {
		switch x := v.(type) {
		case []int:
			return x, nil
		case string:
			items = strings.Split(x, ",")
		default:
			items = []string{scalarText(v)}
		}
	}
	out := make([]int, 0, len(items))
	for _, it := range items {
		n, err := changeInt(option, it)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func changeText(option string, v interface{}) (string, error) {
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("%s: %q must be a non-empty text", option, scalarText(v))
	}
	return strings.TrimSpace(s), nil
}

// changeDataset accepts a dataset name. The image challenges own the list of
// datasets; until they land, any plain name is kept for them.
func changeDataset(option string, v interface{}) (string, error) {
	s, err := changeText(option, v)
	if err != nil {
		return "", err
	}
	s = strings.ToLower(s)
	if strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0 {
		return "", fmt.Errorf("%s: %q is not a dataset name", option, v)
	}
	return s, nil
}
