package captchaify

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// The change-language page (README "Languages"), served by the plugin at
// <routePrefix>language?return=<path>: every language by its native name,
// each a link back to the return path with ?language=<code>, and a GET
// search form (q) that narrows the list. No JavaScript.

const (
	languageRoute  = "language"
	searchArg      = "q"
	maxSearchRunes = 64
)

// languagePageURL is the change-language page's URL for returning to ret.
func (m *Middleware) languagePageURL(ret string) string {
	return m.cfg.routePrefix + languageRoute + "?" + returnArg + "=" + strings.ReplaceAll(url.QueryEscape(ret), "%2F", "/")
}

// serveLanguagePage answers the change-language page; false when r is not
// for it.
func (m *Middleware) serveLanguagePage(rw http.ResponseWriter, r *http.Request) bool {
	if r.URL.Path != m.cfg.routePrefix+languageRoute {
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rw.Header().Set("Allow", "GET, HEAD")
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return true
	}
	q := r.URL.Query()
	ret := sanitizeReturn(q.Get(returnArg), m.cfg.routePrefix)
	search := strings.TrimSpace(q.Get(searchArg))
	if utf8.RuneCountInString(search) > maxSearchRunes {
		search = string([]rune(search)[:maxSearchRunes])
	}
	data := m.pageData(rw, r, "language_title")
	self := m.languagePageURL(ret)
	data["LanguageURL"] = self
	data["ThemeDarkURL"] = withQueryArg(self, themeArg, themeDark)
	data["ThemeLightURL"] = withQueryArg(self, themeArg, themeLight)
	data["Action"] = m.cfg.routePrefix + languageRoute
	data["Return"] = ret
	data["Query"] = search
	data["ShowAllURL"] = self
	data["BackURL"] = ret
	list := languageChoices(ret, search, m.pageLanguage(r))
	data["Languages"] = list
	data["NoMatch"] = len(list) == 0
	// The page takes the template directory of the page it returns to, by
	// the route maps (rules need a request to the page itself).
	p := m.cfg.defaults
	m.cfg.routes.apply(&p, requestHost(r), strings.SplitN(ret, "?", 2)[0])
	writePage(rw, m.pagesFor(&p).changeLanguage, http.StatusOK, data)
	return true
}

// languageChoices lists the languages matching search (all when empty),
// each with its link back to ret.
func languageChoices(ret, search, current string) []map[string]interface{} {
	set := builtinLanguages()
	needle := strings.ToLower(search)
	out := make([]map[string]interface{}, 0, len(set.list))
	for _, l := range set.list {
		if needle != "" && !strings.Contains(l.search, needle) {
			continue
		}
		out = append(out, map[string]interface{}{
			"Code":    l.code,
			"Name":    l.name,
			"Dir":     l.dir,
			"URL":     withQueryArg(ret, languageArg, l.code),
			"Current": l.code == current,
		})
	}
	return out
}
