//go:build ignore

// This file is not built with tools/bench: Probe copies it next to the plugin's own
// sources (package captchaify) in a temporary GOPATH, so that Yaegi can time the
// unexported steps of the verified-request path one by one, inside the interpreter.
// It follows the plugin's internals (plugin.go ServeHTTP → ratelimit check →
// verified → keyring.checkClearance); when they change, update it.

package captchaify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

func benchProbeNop(i int) int { return i }

// benchProbeBig does what benchProbeNop does, plus a branch that never runs: under
// Yaegi every call still allocates a frame slot for each of its values.
func benchProbeBig(i int) int {
	if i < 0 {
		s := strings.Repeat("x", -i) + strings.ToUpper("a") + strings.TrimSpace(" b ")
		x := len(s)*3 + len(s)*2 + i*i - i/2 + i%3
		y := x*x + x/3 - i*4 + i*7 - (x-i)*(x+i)
		z := strings.Join([]string{s, s + s, strings.ToLower(s)}, ",") + strings.Repeat(s, 2)
		if len(z) > x+y+i {
			return len(z) + x*2 + y*3 + i*4
		}
		return x + y + len(z) + len(s)
	}
	return i
}

type benchProbeT struct{ n int }

func (t *benchProbeT) method(i int) int { return t.n + i }

func benchProbeFn(t *benchProbeT, i int) int { return t.n + i }

// BenchProbeVerified times n iterations of each step of a verified request and
// returns the step names and their total durations (ns). next and rw come from the
// caller (compiled), like Traefik's.
func BenchProbeVerified(next http.Handler, rw http.ResponseWriter, secret, token, userAgent string, n int) ([]string, []int64, error) {
	cfg := CreateConfig()
	cfg.DefaultAction = actionFight
	cfg.Secret = secret
	cfg.DefaultRateLimit = 0
	cfg.DefaultMaxRateLimit = 0
	cfg.LogLevel = "error"
	h, err := New(context.Background(), next, cfg, "bench-probe")
	if err != nil {
		return nil, nil, err
	}
	m, ok := h.(*Middleware)
	if !ok {
		return nil, nil, errors.New("New did not return a *Middleware")
	}
	r, err := http.NewRequest(http.MethodGet, "http://bench.test/page", nil)
	if err != nil {
		return nil, nil, err
	}
	r.RemoteAddr = "127.0.0.1:40000"
	r.Header.Set("User-Agent", userAgent)
	r.Header.Set("Cookie", m.cfg.cookieName+"="+token)

	now := time.Now()
	client := m.cfg.ips.resolve(r)
	p := m.cfg.defaults
	if !m.verified(r, client, &p, now) {
		return nil, nil, errors.New("the clearance token is not accepted")
	}
	bind := bindingPrefix(client, m.cfg.tokenBinding)
	ua := r.UserAgent()
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return nil, nil, err
	}
	aead := m.keys.clearance
	ad := []byte{tokenVersion, kindClearance}
	bindHash := shortHash(bind)
	payload, err := unseal(aead, kindClearance, token)
	if err != nil {
		return nil, nil, err
	}

	var names []string
	var totals []int64
	record := func(name string, start time.Time) {
		names = append(names, name)
		totals = append(totals, int64(time.Since(start)))
	}
	var start time.Time
	var sink int

	start = time.Now()
	for i := 0; i < n; i++ {
	}
	record("empty loop", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sink += benchProbeNop(i)
	}
	record("call of an interpreted function", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sink += benchProbeBig(i)
	}
	record("call of the same with ~40 more values in an untaken branch", start)

	bt := &benchProbeT{n: 1}
	start = time.Now()
	for i := 0; i < n; i++ {
		sink += bt.method(i)
	}
	record("call of an interpreted method (pointer receiver)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sink += benchProbeFn(bt, i)
	}
	record("call of the same as a function taking the pointer", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		m.ServeHTTP(rw, r)
	}
	record("ServeHTTP whole (called inside the interpreter)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		m.next.ServeHTTP(rw, r)
	}
	record("  next.ServeHTTP (compiled no-op)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		now = time.Now()
	}
	record("  time.Now", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		client = m.cfg.ips.resolve(r)
	}
	record("  ips.resolve (client address)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		p = m.cfg.defaults
	}
	record("  copy of the prefs struct", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sink += len(requestHost(r))
	}
	record("  requestHost", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		m.cfg.routes.apply(&p, requestHost(r), r.URL.Path)
	}
	record("  routes.apply (incl. requestHost)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		rate := m.limiter.check(client.key, &p, now)
		if rate.limited {
			sink++
		}
	}
	record("  limiter.check (limits off)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		if strings.HasPrefix(r.URL.Path, m.cfg.routePrefix) {
			sink++
		}
	}
	record("  routePrefix test", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		if m.verified(r, client, &p, now) {
			sink++
		}
	}
	record("  verified (whole)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		if strings.Contains(r.URL.RawQuery, m.cfg.cookieName+"=") {
			sink++
		}
	}
	record("    query test", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		c, err := r.Cookie(m.cfg.cookieName)
		if err == nil {
			sink += len(c.Value)
		}
	}
	record("    r.Cookie", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sink += len(bindingPrefix(client, m.cfg.tokenBinding))
	}
	record("    bindingPrefix", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sink += len(r.UserAgent())
	}
	record("    r.UserAgent", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		hd, ok := m.keys.checkClearance(token, now, m.cfg.verificationAge, bind, ua)
		if ok {
			sink += hd
		}
	}
	record("    keys.checkClearance (whole)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		pl, err := unseal(aead, kindClearance, token)
		if err == nil {
			sink += len(pl)
		}
	}
	record("      unseal (whole)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		b, err := base64.RawURLEncoding.DecodeString(token)
		if err == nil {
			sink += len(b)
		}
	}
	record("        base64 decode", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		pl, err := aead.Open(nil, raw[1:1+nonceSize], raw[1+nonceSize:], ad)
		if err == nil {
			sink += len(pl)
		}
	}
	record("        AES-GCM Open", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		pl, err := aead.Open(nil, raw[1:1+nonceSize], raw[1+nonceSize:], []byte{tokenVersion, kindClearance})
		if err == nil {
			sink += len(pl)
		}
	}
	record("        AES-GCM Open + []byte{} literal", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		issued := time.Unix(int64(payload[0])<<56|int64(payload[7]), 0)
		if now.Sub(issued) > 0 {
			sink++
		}
	}
	record("      time.Unix + Sub", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		hh := shortHash(bind)
		sink += int(hh[0])
	}
	record("      shortHash (one)", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		sum := sha256.Sum256([]byte(bind))
		sink += int(sum[0])
	}
	record("        sha256.Sum256 alone", start)

	start = time.Now()
	for i := 0; i < n; i++ {
		if sameHash(payload[9:17], bindHash) {
			sink++
		}
	}
	record("      sameHash (one)", start)

	if sink == -1 {
		return nil, nil, errors.New("unreachable")
	}
	return names, totals, nil
}

// BenchProbeHandler returns the middleware New builds, for timing from compiled
// code; limit is defaultRateLimit and defaultMaxRateLimit (0: off).
func BenchProbeHandler(next http.Handler, secret, action string, limit int) (http.Handler, error) {
	cfg := CreateConfig()
	cfg.DefaultAction = action
	cfg.Secret = secret
	cfg.DefaultRateLimit = limit
	cfg.DefaultMaxRateLimit = limit
	cfg.LogLevel = "error"
	return New(context.Background(), next, cfg, "bench-probe-"+action)
}

// benchPass is a clearance token already checked once: who it was accepted for and
// until when.
type benchPass struct {
	host     string
	agent    string
	expires  int64
	hardness int
}

// benchFast prototypes a fast path for verified requests: a map from the cookie
// value to its checked pass, so a repeat visitor costs one map lookup and three
// string comparisons instead of base64 + AES-GCM + two SHA-256 and ~15 interpreted
// calls. Only for routes without route maps and with rate limits off (the
// benchmark's configuration); anything else falls back to the middleware.
type benchFast struct {
	m      *Middleware
	mu     sync.Mutex
	passes map[string]benchPass
}

func (f *benchFast) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if f.pass(r) {
		f.m.next.ServeHTTP(rw, r)
		return
	}
	f.slow(rw, r)
}

func (f *benchFast) pass(r *http.Request) bool {
	if r.URL.RawQuery != "" || r.Method == http.MethodPost {
		return false // token arguments and answers take the full path
	}
	c, err := r.Cookie(f.m.cfg.cookieName)
	if err != nil {
		return false
	}
	f.mu.Lock()
	p, ok := f.passes[c.Value]
	f.mu.Unlock()
	if !ok || p.agent != r.UserAgent() || p.expires < time.Now().Unix() {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	return err == nil && host == p.host && p.hardness >= f.m.cfg.defaults.hardness
}

func (f *benchFast) slow(rw http.ResponseWriter, r *http.Request) {
	now := time.Now()
	client := f.m.cfg.ips.resolve(r)
	p := f.m.cfg.defaults
	if c, err := r.Cookie(f.m.cfg.cookieName); err == nil && f.m.verified(r, client, &p, now) {
		if payload, err := unseal(f.m.keys.clearance, kindClearance, c.Value); err == nil {
			host, _, _ := net.SplitHostPort(r.RemoteAddr)
			issued := int64(binary.BigEndian.Uint64(payload[0:8]))
			f.mu.Lock()
			f.passes[c.Value] = benchPass{host: host, agent: r.UserAgent(), hardness: int(payload[8]),
				expires: issued + int64(f.m.cfg.verificationAge/time.Second)}
			f.mu.Unlock()
		}
	}
	f.m.ServeHTTP(rw, r)
}

// BenchProbeFastHandler returns the prototype fast path in front of a fight
// middleware with rate limits off.
func BenchProbeFastHandler(next http.Handler, secret string) (http.Handler, error) {
	h, err := BenchProbeHandler(next, secret, actionFight, 0)
	if err != nil {
		return nil, err
	}
	m, ok := h.(*Middleware)
	if !ok {
		return nil, errors.New("New did not return a *Middleware")
	}
	return &benchFast{m: m, passes: make(map[string]benchPass)}, nil
}
