package captchaify

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/captchaify/captchaify/assets"
)

// pageSet holds the parsed page templates: the built-in ones, parsed once
// per process, or a template directory's (templatedirs.go).
type pageSet struct {
	challengeText       *template.Template
	challengeOneclick   *template.Template
	challengeMulticlick *template.Template
	challengeAudio      *template.Template // the audio helper's page (audio*.go)
	blocked             *template.Template
	rateLimited         *template.Template
	changeLanguage      *template.Template
}

// The file name of each page in a template directory (README "Templates").
const (
	fileText           = "captcha_text.html"
	fileOneclick       = "captcha_oneclick.html"
	fileMulticlick     = "captcha_multiclick.html"
	fileAudio          = "captcha_audio.html"
	fileBlocked        = "blocked.html"
	fileRateLimited    = "rate_limited.html"
	fileChangeLanguage = "change_language.html"
)

// pageFiles lists the pages a template directory may replace.
var pageFiles = []string{fileText, fileOneclick, fileMulticlick, fileAudio, fileBlocked, fileRateLimited, fileChangeLanguage}

// slot is where the page of a file name goes.
func (p *pageSet) slot(file string) **template.Template {
	switch file {
	case fileText:
		return &p.challengeText
	case fileOneclick:
		return &p.challengeOneclick
	case fileMulticlick:
		return &p.challengeMulticlick
	case fileAudio:
		return &p.challengeAudio
	case fileBlocked:
		return &p.blocked
	case fileRateLimited:
		return &p.rateLimited
	case fileChangeLanguage:
		return &p.changeLanguage
	}
	return nil
}

// builtinSource is the built-in template of a file name ("" for none).
func builtinSource(file string) string {
	switch file {
	case fileText:
		return assets.ChallengeTextTemplate
	case fileOneclick:
		return assets.ChallengeOneclickTemplate
	case fileMulticlick:
		return assets.ChallengeMulticlickTemplate
	case fileBlocked:
		return assets.BlockedTemplate
	case fileRateLimited:
		return assets.RateLimitedTemplate
	case fileChangeLanguage:
		return assets.ChangeLanguageTemplate
	case fileAudio:
		return assets.ChallengeAudioTemplate // audio*.go
	}
	return ""
}

// parsePage parses a page's source next to the shared partials ("head",
// "footer"), which a custom template may use or ignore.
func parsePage(file, src string) (*template.Template, error) {
	t, err := template.New(file).Parse(assets.PagePartials)
	if err != nil {
		return nil, err
	}
	return t.Parse(src)
}

var (
	pagesOnce sync.Once
	pages     pageSet
	pagesErr  error
)

func builtinPages() (*pageSet, error) {
	pagesOnce.Do(func() {
		var p pageSet
		for _, file := range pageFiles {
			if builtinSource(file) == "" {
				continue
			}
			t, err := parsePage(file, builtinSource(file))
			if err != nil {
				pagesErr = err
				return
			}
			*p.slot(file) = t
		}
		pages = p
	})
	return &pages, pagesErr
}

// pagesFor returns the templates for a request's preferences: those of its
// template directory, else the built-in ones.
func (m *Middleware) pagesFor(p *prefs) *pageSet {
	if p != nil && p.templateDir != "" {
		if ps := m.pageDirs[p.templateDir]; ps != nil {
			return ps
		}
	}
	return m.pages
}

// pageData is the data every page gets (README "Templates"): T (the
// visitor's language's strings), Lang, Dir, Theme, Title, Style and the
// links of the footer. A language or theme chosen by URL argument is
// remembered in a cookie unless withoutCookies. Pages add their own keys;
// fillT fills a string's placeholders for the page.
func (m *Middleware) pageData(rw http.ResponseWriter, r *http.Request, titleKey string) map[string]interface{} {
	prefix := m.cfg.cookieName + "_"
	l, langArg := visitorLanguage(r, prefix, m.cfg.pageOpts.defaultLanguage)
	theme, themeArgGiven := visitorTheme(r, prefix)
	if !m.cfg.withoutCookies {
		if langArg {
			m.setPreferenceCookie(rw, r, prefix+languageArg, l.code)
		}
		if themeArgGiven {
			m.setPreferenceCookie(rw, r, prefix+themeArg, theme)
		}
	}
	here := m.target(r)
	return map[string]interface{}{
		"T":             l.t, // shared: fillT copies it before the first change
		"Lang":          l.code,
		"Dir":           l.dir,
		"Theme":         theme,
		"Title":         l.t[titleKey],
		"Style":         template.CSS(assets.PageStyle),
		"LanguageURL":   m.languagePageURL(here),
		"ThemeDarkURL":  withQueryArg(here, themeArg, themeDark),
		"ThemeLightURL": withQueryArg(here, themeArg, themeLight),
	}
}

// fillT replaces placeholder (such as "{count}") in the page's string key.
// The language's strings are shared by every page: the first fill gives the
// page its own copy (marked by tOwn).
func fillT(data map[string]interface{}, key, placeholder, value string) {
	t, _ := data["T"].(map[string]string)
	if t == nil {
		return
	}
	if own, _ := data[tOwn].(bool); !own {
		c := make(map[string]string, len(t))
		for k, v := range t {
			c[k] = v
		}
		t = c
		data["T"] = t
		data[tOwn] = true
	}
	t[key] = strings.ReplaceAll(t[key], placeholder, value)
}

// tOwn marks page data whose T is its own copy (see fillT).
const tOwn = "tOwn"

// translated returns the page's string for key, or key itself when there
// is none (a message that is not a key).
func translated(data map[string]interface{}, key string) string {
	t, _ := data["T"].(map[string]string)
	if v, ok := t[key]; ok {
		return v
	}
	return key
}

// preferenceCookieAge is how long a chosen language or theme is kept.
const preferenceCookieAge = 365 * 24 * time.Hour

func (m *Middleware) setPreferenceCookie(rw http.ResponseWriter, r *http.Request, name, value string) {
	http.SetCookie(rw, &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     "/",
		MaxAge:   int(preferenceCookieAge / time.Second),
		HttpOnly: true,
		Secure:   isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// writePage renders a template into the response. Pages of the plugin are
// never cached: they depend on the visitor.
func writePage(rw http.ResponseWriter, t *template.Template, status int, data map[string]interface{}) {
	if _, ok := data["Style"]; !ok {
		data["Style"] = template.CSS(assets.PageStyle)
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		http.Error(rw, "captchaify: page error", http.StatusInternalServerError)
		return
	}
	addCrawlerHints(&buf, data) // crawlerhints.go
	h := rw.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	rw.WriteHeader(status)
	_, _ = rw.Write(buf.Bytes())
}

// serveBlocked shows the blocked page; reason is a string key
// (blocked_suspicious, blocked_lockout).
func (m *Middleware) serveBlocked(rw http.ResponseWriter, r *http.Request, p *prefs, reason string) {
	if m.toRoute(rw, r, routeBlocked) {
		return
	}
	data := m.pageData(rw, r, "blocked_title")
	data["Reason"] = translated(data, reason)
	writePage(rw, m.pagesFor(p).blocked, http.StatusForbidden, data)
}

func (m *Middleware) serveRateLimited(rw http.ResponseWriter, r *http.Request, p *prefs, d *rateDecision) {
	d.setHeaders(rw.Header())
	if m.toRoute(rw, r, routeRateLimited) {
		return
	}
	data := m.pageData(rw, r, "ratelimited_title")
	fillT(data, "ratelimited_text", "{seconds}", strconv.Itoa(d.retryAfter))
	data["RetryAfter"] = d.retryAfter
	data["Retry"] = m.target(r)
	writePage(rw, m.pagesFor(p).rateLimited, http.StatusTooManyRequests, data)
}

// challengeData is pageData for a challenge page: Challenge (true), Error
// (the message key errMsg in the visitor's language) and the crawler hints.
func (m *Middleware) challengeData(rw http.ResponseWriter, r *http.Request, errMsg string) map[string]interface{} {
	data := m.pageData(rw, r, "challenge_title")
	data["Challenge"] = true
	data["Error"] = ""
	if errMsg != "" {
		data["Error"] = translated(data, errMsg)
	}
	data["CrawlerHints"] = m.crawlerHints(r)
	return data
}
