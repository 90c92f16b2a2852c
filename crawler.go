package captchaify

import (
	"regexp"
	"strings"
	"sync"

	"github.com/captchaify/captchaify/assets"
)

// Crawler user agents come from the crawler-user-agents list (assets/
// crawlers.go, made by tools/cmd/gencrawlers). Its plain strings go into one
// strings.Replacer, a trie searched in native code, and its few real
// regular expressions into one regexp that runs only when a string each of
// them requires is present: one regexp of all ~1 500 patterns would take
// 1–2 ms per browser request. A crawler is suspicious while blockCrawler is on.
type crawlerMatcher struct {
	strings *strings.Replacer
	rest    *regexp.Regexp // nil when every pattern is a plain string
}

// Marks the replacer leaves in the user agent: a plain string matched, or a
// string that one of the regexps requires.
const (
	crawlerHit   = "\x00"
	crawlerMaybe = "\x03"
)

var (
	crawlerOnce sync.Once
	crawlers    *crawlerMatcher
)

// crawlerList builds the matcher on first use.
func crawlerList() *crawlerMatcher {
	crawlerOnce.Do(func() {
		crawlers = buildCrawlerMatcher(assets.CrawlerLiterals, assets.CrawlerPatterns)
	})
	return crawlers
}

// buildCrawlerMatcher reads the generated lists. A pattern that does not
// compile is left out rather than taking the plugin down.
func buildCrawlerMatcher(literals, patterns string) *crawlerMatcher {
	var oldnew []string
	for _, l := range strings.Split(literals, "\n") {
		if l == "" {
			continue
		}
		// The user agent is searched as "\x01" + ua + "\x02", so ^ and $
		// anchors become those bytes (net/http never lets them into a header).
		if strings.HasPrefix(l, "^") {
			l = "\x01" + l[1:]
		}
		if strings.HasSuffix(l, "$") {
			l = l[:len(l)-1] + "\x02"
		}
		oldnew = append(oldnew, l, crawlerHit)
	}
	var rest []string
	seen := map[string]bool{}
	for _, l := range strings.Split(patterns, "\n") {
		parts := strings.SplitN(l, "\t", 2)
		if len(parts) != 2 || parts[0] == "" {
			continue
		}
		if _, err := regexp.Compile(parts[1]); err != nil {
			continue
		}
		// Plain strings come first, so they win where both start.
		oldnew = append(oldnew, parts[0], crawlerMaybe)
		if !seen[parts[1]] { // one regexp may have several required strings
			seen[parts[1]] = true
			rest = append(rest, "(?:"+parts[1]+")") // keep each one's flags its own
		}
	}
	m := &crawlerMatcher{strings: strings.NewReplacer(oldnew...)}
	m.strings.Replace("") // build the trie now, not on a request
	if len(rest) > 0 {
		m.rest = regexp.MustCompile(strings.Join(rest, "|"))
	}
	return m
}

func (m *crawlerMatcher) match(userAgent string) bool {
	text := "\x01" + userAgent + "\x02"
	out := m.strings.Replace(text)
	if len(out) == len(text) && out == text {
		return false
	}
	if strings.Contains(out, crawlerHit) {
		return true
	}
	return m.rest != nil && strings.Contains(out, crawlerMaybe) && m.rest.MatchString(userAgent)
}

// isCrawler reports whether a user agent is on the crawler list.
func isCrawler(userAgent string) bool {
	return userAgent != "" && crawlerList().match(userAgent)
}
