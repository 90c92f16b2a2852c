// Package captchaify is a Traefik middleware plugin that protects a site
// from bots, scrapers and floods with a self-hosted captcha that works
// without JavaScript, rate limits, per-route actions and blocking.
package captchaify

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Middleware is one instance of the plugin: Traefik makes one per router
// and again on every configuration reload. Everything that must survive a
// reload lives in the shared state store, keyed by the middleware name.
type Middleware struct {
	next    http.Handler
	name    string
	cfg     *settings
	keys    *keyring
	store   stateStore
	limiter rateLimiter
	pages   *pageSet
	log     logger
}

// failureWindow and the thresholds are the seed's: more than 2 failures in
// 4 hours under fight or hardness 3, otherwise more than 3, lock a client out.
const (
	failureWindow       = 4 * time.Hour
	maxFailures         = 3
	maxFailuresStrict   = 2
	lockoutReason       = "Too many wrong answers. Please try again later."
	suspiciousBlockText = "This page does not accept automated or anonymous visits."
)

var secretWarning sync.Once

// New builds the middleware from its configuration.
func New(ctx context.Context, next http.Handler, config *Config, name string) (http.Handler, error) {
	s, err := parseSettings(config)
	if err != nil {
		return nil, fmt.Errorf("captchaify: %w", err)
	}
	keys, err := newKeyring(s.secret)
	if err != nil {
		return nil, fmt.Errorf("captchaify: secret: %w", err)
	}
	pg, err := builtinPages()
	if err != nil {
		return nil, fmt.Errorf("captchaify: built-in pages: %w", err)
	}
	// Decode the glyph atlas now rather than on the first challenge.
	if _, err := loadTextAtlas(); err != nil {
		return nil, fmt.Errorf("captchaify: built-in glyphs: %w", err)
	}
	store := storeFor(name, s.maxTracked)
	m := &Middleware{
		next:    next,
		name:    name,
		cfg:     s,
		keys:    keys,
		store:   store,
		limiter: rateLimiter{store: store, softPercent: s.softPercent},
		pages:   pg,
		log:     logger{name: name, level: s.logLevel},
	}
	if s.secretGenerated {
		secretWarning.Do(func() {
			m.log.logf(levelWarn, "no secret configured: using a random one for this process; passes end when Traefik restarts and are not shared between replicas")
		})
	}
	return m, nil
}

// ServeHTTP runs the pipeline: client, preferences, rate limit, action,
// lockout, answer, challenge.
func (m *Middleware) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	now := time.Now()
	client := m.cfg.ips.resolve(r)
	p := m.cfg.defaults
	m.cfg.routes.apply(&p, requestHost(r), r.URL.Path)

	rate := m.limiter.check(client.key, &p, now)
	if rate.limited {
		m.log.logf(levelDebug, "rate limited %s: %d requests in the last minute (limit %d)", client.raw, rate.clientCount, rate.limit)
		m.serveRateLimited(rw, r, &rate)
		return
	}
	if strings.HasPrefix(r.URL.Path, m.cfg.routePrefix) {
		m.serveOwnRoute(rw, r)
		return
	}

	action := p.action
	if rate.underAttack && action != actionAllow {
		// The global limit tripped: only verified clients pass.
		if action == actionCaptcha {
			action = actionFight
		}
	}
	switch action {
	case actionAllow:
		m.next.ServeHTTP(rw, r)
		return
	case actionBlock:
		if reason := m.suspicion(r, client, &rate); reason != "" {
			m.log.logf(levelInfo, "blocked %s on %s: %s", client.raw, r.URL.Path, reason)
			m.serveBlocked(rw, suspiciousBlockText)
			return
		}
		if !rate.underAttack {
			m.next.ServeHTTP(rw, r)
			return
		}
	case actionCaptcha:
		if m.suspicion(r, client, &rate) == "" {
			m.next.ServeHTTP(rw, r)
			return
		}
	}
	if m.verified(r, client, &p, now) {
		m.next.ServeHTTP(rw, stripTokenArg(r, m.cfg.cookieName))
		return
	}
	m.challengeFlow(rw, r, client, &p, action, &rate, now)
}

// suspicion returns why a client looks like a bot, or "" when it does not.
func (m *Middleware) suspicion(r *http.Request, client clientAddr, rate *rateDecision) string {
	switch {
	case !client.valid:
		return "invalid client address"
	case r.UserAgent() == "":
		return "no user agent"
	case m.cfg.blockCrawler && isCrawler(r.UserAgent()):
		return "crawler user agent"
	case rate.soft:
		return "over the soft rate limit"
	}
	return ""
}

// verified reports whether the request carries a valid clearance token
// earned at a hardness at least the route's: the `captcha` URL argument
// first, then the cookie.
func (m *Middleware) verified(r *http.Request, client clientAddr, p *prefs, now time.Time) bool {
	token := ""
	if strings.Contains(r.URL.RawQuery, m.cfg.cookieName+"=") {
		token = r.URL.Query().Get(m.cfg.cookieName)
	}
	if token == "" {
		c, err := r.Cookie(m.cfg.cookieName)
		if err != nil {
			return false
		}
		token = c.Value
	}
	h, ok := m.keys.checkClearance(token, now, m.cfg.verificationAge, bindingPrefix(client, m.cfg.tokenBinding), r.UserAgent())
	return ok && h >= p.hardness
}

// challengeFlow handles a client that must prove itself: locked out, answering,
// or about to get a challenge.
func (m *Middleware) challengeFlow(rw http.ResponseWriter, r *http.Request, client clientAddr, p *prefs, action string, rate *rateDecision, now time.Time) {
	limit := maxFailures
	if action == actionFight || p.hardness == 3 {
		limit = maxFailuresStrict
	}
	if n := m.store.failures(client.key, now, failureWindow); n > limit {
		m.serveBlocked(rw, lockoutReason)
		return
	}
	msg := ""
	if form, ok := readAnswerForm(r); ok {
		res := m.checkAnswer(r, form, client, p, now)
		if res.solved {
			m.grantClearance(rw, r, client, res.hardness, now)
			return
		}
		msg = res.message
		if res.counts {
			if n := m.store.addFailure(client.key, now, failureWindow); n > limit {
				m.log.logf(levelInfo, "locked out %s: %d failed answers within %s", client.raw, n, failureWindow)
				m.serveBlocked(rw, lockoutReason)
				return
			}
		}
	}
	rate.setHeaders(rw.Header())
	m.serveChallenge(rw, r, client, p, now, msg)
}

// grantClearance issues the pass and sends the visitor back to the URL they
// asked for (303, so the browser follows with GET).
func (m *Middleware) grantClearance(rw http.ResponseWriter, r *http.Request, client clientAddr, hardness int, now time.Time) {
	token := m.keys.issueClearance(now, hardness, bindingPrefix(client, m.cfg.tokenBinding), r.UserAgent())
	target := sameSiteTarget(r)
	if m.cfg.withoutCookies {
		target = withQueryArg(target, m.cfg.cookieName, token)
	} else {
		http.SetCookie(rw, &http.Cookie{
			Name:     m.cfg.cookieName,
			Value:    token,
			Path:     "/",
			MaxAge:   int(m.cfg.verificationAge / time.Second),
			HttpOnly: true,
			Secure:   isHTTPS(r),
			SameSite: http.SameSiteLaxMode,
		})
	}
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Location", target)
	rw.WriteHeader(http.StatusSeeOther)
}

// serveOwnRoute answers paths under routePrefix. They are the plugin's and
// never reach the site; the pages that live there come with later features.
func (m *Middleware) serveOwnRoute(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Cache-Control", "no-store")
	http.NotFound(rw, r)
}

// stripTokenArg keeps the clearance token of the `captcha` URL argument
// away from the site, its logs and its Referer headers.
func stripTokenArg(r *http.Request, name string) *http.Request {
	if !strings.Contains(r.URL.RawQuery, name+"=") {
		return r
	}
	r.URL.RawQuery = withoutQueryArg(r.URL.RawQuery, name)
	r.RequestURI = r.URL.RequestURI()
	return r
}

// requestHost is the host the visitor asked for, lower case, without port.
func requestHost(r *http.Request) string {
	h := r.Host
	if host, _, err := net.SplitHostPort(h); err == nil {
		h = host
	}
	return strings.ToLower(h)
}

// isHTTPS trusts X-Forwarded-Proto as Traefik hands it over: Traefik drops
// it from untrusted peers (forwardedHeaders.trustedIPs) and sets its own.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}
