package captchaify

import (
	"fmt"
	"strconv"
	"strings"
)

// The rule language (SPEC §6). A rule is a list of conditions joined by
// "and"/"or": [field, operator, value, "and"|"or", field, operator, value, …],
// or the same as one string for Docker labels. This file turns either form
// into ruleTerms; rulecompile.go types and checks them.

// Operators, after their spelling is normalised.
const (
	opEq = iota
	opContains
	opIn
	opGreater
	opLess
	opAtLeast
	opAtMost
	opStarts
	opEnds
	opMatches
)

type operator struct {
	op     int
	negate bool
}

// operators maps every accepted spelling (lower case, single spaces) to its
// meaning: all of flask_Captchaify's, plus starts/ends with, matches and a
// few natural negations.
var operators = map[string]operator{
	"==": {opEq, false}, "equals": {opEq, false}, "equal": {opEq, false}, "is": {opEq, false},
	"!=": {opEq, true}, "does not equal": {opEq, true}, "does not equals": {opEq, true},
	"not equals": {opEq, true}, "not equal": {opEq, true}, "not is": {opEq, true}, "is not": {opEq, true},
	"contains": {opContains, false}, "contain": {opContains, false},
	"does not contain": {opContains, true}, "does not contains": {opContains, true},
	"not contain": {opContains, true}, "not contains": {opContains, true},
	"is in": {opIn, false}, "in": {opIn, false},
	"is not in": {opIn, true}, "not is in": {opIn, true}, "not in": {opIn, true},
	"greater than": {opGreater, false}, "larger than": {opGreater, false}, ">": {opGreater, false},
	"less than": {opLess, false}, "smaller than": {opLess, false}, "<": {opLess, false},
	">=": {opAtLeast, false}, "<=": {opAtMost, false},
	"starts with": {opStarts, false}, "begins with": {opStarts, false},
	"does not start with": {opStarts, true}, "does not begin with": {opStarts, true},
	"ends with": {opEnds, false}, "concludes with": {opEnds, false}, "finishes with": {opEnds, false},
	"does not end with": {opEnds, true}, "matches": {opMatches, false}, "does not match": {opMatches, true},
}

// maxOperatorWords is the most words an operator spelling has.
const maxOperatorWords = 4

// normalizeOperator lower-cases a spelling and collapses its spaces (the
// seed compared multi-word operators with their spaces and lost them).
func normalizeOperator(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// ruleTerm is one condition as written, and how it joins the next one.
type ruleTerm struct {
	field string
	op    string      // as written
	value interface{} // a string, a number or bool, or a list for "is in"
	join  string      // "and", "or", or "" for the last condition
}

// parseRuleValue reads the `rule` of one entry: a list or one string.
func parseRuleValue(v interface{}) ([]ruleTerm, error) {
	switch r := v.(type) {
	case nil:
		return nil, fmt.Errorf("missing rule")
	case string:
		return parseRuleString(r)
	case []interface{}:
		if len(r) == 1 {
			if s, ok := r[0].(string); ok {
				return parseRuleString(s)
			}
		}
		return parseRuleList(r)
	case []string:
		l := make([]interface{}, len(r))
		for i := range r {
			l[i] = r[i]
		}
		return parseRuleValue(l)
	}
	return nil, fmt.Errorf("rule must be a list or a string, not %T", v)
}

// parseRuleList reads [field, operator, value, join, field, …].
func parseRuleList(l []interface{}) ([]ruleTerm, error) {
	if len(l) == 0 {
		return nil, fmt.Errorf("empty rule")
	}
	var terms []ruleTerm
	for i := 0; i < len(l); i += 4 {
		field, ok := l[i].(string)
		if !ok {
			return nil, fmt.Errorf("expected a field, got %q", scalarText(l[i]))
		}
		if i+1 >= len(l) {
			return nil, fmt.Errorf("missing operator after %q", field)
		}
		op, ok := l[i+1].(string)
		if !ok {
			return nil, fmt.Errorf("unknown operator %q", scalarText(l[i+1]))
		}
		if i+2 >= len(l) {
			return nil, fmt.Errorf("missing value after %q", op)
		}
		t := ruleTerm{field: field, op: op, value: l[i+2]}
		if i+3 < len(l) {
			j, _ := l[i+3].(string)
			t.join = strings.ToLower(strings.TrimSpace(j))
			if t.join != "and" && t.join != "or" {
				return nil, fmt.Errorf("expected \"and\" or \"or\", got %q", scalarText(l[i+3]))
			}
			if i+4 >= len(l) {
				return nil, fmt.Errorf("nothing after %q", t.join)
			}
		}
		terms = append(terms, t)
	}
	return terms, nil
}

// ruleWord is one word of a one-string rule.
type ruleWord struct {
	text       string // unquoted text
	quoted     bool
	start, end int // byte offsets in the rule string
}

// splitRuleWords splits on spaces; "…" (with \" and \\ escapes) and '…'
// quote a value that holds spaces, " and ", " or " or leading spaces.
func splitRuleWords(s string) ([]ruleWord, error) {
	var words []ruleWord
	i := 0
	for i < len(s) {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		start := i
		if c == '"' || c == '\'' {
			var b strings.Builder
			i++
			closed := false
			for i < len(s) {
				if s[i] == c {
					closed = true
					i++
					break
				}
				if c == '"' && s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
				i++
			}
			if !closed {
				return nil, fmt.Errorf("unterminated quote in %q", s[start:])
			}
			words = append(words, ruleWord{text: b.String(), quoted: true, start: start, end: i})
			continue
		}
		for i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			i++
		}
		words = append(words, ruleWord{text: s[start:i], start: start, end: i})
	}
	return words, nil
}

func isJoinWord(w ruleWord) bool {
	return !w.quoted && (strings.EqualFold(w.text, "and") || strings.EqualFold(w.text, "or"))
}

// parseRuleString reads "field operator value and|or field operator value…".
// The field is one word, the operator the longest known spelling that
// follows, and the value everything up to the next bare "and"/"or" word,
// taken verbatim — or one quoted string.
func parseRuleString(s string) ([]ruleTerm, error) {
	words, err := splitRuleWords(s)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty rule")
	}
	var terms []ruleTerm
	i := 0
	for i < len(words) {
		if words[i].quoted || isJoinWord(words[i]) {
			return nil, fmt.Errorf("expected a field, got %q", words[i].text)
		}
		t := ruleTerm{field: words[i].text}
		i++
		// value ends at the next join word
		end := i
		for end < len(words) && !isJoinWord(words[end]) {
			end++
		}
		n := operatorWords(words[i:end])
		if n == 0 {
			if i >= end {
				return nil, fmt.Errorf("missing operator after %q", t.field)
			}
			return nil, fmt.Errorf("unknown operator %q", guessOperator(words[i:end]))
		}
		t.op = joinWords(words[i : i+n])
		i += n
		switch {
		case i >= end:
			return nil, fmt.Errorf("missing value after %q", t.op)
		case end-i == 1 && words[i].quoted:
			t.value = words[i].text
		default:
			for _, w := range words[i:end] {
				if w.quoted {
					return nil, fmt.Errorf("quote the whole value, not part of it: %q", s[words[i].start:words[end-1].end])
				}
			}
			t.value = s[words[i].start:words[end-1].end]
		}
		i = end
		if i < len(words) {
			t.join = strings.ToLower(words[i].text)
			i++
			if i >= len(words) {
				return nil, fmt.Errorf("nothing after %q", t.join)
			}
		}
		terms = append(terms, t)
	}
	return terms, nil
}

// operatorWords is how many of the leading words form the longest known
// operator; 0 when none does.
func operatorWords(ws []ruleWord) int {
	for n := maxOperatorWords; n >= 1; n-- {
		if n > len(ws) {
			continue
		}
		if _, ok := operators[normalizeOperator(joinWords(ws[:n]))]; ok && !anyQuoted(ws[:n]) {
			return n
		}
	}
	return 0
}

// guessOperator picks the words a user most likely meant as the operator,
// for the error message: the lower-case words before the value.
func guessOperator(ws []ruleWord) string {
	n := 0
	for n < len(ws)-1 && n < maxOperatorWords && !ws[n].quoted && isOperatorLike(ws[n].text) {
		n++
	}
	if n == 0 {
		n = 1
	}
	return joinWords(ws[:n])
}

func isOperatorLike(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !(c >= 'a' && c <= 'z' || c == '=' || c == '!' || c == '<' || c == '>' || c == '~') {
			return false
		}
	}
	return w != ""
}

func joinWords(ws []ruleWord) string {
	parts := make([]string, len(ws))
	for i := range ws {
		parts[i] = ws[i].text
	}
	return strings.Join(parts, " ")
}

func anyQuoted(ws []ruleWord) bool {
	for i := range ws {
		if ws[i].quoted {
			return true
		}
	}
	return false
}

// scalarText renders a value from the configuration for messages and for
// typing: strings as they are, numbers without exponent, bools as words.
func scalarText(v interface{}) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
