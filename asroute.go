package captchaify

import (
	"context"
	"net/http"
	"net/url"
	"strings"
)

// asRoute: the challenge, blocked and rate-limited pages are served under
// routePrefix instead of in place. A visitor who must see one gets a 302 to
// <routePrefix><page>?return=<path and query>, and that route shows the page
// the return path would have shown, as if the visitor stood there: same
// route preferences, rules, rate limit and challenge binding. A CDN that
// caches the real URL never sees a captcha page under it.
//
// The route request is turned into a "route view" (by routeViews, the
// middleware New returns in asRoute mode): the same request with the URL of
// its return path, marked in its context. The pipeline runs on the view;
// only where a page is shown does the mark count: a route view shows its
// page here, posts its answer to the route, and goes back to the return
// path (303) once through. A view never reaches the site. Since the
// challenge is bound to the path it was issued for, a route's challenge is
// bound to its return path.

// The pages served under routePrefix in asRoute mode, and their argument.
const (
	routeChallenge   = "challenge"
	routeBlocked     = "blocked"
	routeRateLimited = "rate-limited"
	returnArg        = "return"
	maxReturnLength  = 2048
)

// routeViews is the middleware in asRoute mode: it turns a page route into
// its view before the pipeline runs. A wrapper, so that without asRoute
// the pipeline pays nothing for it (under Yaegi even an untaken branch in
// ServeHTTP costs on every request).
type routeViews struct {
	m *Middleware
}

func (v *routeViews) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	v.m.ServeHTTP(rw, v.m.routeView(r))
}

// routeViewKey marks a route view in its request's context.
var routeViewKey = &struct{ name string }{"captchaify route view"}

// routeView returns the view of a page route under routePrefix, or r
// itself for any other request.
func (m *Middleware) routeView(r *http.Request) *http.Request {
	if !strings.HasPrefix(r.URL.Path, m.cfg.routePrefix) {
		return r
	}
	page := r.URL.Path[len(m.cfg.routePrefix):]
	if page != routeChallenge && page != routeBlocked && page != routeRateLimited {
		return r
	}
	u, err := url.ParseRequestURI(sanitizeReturn(r.URL.Query().Get(returnArg), m.cfg.routePrefix))
	if err != nil {
		u = &url.URL{Path: "/"}
	}
	if isAnswer(r) {
		// The answer to a route's challenge is posted to the route.
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += answerMarker + "=1"
	}
	v := r.WithContext(context.WithValue(r.Context(), routeViewKey, page))
	v.URL = u
	v.RequestURI = u.RequestURI()
	return v
}

// isRouteView reports whether r is a route's view (see routeView).
func isRouteView(r *http.Request) bool {
	return r.Context().Value(routeViewKey) != nil
}

// toRoute sends the visitor to the route of page with a 302, when asRoute
// is on and r is not the route's view already. It returns false when the
// page is to be shown here.
func (m *Middleware) toRoute(rw http.ResponseWriter, r *http.Request, page string) bool {
	if !m.cfg.asRoute || isRouteView(r) {
		return false
	}
	rw.Header().Set("Cache-Control", "no-store")
	rw.Header().Set("Location", m.routeURL(page, m.target(r)))
	rw.WriteHeader(http.StatusFound)
	return true
}

// routeURL is the URL of a route page for the return path ret. '/' stays
// readable in the argument; everything else that needs it is escaped.
func (m *Middleware) routeURL(page, ret string) string {
	return m.cfg.routePrefix + page + "?" + returnArg + "=" + strings.ReplaceAll(url.QueryEscape(ret), "%2F", "/")
}

// answerAction is where a challenge form posts its answer: the page's own
// URL with the answer marker, or, on a route, the route.
func (m *Middleware) answerAction(r *http.Request) string {
	if m.cfg.asRoute && isRouteView(r) {
		return m.routeURL(routeChallenge, m.target(r)) + "&" + answerMarker + "=1"
	}
	return withQueryArg(m.target(r), answerMarker, "1")
}

// solvedTarget is where a visitor goes after solving: the target, without
// the preference arguments when withoutOtherArgs is on.
func (m *Middleware) solvedTarget(r *http.Request) string {
	t := withoutChallengeArg(m.target(r)) // the audio switch is done with
	if !m.cfg.withoutOtherArgs || len(m.cfg.preferenceArgs) == 0 {
		return t
	}
	i := strings.IndexByte(t, '?')
	if i < 0 {
		return t
	}
	q := t[i+1:]
	for _, a := range m.cfg.preferenceArgs {
		q = withoutQueryArg(q, a)
	}
	if q == "" {
		return t[:i]
	}
	return t[:i] + "?" + q
}

// urlUnsafe are bytes that never belong in a return path: controls, which
// browsers strip (so "/\t/evil.example" would become "//evil.example"), and
// the space.
const urlUnsafe = c0Space + "\x7f"

// sanitizeReturn makes ret a path on this site, with its query: anything
// that is not clearly one becomes "/". Leading slashes fold into one (so
// "//evil.example" stays a path here), a backslash anywhere in the path is
// refused (browsers read it as '/'), and so are schemes, hosts, control
// characters, undecodable escapes and the plugin's own routes.
func sanitizeReturn(ret, routePrefix string) string {
	if ret == "" || len(ret) > maxReturnLength || ret[0] != '/' || strings.ContainsAny(ret, urlUnsafe) {
		return "/"
	}
	if i := strings.IndexByte(ret, '#'); i >= 0 {
		ret = ret[:i] // fragments are never sent; one here is not ours
	}
	path, query := ret, ""
	if i := strings.IndexByte(ret, '?'); i >= 0 {
		path, query = ret[:i], ret[i:]
	}
	if strings.IndexByte(path, '\\') >= 0 {
		return "/"
	}
	path = "/" + strings.TrimLeft(path, "/")
	u, err := url.ParseRequestURI(path + query)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" ||
		strings.HasPrefix(u.Path, routePrefix) || strings.HasPrefix(u.Path, "//") {
		return "/"
	}
	return path + query
}
