package captchaify

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"sync"

	"github.com/captchaify/captchaify/assets"
)

// pageSet holds the parsed page templates, parsed once per process.
type pageSet struct {
	challengeText *template.Template
	blocked       *template.Template
	rateLimited   *template.Template

	challengeOneclick   *template.Template
	challengeMulticlick *template.Template
}

var (
	pagesOnce sync.Once
	pages     pageSet
	pagesErr  error
)

func builtinPages() (*pageSet, error) {
	pagesOnce.Do(func() {
		var p pageSet
		if p.challengeText, pagesErr = template.New("captcha_text").Parse(assets.ChallengeTextTemplate); pagesErr != nil {
			return
		}
		if p.blocked, pagesErr = template.New("blocked").Parse(assets.BlockedTemplate); pagesErr != nil {
			return
		}
		if p.rateLimited, pagesErr = template.New("rate_limited").Parse(assets.RateLimitedTemplate); pagesErr != nil {
			return
		}
		if p.challengeOneclick, pagesErr = template.New("captcha_oneclick").Parse(assets.ChallengeOneclickTemplate); pagesErr != nil {
			return
		}
		if p.challengeMulticlick, pagesErr = template.New("captcha_multiclick").Parse(assets.ChallengeMulticlickTemplate); pagesErr != nil {
			return
		}
		pages = p
	})
	return &pages, pagesErr
}

// writePage renders a template into the response. Pages of the plugin are
// never cached: they depend on the visitor.
func writePage(rw http.ResponseWriter, t *template.Template, status int, data map[string]interface{}) {
	data["Style"] = template.CSS(assets.PageStyle)
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

func (m *Middleware) serveBlocked(rw http.ResponseWriter, r *http.Request, reason string) {
	if m.toRoute(rw, r, routeBlocked) {
		return
	}
	writePage(rw, m.pages.blocked, http.StatusForbidden, map[string]interface{}{
		"Title":  "Access blocked",
		"Reason": reason,
	})
}

func (m *Middleware) serveRateLimited(rw http.ResponseWriter, r *http.Request, d *rateDecision) {
	d.setHeaders(rw.Header())
	if m.toRoute(rw, r, routeRateLimited) {
		return
	}
	writePage(rw, m.pages.rateLimited, http.StatusTooManyRequests, map[string]interface{}{
		"Title":      "Too many requests",
		"RetryAfter": d.retryAfter,
		"Retry":      m.target(r),
	})
}
