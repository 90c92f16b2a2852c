package captchaify

import (
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// allowRoute is the middleware where the defaults alone decide (no route
// maps, no rules) and their action is allow: every request passes but the
// plugin's own routes, answers and token arguments, after the rate limit.
// The full pipeline would resolve the client, count, and decide on every
// request (760 allocations under Yaegi); here a connection is resolved
// once (its entry in the pass cache, keyed by RemoteAddr) and counted as a
// verified connection is (creditAhead, fastLimited). Crawler hints are
// still read (by the full pipeline, as on the verified fast path): they
// survive a reload, and serve the day the action becomes captcha.
type allowRoute struct {
	m *Middleware
}

// allowRouteApplies reports whether New may return an allowRoute: the fast
// path applies (default ipStrategy, no asRoute or withoutCookies) and the
// defaults decide alone.
func allowRouteApplies(m *Middleware) bool {
	return m.passes != nil && m.passes.plain && m.cfg.defaults.action == actionAllow
}

func (a *allowRoute) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	m := a.m
	c := m.passes
	if r.URL.RawQuery != "" && c.ownArgs.MatchString(r.URL.RawQuery) || strings.HasPrefix(r.URL.Path, c.routePrefix) ||
		r.URL.Path == m.cfg.metrics.path ||
		c.hints && r.Method == http.MethodGet && len(r.Header["Accept"]) > 0 && strings.Contains(r.Header["Accept"][0], "text/html") && hintsStale(m, r) {
		serveFull(m, rw, r) // the plugin's routes, answers, token arguments, stale crawler hints
		return
	}
	if c.limited {
		v, _ := c.entries.Load(r.RemoteAddr)
		e, _ := v.(*passEntry)
		if e == nil || atomic.AddInt64(&e.credit, -1) < int64(time.Since(unixEpoch))/int64(rateWindow)*creditScale {
			allowCounted(m, rw, r, e) // a new connection, or no credit left in this window
			return
		}
	}
	atomic.AddUint64(c.passes, 1) // countDecision, inline
	m.next.ServeHTTP(rw, r)
}

// allowCounted counts a request on an allow route and serves it (or 429),
// resolving the connection's client first when it is new.
func allowCounted(m *Middleware, rw http.ResponseWriter, r *http.Request, e *passEntry) {
	if e == nil {
		client := m.cfg.ips.resolve(r)
		if !client.valid {
			serveFull(m, rw, r)
			return
		}
		e = &passEntry{client: client, clientKey: client.key}
		putPass(m.passes, r.RemoteAddr, e)
	}
	fastLimited(m, rw, r, e, nil)
}
