package captchaify

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// crawlerHints: a search engine that gets a challenge instead of a page
// should still learn what the page is about. The title, meta description,
// Open Graph tags and canonical link of normal HTML responses are
// remembered per host and path (bounded, for hintTTL) and put into the
// challenge page a crawler sees. Only the <head> of a response is read,
// while it streams on to the visitor untouched.

const (
	hintTTL       = 2 * time.Hour    // how long remembered hints are shown
	hintRefresh   = 15 * time.Minute // how often a page is read again
	maxHintPages  = 1000             // pages remembered per middleware
	maxHeadBytes  = 64 << 10         // of a page read, at most
	maxHintTitle  = 300              // bytes kept of a title
	maxHintText   = 600              // … of a description or an og: value
	maxHintURL    = 2048             // … of the canonical URL
	maxHintOG     = 16               // og: tags kept per page
	hintEvictScan = 8                // entries sampled to find one to evict
)

// pageHints is what was learnt of one page. Immutable once stored.
type pageHints struct {
	captured    int64  // unix seconds
	title       string // escaped for HTML
	head        string // <meta>/<link> tags, escaped, ready to insert
	description string // plain, for tests and logs
}

type hintEntry struct {
	looked int64 // unix seconds of the last read (or claim) of the page
	hints  *pageHints
}

// hintStore holds one middleware's hints. Package-level per middleware name,
// so that hints survive a configuration reload.
type hintStore struct {
	mu    sync.RWMutex
	pages map[string]*hintEntry
}

var (
	hintStoresMu sync.Mutex
	hintStores   = make(map[string]*hintStore)
)

func hintStoreFor(name string) *hintStore {
	hintStoresMu.Lock()
	defer hintStoresMu.Unlock()
	s := hintStores[name]
	if s == nil {
		s = &hintStore{pages: make(map[string]*hintEntry)}
		hintStores[name] = s
	}
	return s
}

// hintsFresh reports whether key was read recently enough. (The hot helpers
// are functions: under Yaegi a method call costs twice a function call.)
func hintsFresh(s *hintStore, key string, now int64) bool {
	s.mu.RLock()
	e := s.pages[key]
	ok := e != nil && now-e.looked < int64(hintRefresh/time.Second)
	s.mu.RUnlock()
	return ok
}

// hintsClaim marks key as being read now; false when another request read
// or claimed it recently, so a busy page is read once per hintRefresh.
func hintsClaim(s *hintStore, key string, now int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.pages[key]
	if e != nil && now-e.looked < int64(hintRefresh/time.Second) {
		return false
	}
	if e == nil {
		s.makeRoomLocked(now)
		e = &hintEntry{}
		s.pages[key] = e
	}
	e.looked = now
	return true
}

// put stores what a read found (nil: nothing, or not an HTML page).
func (s *hintStore) put(key string, h *pageHints, now int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.pages[key]
	if e == nil {
		s.makeRoomLocked(now)
		e = &hintEntry{}
		s.pages[key] = e
	}
	e.looked, e.hints = now, h
}

// get returns the hints of key that are younger than hintTTL.
func (s *hintStore) get(key string, now int64) *pageHints {
	s.mu.RLock()
	defer s.mu.RUnlock()
	e := s.pages[key]
	if e == nil || e.hints == nil || now-e.hints.captured > int64(hintTTL/time.Second) {
		return nil
	}
	return e.hints
}

// makeRoomLocked evicts one page when the store is full: an expired one if a
// few samples find it, else the least recently read of them.
func (s *hintStore) makeRoomLocked(now int64) {
	if len(s.pages) < maxHintPages {
		return
	}
	victim, oldest, n := "", int64(0), 0
	for k, e := range s.pages {
		if now-e.looked > int64(hintTTL/time.Second) {
			victim = k
			break
		}
		if victim == "" || e.looked < oldest {
			victim, oldest = k, e.looked
		}
		if n++; n >= hintEvictScan {
			break
		}
	}
	delete(s.pages, victim)
}

// hintKey names a page: host (as sent) and path, as a crawler asks for it.
func hintKey(r *http.Request) string {
	return r.Host + r.URL.Path
}

// hintCaptureFor returns a capture for a response that may teach us hints:
// a GET for an HTML page by a visitor who seems anonymous (a personal page
// must not leak to search engines), for a page not read in hintRefresh.
// The checks are ordered cheapest first; most requests stop at the first.
// The caller has checked that it is a GET asking for HTML.
func hintCaptureFor(m *Middleware, r *http.Request) *hintCapture {
	key := hintKey(r)
	now := time.Now().Unix()
	if hintsFresh(m.hints, key, now) {
		return nil
	}
	h := r.Header
	if h.Get("Authorization") != "" || h.Get("Range") != "" || h.Get("Upgrade") != "" || m.hasSiteCookies(r) {
		return nil
	}
	if !hintsClaim(m.hints, key, now) {
		return nil
	}
	return &hintCapture{store: m.hints, key: key}
}

// hasSiteCookies reports whether the request carries cookies other than
// the pass: a session, a login, a shopping cart.
func (m *Middleware) hasSiteCookies(r *http.Request) bool {
	if len(r.Header["Cookie"]) == 0 {
		return false
	}
	for _, c := range r.Cookies() {
		if c.Name != m.cfg.cookieName {
			return true
		}
	}
	return false
}

// hintCapture reads the head of one response.
type hintCapture struct {
	store  *hintStore
	key    string
	active bool // an HTML page worth reading
	gzip   bool // head holds gzip bytes
	done   bool
	head   []byte
}

// headEnd finds where the head is certainly over.
var headEnd = regexp.MustCompile(`(?i)</head[\t\n\f\r />]|<body[\t\n\f\r />]`)

// start looks at the response header: only a 200 HTML page, plain or
// gzip, that is not private is read. Anything else is remembered as having
// no hints.
func (c *hintCapture) start(status int, h http.Header, now int64) {
	enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Encoding")))
	cc := strings.ToLower(h.Get("Cache-Control"))
	if status != http.StatusOK || !isHTML(h) || (enc != "" && enc != "identity" && enc != "gzip") ||
		strings.Contains(cc, "private") || strings.Contains(cc, "no-store") {
		c.done = true
		c.store.put(c.key, nil, now)
		return
	}
	c.active, c.gzip = true, enc == "gzip"
}

// add copies the start of the body, and reads it as soon as the head is over.
func (c *hintCapture) add(p []byte, now int64) {
	if !c.active || c.done {
		return
	}
	from := len(c.head) - 6 // "</head" may straddle two writes
	if from < 0 {
		from = 0
	}
	room := maxHeadBytes - len(c.head)
	if len(p) > room {
		p = p[:room]
	}
	c.head = append(c.head, p...)
	if !c.gzip {
		if loc := headEnd.FindIndex(c.head[from:]); loc != nil {
			c.head = c.head[:from+loc[1]] // only the head is read
			c.finish(now)
			return
		}
	}
	if len(c.head) >= maxHeadBytes {
		c.finish(now)
	}
}

// finish reads what was copied (at the end of the response at the latest).
func (c *hintCapture) finish(now int64) {
	if !c.active || c.done {
		return
	}
	c.done = true
	doc := c.head
	if c.gzip {
		var ok bool
		if doc, ok = gunzip(doc, maxHeadBytes, true); !ok {
			c.store.put(c.key, nil, now)
			return
		}
	}
	c.store.put(c.key, parseHeadHints(string(doc), now), now)
	c.head = nil
}

// headCandidates finds the tags of a head that matter, and what skips or ends it.
var headCandidates = regexp.MustCompile(`(?i)<(?:!--|/head[\t\n\f\r />]|(?:title|meta|link|body|script|style|template|noscript)[\t\n\f\r />])`)

var ogProperty = regexp.MustCompile(`^og:[a-z0-9_:.\-]{1,64}$`)

// parseHeadHints reads the hints of a document's head; nil when it has none.
func parseHeadHints(s string, now int64) *pageHints {
	var title, desc, canonical string
	var og [][2]string
	var t tagReader
	done := 0
scan:
	for _, c := range headCandidates.FindAllStringIndex(s, -1) {
		i := c[0]
		if i < done {
			continue
		}
		if s[i+1] == '!' {
			if done = commentEnd(s, i); done < 0 {
				break
			}
			continue
		}
		if s[i+1] == '/' || !t.read(s, i) {
			break // </head>, or the head is cut off
		}
		done = t.end
		switch t.name {
		case "body":
			break scan
		case "title", "script", "style", "template", "noscript":
			// Only the title's text matters; the others' content is not the
			// page's metadata (noscript's is only for browsers without JS).
			at, _ := findEndTag(s, t.end, t.name)
			if at < 0 {
				break scan
			}
			if t.name == "title" && title == "" {
				title = cleanHint(s[t.end:at], maxHintTitle)
			}
			done = at
		case "meta":
			if t.valStart[wantContent] < 0 {
				continue
			}
			// og: tags belong in property=, but name= is common too.
			key := t.value(s, wantProperty)
			if key == "" {
				key = t.value(s, wantName)
			}
			key = strings.ToLower(strings.TrimSpace(key))
			switch {
			case key == "description":
				if desc == "" {
					desc = cleanHint(t.value(s, wantContent), maxHintText)
				}
			case len(og) < maxHintOG && ogProperty.MatchString(key):
				if v := cleanHint(t.value(s, wantContent), maxHintText); v != "" {
					og = append(og, [2]string{key, v})
				}
			}
		case "link":
			if canonical == "" && hasToken(t.value(s, wantRel), "canonical") {
				canonical = cleanURL(t.value(s, wantHref))
			}
		}
	}
	if title == "" && desc == "" && canonical == "" && len(og) == 0 {
		return nil
	}
	var head strings.Builder
	if desc != "" {
		head.WriteString(`<meta name="description" content="` + html.EscapeString(desc) + "\">\n")
	}
	for _, p := range og {
		head.WriteString(`<meta property="` + html.EscapeString(p[0]) + `" content="` + html.EscapeString(p[1]) + "\">\n")
	}
	if canonical != "" {
		head.WriteString(`<link rel="canonical" href="` + html.EscapeString(canonical) + "\">\n")
	}
	return &pageHints{captured: now, title: html.EscapeString(title), head: head.String(), description: desc}
}

// cleanHint decodes character references, folds whitespace and cuts to max
// bytes on a character boundary.
func cleanHint(v string, max int) string {
	v = strings.Join(strings.Fields(html.UnescapeString(v)), " ")
	if len(v) > max {
		v = strings.ToValidUTF8(v[:max], "")
	}
	return v
}

// cleanURL keeps a canonical URL only if it is a plain http(s) or relative URL.
func cleanURL(v string) string {
	v = strings.Trim(v, c0Space)
	if v == "" || len(v) > maxHintURL || strings.ContainsAny(v, c0Space+"\x7f") {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" {
		return ""
	}
	return v
}

// hasToken reports whether the space-separated list v holds tok (any case).
func hasToken(v, tok string) bool {
	for _, f := range strings.Fields(v) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// crawlerHints returns what the challenge page for r should carry for a
// crawler: the remembered title and head tags of the page, or nil. The
// page's template data holds it under "CrawlerHints" for writePage.
func (m *Middleware) crawlerHints(r *http.Request) []string {
	if m.hints == nil || !isCrawler(r.UserAgent()) {
		return nil
	}
	h := m.hints.get(hintKey(r), time.Now().Unix())
	if h == nil {
		return nil
	}
	return []string{h.title, h.head}
}

// robotsNoindex is the built-in pages' robots tag; a page that carries a
// site's hints must be indexable, or the hints are for nothing.
var robotsNoindex = regexp.MustCompile(`(?i)<meta\s+name="robots"\s+content="noindex"\s*/?>\n?`)

// addCrawlerHints puts the hints in data (see crawlerHints) into the
// rendered page: the site's title replaces the page's, the tags go before
// </head>, and the noindex tag goes.
func addCrawlerHints(page *bytes.Buffer, data map[string]interface{}) {
	h, _ := data["CrawlerHints"].([]string)
	if len(h) != 2 {
		return
	}
	b := page.Bytes()
	end := bytes.Index(b, []byte("</head>"))
	if end < 0 {
		return
	}
	var out bytes.Buffer
	out.Grow(len(b) + len(h[0]) + len(h[1]))
	head := robotsNoindex.ReplaceAll(b[:end], nil)
	if i := bytes.Index(head, []byte("<title>")); i >= 0 && h[0] != "" {
		if j := bytes.Index(head[i:], []byte("</title>")); j >= 0 {
			out.Write(head[:i+len("<title>")])
			out.WriteString(h[0])
			head = head[i+j:]
		}
	}
	out.Write(head)
	out.WriteString(h[1])
	out.Write(b[end:])
	page.Reset()
	page.Write(out.Bytes())
}
