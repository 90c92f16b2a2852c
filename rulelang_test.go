package captchaify

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestParseRuleString(t *testing.T) {
	cases := []struct {
		in   string
		want []ruleTerm
	}{
		{"country_code is in CN,RU or proxy is true", []ruleTerm{
			{field: "country_code", op: "is in", value: "CN,RU", join: "or"},
			{field: "proxy", op: "is", value: "true"},
		}},
		{"country is The Netherlands and city is not   Amsterdam", []ruleTerm{
			{field: "country", op: "is", value: "The Netherlands", join: "and"},
			{field: "city", op: "is not", value: "Amsterdam"},
		}},
		{`org == "Johnson and Johnson" OR org does not contain 'x or y'`, []ruleTerm{
			{field: "org", op: "==", value: "Johnson and Johnson", join: "or"},
			{field: "org", op: "does not contain", value: "x or y"},
		}},
		{"country is Indonesia", []ruleTerm{{field: "country", op: "is", value: "Indonesia"}}},
		{"ip not is in 10.0.0.0/8", []ruleTerm{{field: "ip", op: "not is in", value: "10.0.0.0/8"}}},
		{`path == ""`, []ruleTerm{{field: "path", op: "==", value: ""}}},
		{`country is "in"`, []ruleTerm{{field: "country", op: "is", value: "in"}}},
	}
	for _, c := range cases {
		got, err := parseRuleString(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q:\n got %#v\nwant %#v", c.in, got, c.want)
		}
	}
}

func TestParseRuleStringErrors(t *testing.T) {
	cases := map[string]string{
		"country_code bigger than CN":    `unknown operator "bigger than"`,
		"country_code bigger than The X": `unknown operator "bigger than"`,
		"proxy":                          `missing operator after "proxy"`,
		"and proxy is true":              `expected a field, got "and"`,
		"proxy is true or":               `nothing after "or"`,
		"proxy is or tor is true":        `missing value after "is"`,
	}
	for in, want := range cases {
		_, err := parseRuleString(in)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want %q", in, err, want)
		}
	}
}

// Number operators, checked on values directly: the number fields (lat,
// lon, offset, as_code) come from lookups.
func TestNumberConditions(t *testing.T) {
	cases := []struct {
		op    string
		value interface{}
		n     float64
		want  bool
	}{
		{"greater than", "52", 52.37, true},
		{"larger than", 53, 52.37, false},
		{"less than", "4.9", 4.89, true},
		{"smaller than", "4.9", 4.9, false},
		{">=", "13335", 13335, true},
		{"<=", "13334", 13335, false},
		{"==", "13335", 13335, true},
		{"!=", 13335.0, 13335, false},
		{"is in", "13335, 15169", 15169, true},
		{"is not in", "13335,15169", 16509, true},
		{"in", []interface{}{"1", 2}, 2, true},
	}
	for _, c := range cases {
		cond, err := compileCondition(ruleTerm{field: "as_code", op: c.op, value: c.value})
		if err != nil {
			t.Errorf("%s %v: %v", c.op, c.value, err)
			continue
		}
		rs := planRules([]compiledRule{{groups: [][]condition{{cond}}, patch: prefsPatch{action: actionFight}}})
		p := prefs{action: actionAllow}
		evalWithValues(&rs, &p, map[string]factValue{"as_code": numberFact(c.n)})
		if got := p.action == actionFight; got != c.want {
			t.Errorf("as_code(%v) %s %v = %v, want %v", c.n, c.op, c.value, got, c.want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	cases := []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"a*", "abc", true},
		{"*c", "abc", true},
		{"a*c", "ac", true},
		{"a*b*c", "abc", true},
		{"a*b*c", "acb", false},
		{"ab*ba", "aba", false}, // prefix and suffix must not overlap
		{"abc", "abc", true},
	}
	for _, c := range cases {
		if got := globMatch(strings.Split(c.pattern, "*"), c.s); got != c.want {
			t.Errorf("glob %q on %q = %v, want %v", c.pattern, c.s, got, c.want)
		}
	}
}

func TestCrawlerMatcherAnchors(t *testing.T) {
	m := buildCrawlerMatcher("^curl\nbot$\nGooglebot/\n", "Feed\t(?i)feed[0-9]+reader\n")
	cases := map[string]bool{
		"curl/8.0":            true,
		"notcurl/8.0":         false,
		"my bot":              true,
		"my bot v2":           false,
		"x Googlebot/2.1":     true,
		"Feed":                false, // required string, regexp fails
		"FEED12READER":        false, // the required string is case-sensitive
		"Feed12reader":        true,
		"Mozilla/5.0 Firefox": false,
	}
	for ua, want := range cases {
		if got := m.match(ua); got != want {
			t.Errorf("%q: %v, want %v", ua, got, want)
		}
	}
}

// evalWithValues checks every group of rs as checkGroups does, with field
// values given instead of looked up.
func evalWithValues(rs *ruleSet, p *prefs, values map[string]factValue) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	client := clientAddr{raw: "192.0.2.1", addr: netip.MustParseAddr("192.0.2.1"), valid: true}
	f := newClientFacts(nil, r, client, time.Now())
	f.cache = values
	vals := make([]ruleValue, len(rs.slots))
	for gi := range rs.groups {
		g := &rs.groups[gi]
		ok := true
		for k := g.first; k < g.end && ok; k++ {
			c := &rs.conds[k]
			rv := &vals[c.slot]
			if !rv.got {
				readFact(rv, &rs.slots[c.slot], f)
			}
			ok = rv.known && testCondition(c, rv, &client) != c.negate
		}
		if ok {
			rs.patches[g.rule].applyTo(p)
		}
	}
}
