// Package captchaify is a Traefik middleware plugin that protects a site
// from bots, scrapers and floods with a self-hosted captcha that works
// without JavaScript, rate limits, per-route actions and blocking.
package captchaify

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
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
	metrics *metricSet
	intel   *clientIntel // databases and third parties (intel.go)
	// datasets of the image challenges in use, by name (datasets.go)
	datasets map[string]*dataset
	hints    *hintStore // crawlerHints (crawlerhints.go); nil when off
	// pages of the template directories (templatedirs.go)
	pageDirs map[string]*pageSet
	passes   *passCache // checked passes for the fast path (fastpath.go); nil when it does not apply
}

// failureWindow and the thresholds are the seed's: more than 2 failures in
// 4 hours under fight or hardness 3, otherwise more than 3, lock a client out.
const (
	failureWindow       = 4 * time.Hour
	maxFailures         = 3
	maxFailuresStrict   = 2
	lockoutReason       = "blocked_lockout"    // string keys (assets/i18n_en.go)
	suspiciousBlockText = "blocked_suspicious" // shown on the blocked page
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
	if keys, err = withPreviousSecrets(keys, s.previousSecrets); err != nil {
		return nil, fmt.Errorf("captchaify: %w", err)
	}
	pg, err := builtinPages()
	if err != nil {
		return nil, fmt.Errorf("captchaify: built-in pages: %w", err)
	}
	pageDirs, err := loadTemplateDirs(s.pageOpts.templateDirs, pg, logger{name: name, level: s.logLevel})
	if err != nil {
		return nil, fmt.Errorf("captchaify: %w", err)
	}
	// Decode the glyph atlas now rather than on the first challenge.
	if _, err := loadTextAtlas(); err != nil {
		return nil, fmt.Errorf("captchaify: built-in glyphs: %w", err)
	}
	datasets, err := loadDatasets(s)
	if err != nil {
		return nil, fmt.Errorf("captchaify: %w", err)
	}
	metrics := metricsFor(name)
	store := sharedState(name, s, metrics)
	m := &Middleware{
		next:    next,
		name:    name,
		cfg:     s,
		keys:    keys,
		store:   store,
		limiter: newRateLimiter(store, s.softPercent),
		pages:   pg,
		log:     logger{name: name, level: s.logLevel},
		metrics: metrics,

		datasets: datasets,
		pageDirs: pageDirs,
	}
	if s.crawlerHints {
		m.hints = hintStoreFor(name)
	}
	if fastPathApplies(s) && (m.limiter.mem != nil || m.limiter.sync != nil) {
		m.passes = newPassCache(m)
	}
	if m.intel, err = newClientIntel(s.intel, m.log); err != nil {
		return nil, fmt.Errorf("captchaify: %w", err)
	}
	if s.secretGenerated {
		secretWarning.Do(func() {
			m.log.logf(levelWarn, "no secret configured: using a random one for this process; passes end when Traefik restarts and are not shared between replicas")
		})
	}
	if s.asRoute {
		return &routeViews{m: m}, nil // pages under routePrefix (asroute.go)
	}
	if allowRouteApplies(m) {
		return &allowRoute{m: m}, nil // everything allowed, counted (allowpath.go)
	}
	if rulesRouteApplies(m) {
		return &rulesRoute{m: m}, nil // outcomes of route maps and rules remembered (rulememo.go)
	}
	return m, nil
}

// serveFull runs the whole pipeline for a request.
func serveFull(m *Middleware, rw http.ResponseWriter, r *http.Request) {
	now := time.Now()
	client := m.cfg.ips.resolve(r)
	if m.cfg.metrics.path != "" && r.URL.Path == m.cfg.metrics.path && m.cfg.metrics.allows(client) {
		m.serveMetrics(rw, r) // before the rate limit: scrapes work during a flood
		return
	}
	p := m.cfg.defaults
	m.cfg.routes.apply(&p, requestHost(r), r.URL.Path)
	var facts *clientFacts // what is known of the client, looked up on first need
	if m.cfg.rules.active() {
		facts = applyRules(&m.cfg.rules, &p, m, r, &client, now)
	}

	rate := m.limiter.check(client.key, &p, now)
	if rate.limited {
		m.log.logf(levelDebug, "rate limited %s: %d requests in the last minute (limit %d)", client.raw, rate.clientCount, rate.limit)
		countDecision(m.metrics, decisionRateLimited)
		m.serveRateLimited(rw, r, &p, &rate)
		return
	}
	if strings.HasPrefix(r.URL.Path, m.cfg.routePrefix) || (m.cfg.metrics.path != "" && r.URL.Path == m.cfg.metrics.path) {
		countDecision(m.metrics, decisionOwnRoute)
		m.serveOwnRoute(rw, r)
		return
	}

	action, verdict := m.decide(r, client, &p, &rate, now, facts)
	switch verdict {
	case verdictPass:
		countDecision(m.metrics, decisionPass)
		if isAnswer(r) {
			// Solved elsewhere meanwhile, or no longer suspicious: the
			// answer is not for the site, send the visitor on.
			m.redirectToTarget(rw, r)
			return
		}
		if m.cfg.pageHooks {
			passOn(m, rw, r) // asRoute views, link rewriting, crawler hints (respfilter.go)
			return
		}
		m.next.ServeHTTP(rw, stripTokenArg(r, m.cfg.cookieName))
	case verdictBlock:
		countDecision(m.metrics, decisionBlock)
		m.serveBlocked(rw, r, &p, suspiciousBlockText)
	default:
		m.challengeFlow(rw, r, client, &p, action, &rate, now)
	}
}

// What the pipeline decides for a request.
const (
	verdictPass = iota
	verdictBlock
	verdictChallenge
)

// decide applies the route's action. It returns the effective action (the
// global limit turns captcha into fight) and the verdict.
// Third-party signals are asked only when they can change the verdict: for
// a client the cheap checks let through and that holds no valid pass.
func (m *Middleware) decide(r *http.Request, client clientAddr, p *prefs, rate *rateDecision, now time.Time, facts *clientFacts) (string, int) {
	action := p.action
	if rate.underAttack && action == actionCaptcha {
		// The global limit tripped: only verified clients pass.
		action = actionFight
	}
	if (action == actionCaptcha || action == actionBlock) && m.passesAsCrawler(r, client, now) {
		// A verified search engine is not suspicious (verifiedcrawler.go);
		// under attack only a pass lets anyone through.
		if !rate.underAttack || m.verified(r, client, p, now) {
			return action, verdictPass
		}
		return action, verdictChallenge
	}
	switch action {
	case actionAllow:
		return action, verdictPass
	case actionBlock:
		if reason := m.suspicion(r, client, rate); reason != "" {
			m.log.logf(levelInfo, "blocked %s on %s: %s", client.raw, r.URL.Path, reason)
			m.metrics.block(reason)
			return action, verdictBlock
		}
		if m.intel.asksThirdParties() {
			if m.verified(r, client, p, now) {
				return action, verdictPass
			}
			if reason := m.thirdPartySuspicion(facts, r, client, now); reason != "" {
				m.log.logf(levelInfo, "blocked %s on %s: %s", client.raw, r.URL.Path, reason)
				m.metrics.block(reason)
				return action, verdictBlock
			}
		}
		if !rate.underAttack {
			return action, verdictPass
		}
	case actionCaptcha:
		if m.suspicion(r, client, rate) == "" {
			if !m.intel.asksThirdParties() || m.verified(r, client, p, now) {
				return action, verdictPass
			}
			reason := m.thirdPartySuspicion(facts, r, client, now)
			if reason == "" {
				return action, verdictPass
			}
			m.log.logf(levelDebug, "challenging %s on %s: %s", client.raw, r.URL.Path, reason)
			return action, verdictChallenge
		}
	}
	if m.verified(r, client, p, now) {
		return action, verdictPass
	}
	return action, verdictChallenge
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
// earned at a hardness at least the route's: in the `captcha` URL argument
// or in the cookie (a stale argument never hides a good cookie).
func (m *Middleware) verified(r *http.Request, client clientAddr, p *prefs, now time.Time) bool {
	bind := bindingPrefix(client, m.cfg.tokenBinding)
	if strings.Contains(r.URL.RawQuery, m.cfg.cookieName+"=") {
		if m.validPass(r.URL.Query().Get(m.cfg.cookieName), bind, r, p, now) {
			return true
		}
	}
	c, err := r.Cookie(m.cfg.cookieName)
	if err != nil {
		return false
	}
	h, ok := m.keys.checkClearance(c.Value, now, m.cfg.verificationAge, bind, r.UserAgent())
	if !ok {
		return false
	}
	rememberPass(m, r, client, c.Value, h) // the next requests take the fast path
	return h >= p.hardness
}

func (m *Middleware) validPass(token, bind string, r *http.Request, p *prefs, now time.Time) bool {
	h, ok := m.keys.checkClearance(token, now, m.cfg.verificationAge, bind, r.UserAgent())
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
		countDecision(m.metrics, decisionBlock)
		m.metrics.block("lockout")
		m.serveBlocked(rw, r, p, lockoutReason)
		return
	}
	msg := ""
	if form, ok := readAnswerForm(r); ok && isAnswer(r) {
		res := m.checkAnswer(r, form, client, p, now)
		m.metrics.answered(&res, p)
		if res.solved {
			countDecision(m.metrics, decisionSolved)
			m.grantClearance(rw, r, client, res.hardness, now)
			return
		}
		msg = res.message
		if res.counts {
			if n := m.store.addFailure(client.key, now, failureWindow); n > limit {
				m.log.logf(levelInfo, "locked out %s: %d failed answers within %s", client.raw, n, failureWindow)
				countDecision(m.metrics, decisionBlock)
				m.metrics.block("lockout")
				m.serveBlocked(rw, r, p, lockoutReason)
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
	if m.cfg.withoutCookies {
		m.redirect(rw, withQueryArg(m.solvedTarget(r), m.cfg.cookieName, token))
		return
	}
	http.SetCookie(rw, &http.Cookie{
		Name:     m.cfg.cookieName,
		Value:    token,
		Path:     "/",
		MaxAge:   int(m.cfg.verificationAge / time.Second),
		HttpOnly: true,
		Secure:   isHTTPS(r),
		SameSite: http.SameSiteLaxMode,
	})
	m.redirect(rw, m.solvedTarget(r))
}

// target is where a visitor goes once through: the URL they asked for,
// without the answer marker and without a stale token argument.
func (m *Middleware) target(r *http.Request) string {
	t := sameSiteTarget(r)
	if i := strings.IndexByte(t, '?'); i >= 0 {
		q := withoutQueryArg(withoutQueryArg(t[i+1:], answerMarker), m.cfg.cookieName)
		t = t[:i]
		if q != "" {
			t += "?" + q
		}
	}
	return t
}

func (m *Middleware) redirectToTarget(rw http.ResponseWriter, r *http.Request) {
	target := withoutChallengeArg(m.target(r))
	if m.cfg.withoutCookies {
		// keep the pass the visitor came with
		if tok := r.URL.Query().Get(m.cfg.cookieName); tok != "" {
			target = withQueryArg(target, m.cfg.cookieName, url.QueryEscape(tok))
		}
	}
	m.redirect(rw, target)
}

func (m *Middleware) redirect(rw http.ResponseWriter, target string) {
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Location", target)
	rw.WriteHeader(http.StatusSeeOther)
}

// serveOwnRoute answers paths under routePrefix. They are the plugin's and
// never reach the site; the pages that live there come with later features.
func (m *Middleware) serveOwnRoute(rw http.ResponseWriter, r *http.Request) {
	if m.serveLanguagePage(rw, r) {
		return // the change-language page (languagepage.go)
	}
	rw.Header().Set("Cache-Control", "no-store")
	http.NotFound(rw, r)
}

// stripTokenArg keeps the `captcha` URL argument (a clearance token) away
// from the site, its logs and its Referer headers, whatever the route; and
// the audio switch (captchaify-challenge), which is the plugin's.
func stripTokenArg(r *http.Request, name string) *http.Request {
	if !strings.Contains(r.URL.RawQuery, name+"=") && !strings.Contains(r.URL.RawQuery, challengeArg) {
		return r
	}
	r.URL.RawQuery = withoutQueryArg(withoutQueryArg(r.URL.RawQuery, name), challengeArg)
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
