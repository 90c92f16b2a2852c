package captchaify

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// responseFilter stands between the site and the visitor when a response
// may need work: its links rewritten for a visitor without cookies, or its
// head read for crawler hints. It decides when the header is written, by
// status, content type and encoding, and streams everything it has no use
// for straight through.
//
// Flushing: under Yaegi, the site's handler never sees this wrapper's Flush
// (an interpreted ResponseWriter reaches compiled code without http.Flusher,
// yaegi#1600), so the filter flushes by itself: after every write it passes
// on, and, while it holds an HTML body to rewrite, at most flushLatency after
// the first byte, as Traefik's own proxy does (flushInterval, 100 ms).
type responseFilter struct {
	rw    http.ResponseWriter
	mu    sync.Mutex
	links *linkRewriter // nil: no rewriting
	hints *hintCapture  // nil: no hints to read

	state    int
	status   int
	enc      string       // content encoding of a held body: "", "gzip", "deflate"
	body     bytes.Buffer // the held body, as the site sent it
	pending  string       // streamed HTML not rewritten yet (an unfinished tag)
	streamed int          // bytes of the page streamed so far
	timer    *time.Timer
	closed   bool
}

// The filter's states.
const (
	filterNew    = iota // no header yet
	filterPass          // everything goes straight through
	filterHold          // the body is held, to be rewritten whole
	filterStream        // the body is rewritten as it comes
)

const (
	// maxRewriteBytes caps the HTML the filter holds to rewrite; a bigger
	// body passes unchanged.
	maxRewriteBytes = 2 << 20
	flushLatency    = 100 * time.Millisecond
)

// passOn sends a request that passed on to the site when asRoute,
// withoutCookies or crawlerHints is on. It is a small function, not a
// method, and kept out of ServeHTTP: under Yaegi each local and temporary of
// a function costs on every call, whether its code runs or not, so the
// common case (no route view, no pass in the URL, no HTML page asked for)
// gets here and leaves at once.
func passOn(m *Middleware, rw http.ResponseWriter, r *http.Request) {
	if m.cfg.asRoute || m.cfg.withoutCookies ||
		m.hints != nil && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
		passFiltered(m, rw, r)
		return
	}
	m.next.ServeHTTP(rw, stripTokenArg(r, m.cfg.cookieName))
}

// passFiltered sends a route's view back to its return path, and passes
// anything else on through a response filter when the response may need
// one: links to rewrite, a head to read.
func passFiltered(m *Middleware, rw http.ResponseWriter, r *http.Request) {
	if m.cfg.asRoute && isRouteView(r) {
		m.redirectToTarget(rw, r) // a route page of a visitor who is through
		return
	}
	var links *linkRewriter
	if m.cfg.withoutCookies && strings.Contains(r.URL.RawQuery, m.cfg.cookieName+"=") &&
		r.Method != http.MethodHead && r.Header.Get("Upgrade") == "" {
		links = m.linkRewriterFor(r, m.cfg.ips.resolve(r), time.Now())
	}
	var hints *hintCapture
	if m.hints != nil && r.Method == http.MethodGet && strings.Contains(r.Header.Get("Accept"), "text/html") {
		hints = hintCaptureFor(m, r)
	}
	if links == nil && hints == nil {
		m.next.ServeHTTP(rw, stripTokenArg(r, m.cfg.cookieName))
		return
	}
	if links != nil {
		narrowAcceptEncoding(r.Header)
	}
	f := &responseFilter{rw: rw, links: links, hints: hints}
	f.serve(m.next, stripTokenArg(r, m.cfg.cookieName))
}

// narrowAcceptEncoding keeps the encodings the filter can read (gzip,
// deflate), so that a site preferring br or zstd sends one of those.
func narrowAcceptEncoding(h http.Header) {
	v := h.Get("Accept-Encoding")
	if v == "" {
		return
	}
	kept := make([]string, 0, 3)
	for _, part := range strings.Split(v, ",") {
		name := part
		if i := strings.IndexByte(part, ';'); i >= 0 {
			name = part[:i]
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip", "deflate", "identity":
			kept = append(kept, strings.TrimSpace(part))
		}
	}
	if len(kept) == 0 {
		kept = append(kept, "identity")
	}
	h.Set("Accept-Encoding", strings.Join(kept, ", "))
}

// serve runs next with the filter in front of rw.
func (f *responseFilter) serve(next http.Handler, r *http.Request) {
	defer f.close()
	next.ServeHTTP(f, r)
	f.finish()
}

func (f *responseFilter) Header() http.Header { return f.rw.Header() }

func (f *responseFilter) WriteHeader(code int) {
	if code < 200 {
		f.rw.WriteHeader(code) // 1xx: informational, the real header follows
		return
	}
	f.mu.Lock()
	f.writeHeaderLocked(code)
	f.mu.Unlock()
}

func (f *responseFilter) writeHeaderLocked(code int) {
	if f.state != filterNew {
		return
	}
	f.status = code
	h := f.rw.Header()
	if f.hints != nil {
		f.hints.start(code, h, time.Now().Unix())
	}
	if f.links != nil && f.rewritable(code, h) {
		if f.enc == "" && h.Get("Content-Length") == "" {
			// Unknown length: no length to keep, rewrite as it streams.
			f.state = filterStream
			f.rewriteHeaders(h)
			f.rw.WriteHeader(code)
			return
		}
		f.state = filterHold
		return
	}
	f.state = filterPass
	f.rw.WriteHeader(code)
}

// rewritable reports whether the links of this response can be rewritten:
// a whole HTML body, plain or in an encoding the standard library reads,
// of a known size under the cap. It sets f.enc.
func (f *responseFilter) rewritable(code int, h http.Header) bool {
	switch {
	case code == http.StatusNoContent || code == http.StatusPartialContent || code == http.StatusNotModified:
		return false
	case !isHTML(h) || h.Get("Content-Range") != "" || h.Get("Trailer") != "" ||
		strings.HasPrefix(strings.ToLower(h.Get("Content-Disposition")), "attachment"):
		return false
	}
	if cl := h.Get("Content-Length"); cl != "" {
		if n, err := strconv.ParseInt(cl, 10, 64); err != nil || n > maxRewriteBytes {
			return false
		}
	}
	switch enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding"))); enc {
	case "", "identity":
		f.enc = ""
	case "gzip", "x-gzip", "deflate":
		f.enc = enc
	default:
		return false // br, zstd, several encodings: not readable here
	}
	return true
}

// rewriteHeaders marks a rewritten response: its length and validator
// change, and it carries the visitor's pass, so no shared cache may keep it.
func (f *responseFilter) rewriteHeaders(h http.Header) {
	h.Del("Content-Length")
	h.Del("Etag")
	h.Set("Cache-Control", "private, no-cache")
}

func (f *responseFilter) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == filterNew {
		f.writeHeaderLocked(http.StatusOK)
	}
	if f.hints != nil {
		f.hints.add(p, time.Now().Unix())
	}
	switch f.state {
	case filterHold:
		if f.body.Len()+len(p) <= maxRewriteBytes {
			f.body.Write(p)
			if f.timer == nil {
				f.timer = time.AfterFunc(flushLatency, f.latencyFlush)
			}
			return len(p), nil
		}
		// Too big to rewrite: what was held, then the rest, unchanged.
		if err := f.releaseLocked(); err != nil {
			return 0, err
		}
	case filterStream:
		if err := f.streamLocked(string(p), false); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	n, err := f.rw.Write(p)
	f.flushLocked()
	return n, err
}

// Flush is what a compiled handler calls; under Yaegi it never comes, and
// the filter flushes by itself (see responseFilter).
func (f *responseFilter) Flush() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	switch f.state {
	case filterNew:
		f.writeHeaderLocked(http.StatusOK)
	case filterHold:
		f.startStreamLocked()
		return
	}
	f.flushLocked()
}

// Hijack passes a connection takeover (websockets) on to the real writer.
func (f *responseFilter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(f.rw).Hijack()
}

// latencyFlush runs flushLatency after the first held byte: a page that
// takes this long is streaming, and the visitor should see it come.
func (f *responseFilter) latencyFlush() {
	defer func() {
		// A panic here would take Traefik down.
		if e := recover(); e != nil {
			log.Println(fmt.Sprintf("captchaify: flushing a response: %v", e))
		}
	}()
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed && f.state == filterHold {
		f.startStreamLocked()
	}
}

// startStreamLocked turns a held body into a streamed one: plain HTML is
// rewritten as far as it goes and streams on; an encoded body passes on
// unchanged, since it cannot be read piece by piece.
func (f *responseFilter) startStreamLocked() {
	if f.enc != "" {
		_ = f.releaseLocked()
		f.flushLocked()
		return
	}
	f.state = filterStream
	f.rewriteHeaders(f.rw.Header())
	f.rw.WriteHeader(f.status)
	held := f.body.String()
	f.body.Reset()
	_ = f.streamLocked(held, false)
}

// releaseLocked gives up rewriting: the original header, what was held, and
// from then on everything unchanged.
func (f *responseFilter) releaseLocked() error {
	f.state = filterPass
	f.rw.WriteHeader(f.status)
	_, err := f.rw.Write(f.body.Bytes())
	f.body.Reset()
	return err
}

// streamLocked rewrites the next piece of a streamed page and flushes it.
// Past maxRewriteBytes the rest of the page streams on unchanged, so that
// an endless page costs no endless work.
func (f *responseFilter) streamLocked(p string, final bool) error {
	s := f.pending + p
	var out strings.Builder
	n := len(s)
	if f.streamed += len(p); f.streamed > maxRewriteBytes {
		out.WriteString(s)
		f.state = filterPass
	} else {
		n = f.links.process(&out, s, final)
	}
	f.pending = s[n:]
	if out.Len() == 0 {
		return nil
	}
	_, err := io.WriteString(f.rw, out.String())
	f.flushLocked()
	return err
}

func (f *responseFilter) flushLocked() {
	if fl, ok := f.rw.(http.Flusher); ok {
		fl.Flush()
	}
}

// finish completes the response once the site's handler has returned.
func (f *responseFilter) finish() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.hints != nil {
		f.hints.finish(time.Now().Unix())
	}
	switch f.state {
	case filterHold:
		f.rewriteHeldLocked()
	case filterStream:
		_ = f.streamLocked("", true)
	}
}

// close stops the latency timer; nothing touches rw after the handler is done.
func (f *responseFilter) close() {
	f.mu.Lock()
	f.closed = true
	if f.timer != nil {
		f.timer.Stop()
	}
	f.mu.Unlock()
}

// rewriteHeldLocked rewrites a whole held body and sends it with its new
// length. A body that cannot be decoded, or has no link to rewrite, goes out
// exactly as the site sent it.
func (f *responseFilter) rewriteHeldLocked() {
	orig := f.body.Bytes()
	doc, ok := orig, true
	switch f.enc {
	case "gzip", "x-gzip":
		doc, ok = gunzip(orig, maxRewriteBytes+1, false)
		ok = ok && len(doc) <= maxRewriteBytes
	case "deflate":
		doc, ok = inflate(orig, maxRewriteBytes+1)
		ok = ok && len(doc) <= maxRewriteBytes
	}
	var out strings.Builder
	if ok {
		f.links.process(&out, string(doc), true)
	}
	if !ok || f.links.changed == 0 {
		_ = f.releaseLocked()
		return
	}
	body := []byte(out.String())
	if f.enc != "" {
		if body, ok = encodeAs(f.enc, body); !ok {
			_ = f.releaseLocked()
			return
		}
	}
	h := f.rw.Header()
	f.rewriteHeaders(h)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	f.state = filterPass
	f.rw.WriteHeader(f.status)
	_, _ = f.rw.Write(body)
}

// isHTML reports whether the response is an HTML document.
func isHTML(h http.Header) bool {
	ct := h.Get("Content-Type")
	if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(ct)), "text/html") {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "text/html"
}

// gunzip decodes a gzip body, up to max bytes. With partial, b may be the
// start of a body only, and what it holds is enough.
func gunzip(b []byte, max int, partial bool) ([]byte, bool) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, false
	}
	out, err := io.ReadAll(io.LimitReader(zr, int64(max)))
	if err == io.ErrUnexpectedEOF && partial && len(out) > 0 {
		err = nil
	}
	return out, err == nil
}

// inflate decodes an HTTP "deflate" body: zlib as the RFC says, or the raw
// deflate some servers send.
func inflate(b []byte, max int) ([]byte, bool) {
	if zr, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
		if out, err := io.ReadAll(io.LimitReader(zr, int64(max))); err == nil {
			return out, true
		}
	}
	out, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(b)), int64(max)))
	return out, err == nil
}

// encodeAs encodes a rewritten body like the original. A deflate body goes
// back as zlib, which every browser reads.
func encodeAs(enc string, b []byte) ([]byte, bool) {
	var buf bytes.Buffer
	var w io.WriteCloser
	if enc == "deflate" {
		w = zlib.NewWriter(&buf)
	} else {
		w = gzip.NewWriter(&buf)
	}
	if _, err := w.Write(b); err != nil {
		return nil, false
	}
	if err := w.Close(); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}
