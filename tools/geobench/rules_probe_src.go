//go:build ignore

// This file is not built with tools/geobench: rules_test.go copies it next to
// the plugin's sources (package captchaify) in a temporary GOPATH, so that
// Yaegi times the rule evaluation itself, inside the interpreter.

package captchaify

import (
	"net/http"
	"net/http/httptest"
	"time"
)

// RuleBenchSetup compiles rules (each a rule value with its change, as the
// `rules` option gives them) as New does, and returns a function that
// evaluates them n times on one request (applyRules, which both the full
// pipeline and the pass cache call), or with empty true calls an empty
// function of the same signature instead (the loop's own cost). It
// returns the action the rules chose.
func RuleBenchSetup(rules []interface{}, changes []map[string]interface{}, target, remote, ua string) (func(n int, empty bool) string, error) {
	entries := make([]RuleConfig, len(rules))
	for i := range rules {
		entries[i].Rule = rules[i]
		entries[i].Change = changes[i]
	}
	rs, err := compileRules(entries, 0)
	if err != nil {
		return nil, err
	}
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.RemoteAddr = remote
	r.Header.Set("User-Agent", ua)
	client := (&ipResolver{}).resolve(r)
	m := &Middleware{}
	now := time.Now()
	defaults := prefs{action: actionAllow, hardness: 2}
	return func(n int, empty bool) string {
		p := defaults
		if empty {
			for i := 0; i < n; i++ {
				p = defaults
				ruleBenchEmpty(&rs, &p, m, r, &client, now)
			}
			return p.action
		}
		for i := 0; i < n; i++ {
			p = defaults
			applyRules(&rs, &p, m, r, &client, now)
		}
		return p.action
	}, nil
}

func ruleBenchEmpty(rs *ruleSet, p *prefs, m *Middleware, r *http.Request, client *clientAddr, now time.Time) *clientFacts {
	return nil
}
