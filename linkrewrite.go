package captchaify

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// withoutCookies link rewriting: a visitor without a cookie carries the pass
// in the `captcha` URL argument, so every same-site link and form of the
// site's HTML must carry it on. linkRewriter adds the carried arguments to
// a, area (href), form (action) and button/input (formaction), and a hidden
// input to GET forms, whose action query browsers drop. Links to other
// hosts, other schemes (mailto:, javascript:…) and bare #fragments are left
// alone, and so is everything else in the page, byte for byte.

// carriedArg is a URL argument that travels from page to page.
type carriedArg struct {
	name, value string
}

// rewriteCandidates finds the tags the rewriter must read: links, forms,
// buttons, <base>, comments and the elements whose text is not markup.
var rewriteCandidates = regexp.MustCompile(`(?i)<(?:!--|(?:a|area|base|button|form|input|script|style|textarea|title|xmp|iframe|noembed|noframes|plaintext)[\t\n\f\r />])`)

// tagAttrs matches a start tag's attributes the way the HTML tokenizer
// reads them (lazily, so that the first href is the one captured).
const tagAttrs = `(?:[\t\n\f\r /]+(?:[^\t\n\f\r />=]+(?:[\t\n\f\r ]*=[\t\n\f\r ]*(?:"[^"]*"|'[^']*'|[^\t\n\f\r >]*))?)?)*?`

// linkTag reads a whole <a> or <area> tag in one native call and captures
// its href value (with its quotes): under Yaegi this is many times cheaper
// than reading the tag byte by byte in interpreted code.
var linkTag = regexp.MustCompile(`^<(?i:a|area)(?:` + tagAttrs + `[\t\n\f\r /]+(?i:href)[\t\n\f\r ]*=[\t\n\f\r ]*("[^"]*"|'[^']*'|[^\t\n\f\r >]*))?` + tagAttrs + `[\t\n\f\r /]*>`)

// maxLinkTag is the longest link tag linkTag reads; a longer one (rare) is
// read by the tag reader.
const maxLinkTag = 2048

// maxHeldTail bounds what the rewriter holds back while streaming: an
// unfinished tag longer than this is passed on as it is.
const maxHeldTail = 16 << 10

// Where a rewriter is between two pieces of a streamed document.
const (
	inMarkup = iota
	inComment
	inRawText
	inPlaintext
)

type linkRewriter struct {
	host     string   // request host: lower case, no port
	keys     []string // names of the carried arguments
	query    string   // the carried arguments as a URL query, escaped
	inAttr   string   // … and HTML-escaped for an attribute ('&' → "&amp;")
	sepQuery string   // "?" + inAttr: to end a URL without a query
	sepAmp   string   // "&amp;" + inAttr: to end a URL with one
	inputs   string   // the hidden inputs for GET forms, escaped
	tag      tagReader
	state    int
	rawName  string // the raw-text element we are in
	baseSet  bool   // a <base href> was seen (only the first counts)
	offsite  bool   // … and it points to another host: relative links are not ours
	changed  int    // links and forms rewritten
}

func newLinkRewriter(host string, args []carriedArg) *linkRewriter {
	lr := &linkRewriter{host: host}
	var q, in strings.Builder
	for i, a := range args {
		lr.keys = append(lr.keys, a.name)
		if i > 0 {
			q.WriteByte('&')
		}
		q.WriteString(url.QueryEscape(a.name) + "=" + url.QueryEscape(a.value))
		in.WriteString(`<input type="hidden" name="` + html.EscapeString(a.name) + `" value="` + html.EscapeString(a.value) + `">`)
	}
	lr.query = q.String()
	lr.inAttr = strings.ReplaceAll(lr.query, "&", "&amp;")
	lr.sepQuery = "?" + lr.inAttr
	lr.sepAmp = "&amp;" + lr.inAttr
	lr.inputs = in.String()
	return lr
}

// process rewrites the document piece s into out and returns how much of s
// it consumed. Unless final, an unfinished tag at the end is left for the
// next call (with the rest of the document appended).
func (lr *linkRewriter) process(out *strings.Builder, s string, final bool) int {
	pos := 0
	switch lr.state {
	case inPlaintext:
		out.WriteString(s)
		return len(s)
	case inComment:
		k := strings.Index(s, "-->")
		if k < 0 {
			return lr.holdText(out, s, 0, len(s)-2, final)
		}
		pos = k + 3
		lr.state = inMarkup
	case inRawText:
		at, safe := findEndTag(s, 0, lr.rawName)
		if at < 0 {
			return lr.holdText(out, s, 0, safe, final)
		}
		pos = at
		lr.state = inMarkup
	}
	out.WriteString(s[:pos])
	done := pos // s[:done] is written
	skip := pos // candidates before skip are inside what was read already
	for _, c := range rewriteCandidates.FindAllStringIndex(s[pos:], -1) {
		i := pos + c[0]
		if i < skip {
			continue
		}
		if s[i+1] == '!' {
			end := commentEnd(s, i)
			if end < 0 {
				out.WriteString(s[done:i])
				lr.state = inComment
				return lr.holdText(out, s, i, len(s)-2, final)
			}
			skip = end
			continue
		}
		if s[i+1]|0x20 == 'a' { // <a or <area: the common case, one native call
			w := s[i:]
			if len(w) > maxLinkTag {
				w = w[:maxLinkTag]
			}
			if m := linkTag.FindStringSubmatchIndex(w); m != nil {
				skip = i + m[1]
				if m[2] < 0 {
					continue // no href
				}
				// The common case, inline (under Yaegi a call with its
				// arguments costs more than all of this): a quoted "/path"
				// whose second byte is not '/', '\', '&' or one browsers
				// drop, ending in neither a space nor a fragment, with no
				// query or one without a stale argument, and with no
				// reference but &amp; (which hides no '?' or '#'): the
				// arguments go at its end.
				a, b := i+m[2]+1, i+m[3]-1
				if q := s[a-1]; (q == '"' || q == '\'') && b-a > 1 && s[a] == '/' && !lr.offsite &&
					strings.IndexByte("/\\&\t\n\r", s[a+1]) < 0 && s[b-1] > ' ' {
					raw := s[a:b]
					if strings.IndexByte(raw, '&') < 0 || strings.Count(raw, "&") == strings.Count(raw, "&amp;") {
						sep := lr.sepQuery
						if k := strings.IndexAny(raw, "?#"); k >= 0 {
							sep = ""
							if raw[k] == '?' && strings.IndexByte(raw[k:], '#') < 0 && !lr.hasKey(raw[k:]) {
								sep = lr.sepAmp
							}
						}
						if sep != "" {
							out.WriteString(s[done:b])
							out.WriteString(sep)
							lr.changed++
							done = b
							continue
						}
					}
				}
				done = lr.rewriteValue(out, s, done, i+m[2], i+m[3])
				continue
			}
		}
		t := &lr.tag
		if !t.read(s, i) {
			out.WriteString(s[done:i])
			if final || len(s)-i > maxHeldTail {
				out.WriteString(s[i:])
				return len(s)
			}
			return i
		}
		skip = t.end
		if t.nwant > 0 {
			done = lr.rewriteTag(out, s, done)
			continue
		}
		if t.name == "plaintext" {
			lr.state = inPlaintext
			out.WriteString(s[done:])
			return len(s)
		}
		if isRawText(t.name) {
			at, safe := findEndTag(s, t.end, t.name)
			if at < 0 {
				out.WriteString(s[done:t.end])
				lr.state = inRawText
				lr.rawName = t.name
				return lr.holdText(out, s, t.end, safe, final)
			}
			skip = at
		}
	}
	end := len(s)
	if !final {
		if end = incompleteTail(s, skip); len(s)-end > maxHeldTail {
			end = len(s)
		}
		if end < done {
			end = done
		}
	}
	out.WriteString(s[done:end])
	return end
}

// holdText writes s[from:safe] (text that cannot hold what ends the current
// comment or raw-text element) and keeps the rest for the next piece.
func (lr *linkRewriter) holdText(out *strings.Builder, s string, from, safe int, final bool) int {
	if final || safe > len(s) || len(s)-safe > maxHeldTail {
		safe = len(s)
	}
	if safe < from {
		safe = from
	}
	out.WriteString(s[from:safe])
	return safe
}

// rewriteTag writes the tag just read (and s[done:] before it), changed if it
// is a same-site link or form, and returns the new done.
func (lr *linkRewriter) rewriteTag(out *strings.Builder, s string, done int) int {
	t := &lr.tag
	switch t.name {
	case "a", "area":
		return lr.rewriteURL(out, s, done, wantHref)
	case "button", "input":
		return lr.rewriteURL(out, s, done, wantFormaction)
	case "base":
		if t.valStart[wantHref] >= 0 && !lr.baseSet {
			lr.baseSet = true
			lr.offsite = classifyLink(t.value(s, wantHref), lr.host) == linkOther
		}
	case "form":
		switch strings.ToLower(strings.TrimSpace(t.value(s, wantMethod))) {
		case "dialog":
			return done
		case "post":
			return lr.rewriteURL(out, s, done, wantAction)
		}
		// A GET form replaces the action's query with its fields: the
		// arguments go in as hidden inputs, if the form stays on this site
		// (no action, or "#…", is the page itself).
		if v := strings.Trim(t.value(s, wantAction), c0Space); v != "" && v[0] != '#' && !lr.ours(v) {
			return done
		}
		out.WriteString(s[done:t.end])
		out.WriteString(lr.inputs)
		lr.changed++
		return t.end
	}
	return done
}

// rewriteURL adds the carried arguments to the URL in the wanted attribute
// j of the tag just read.
func (lr *linkRewriter) rewriteURL(out *strings.Builder, s string, done, j int) int {
	if lr.tag.valStart[j] < 0 {
		return done
	}
	start, end := lr.tag.valStart[j], lr.tag.valEnd[j]
	if lr.tag.quote[j] != 0 {
		start--
		end++
	}
	return lr.rewriteValue(out, s, done, start, end)
}

// rewriteValue adds the carried arguments to the attribute value
// s[start:end] (with its quotes, if any) when the URL points to this site;
// it writes s[done:] up to there and returns the new done.
func (lr *linkRewriter) rewriteValue(out *strings.Builder, s string, done, start, end int) int {
	var quote byte
	if c := s[start]; c == '"' || c == '\'' {
		quote = c
		start++
		end--
	}
	raw := s[start:end]
	if raw == "" || raw[0] == '#' {
		return done // the page itself, or a place in it
	}
	if strings.HasPrefix(raw, "https://") || strings.HasPrefix(raw, "http://") {
		// An absolute link, most often to another site: its host decides.
		rest := raw[strings.IndexByte(raw, '/')+2:]
		k := strings.IndexAny(rest, "/\\?#:@&")
		if k < 0 {
			k = len(rest)
		}
		if (k == len(rest) || rest[k] != '@' && rest[k] != '&') && !strings.EqualFold(rest[:k], lr.host) {
			return done
		}
	}
	v := raw
	if strings.IndexByte(raw, '&') >= 0 {
		v = html.UnescapeString(raw)
	}
	if strings.TrimSpace(v) == "" || !lr.ours(v) {
		return done
	}
	out.WriteString(s[done:start])
	out.WriteString(escapeAttr(addQueryArgs(strings.Trim(v, c0Space), lr.keys, lr.query), quote))
	lr.changed++
	return end
}

// hasKey reports whether query q (from '?') may hold a carried argument.
func (lr *linkRewriter) hasKey(q string) bool {
	if len(lr.keys) == 1 {
		return strings.Contains(q, lr.keys[0])
	}
	for _, k := range lr.keys {
		if strings.Contains(q, k) {
			return true
		}
	}
	return false
}

// ours reports whether a link leads to this site, taking <base> into account.
func (lr *linkRewriter) ours(v string) bool {
	switch classifyLink(v, lr.host) {
	case linkSameHost:
		return true
	case linkRelative:
		return !lr.offsite
	}
	return false
}

// escapeAttr escapes v for an attribute quoted with q; an unquoted value
// comes back double-quoted.
func escapeAttr(v string, q byte) string {
	v = strings.ReplaceAll(v, "&", "&amp;")
	if q == '\'' {
		return strings.ReplaceAll(v, "'", "&#39;")
	}
	v = strings.ReplaceAll(v, `"`, "&#34;")
	if q == 0 {
		return `"` + v + `"`
	}
	return v
}

// c0Space is what URL parsers strip from both ends of a URL.
const c0Space = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20"

// How a link relates to the page.
const (
	linkOther    = iota // another host or scheme, a bare #fragment: not ours to touch
	linkRelative        // a path, /path or ?query: this site, unless <base> says otherwise
	linkSameHost        // an absolute URL naming this host
)

// classifyLink tells where the URL v (an attribute value, decoded) leads,
// as a browser would read it.
func classifyLink(v, host string) int {
	v = strings.Trim(v, c0Space)
	if strings.ContainsAny(v, "\t\n\r") {
		// Browsers drop tabs and newlines anywhere in a URL.
		v = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(v)
	}
	if v == "" || v[0] == '#' {
		return linkOther
	}
	if v[0] == '/' || v[0] == '\\' {
		if len(v) > 1 && (v[1] == '/' || v[1] == '\\') {
			return sameHost(v, host) // //host/path
		}
		return linkRelative
	}
	if i := strings.IndexAny(v, ":/?#\\"); i > 0 && v[i] == ':' && isScheme(v[:i]) {
		switch strings.ToLower(v[:i]) {
		case "http", "https":
			return sameHost(v[i+1:], host)
		}
		return linkOther // mailto:, javascript:, tel:, data:…
	}
	return linkRelative
}

// isScheme reports whether s is a URL scheme: a letter, then letters,
// digits, '+', '-' or '.'.
func isScheme(s string) bool {
	c := s[0] | 0x20
	if c < 'a' || c > 'z' {
		return false
	}
	return strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") == ""
}

// sameHost reads the host of rest ("//host:port/path…", after the scheme)
// and compares it with host. Like cookies, the port does not count.
func sameHost(rest, host string) int {
	rest = strings.TrimLeft(rest, "/\\")
	if i := strings.IndexAny(rest, "/\\?#"); i >= 0 {
		rest = rest[:i]
	}
	if strings.Contains(rest, "@") {
		return linkOther // user:password@host: not a link a site makes to itself
	}
	h := rest
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i > 0 {
			h = h[1:i]
		}
	} else if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	h = strings.TrimSuffix(strings.ToLower(h), ".")
	if h != "" && h == strings.TrimSuffix(host, ".") {
		return linkSameHost
	}
	return linkOther
}

// addQueryArgs sets the carried arguments in the URL v, before any
// #fragment, replacing earlier values of the same names.
func addQueryArgs(v string, keys []string, query string) string {
	frag := ""
	if i := strings.IndexByte(v, '#'); i >= 0 {
		v, frag = v[:i], v[i:]
	}
	path, q := v, ""
	if i := strings.IndexByte(v, '?'); i >= 0 {
		path, q = v[:i], v[i+1:]
	}
	for _, k := range keys {
		if strings.Contains(q, k) {
			q = withoutQueryArg(q, url.QueryEscape(k))
		}
	}
	if q != "" {
		q += "&"
	}
	return path + "?" + q + query + frag
}

// linkRewriterFor returns a rewriter for the response to r when r carries a
// valid pass in its URL (and so has no cookie to carry it), else nil.
func (m *Middleware) linkRewriterFor(r *http.Request, client clientAddr, now time.Time) *linkRewriter {
	name := m.cfg.cookieName
	if !strings.Contains(r.URL.RawQuery, name+"=") {
		return nil
	}
	q := r.URL.Query()
	token := q.Get(name)
	bind := bindingPrefix(client, m.cfg.tokenBinding)
	if _, ok := m.keys.checkClearance(token, now, m.cfg.verificationAge, bind, r.UserAgent()); !ok {
		return nil
	}
	args := []carriedArg{{name: name, value: token}}
	for _, a := range m.cfg.preferenceArgs {
		if v := q.Get(a); v != "" {
			args = append(args, carriedArg{name: a, value: v})
		}
	}
	return newLinkRewriter(requestHost(r), args)
}
