package captchaify

import (
	"html"
	"strings"
)

// A small HTML tokenizer for the few tags the plugin reads or rewrites (links
// and forms for withoutCookies, the head for crawler hints). It is not a
// parser: a regexp finds the candidate tags, and only those are read, the way
// an HTML tokenizer reads a start tag. Everything else is copied byte for
// byte, so a page is never reformatted.
//
// Written for Yaegi, where every interpreted call, composite literal,
// append of a struct and tuple assignment costs microseconds (measured):
// one reader is reused from tag to tag, records only the attributes its
// tag's kind needs, in plain fields, and leaves the per-byte work to
// standard-library calls, which run natively.

// htmlSpace is the whitespace of the HTML tokenizer.
const htmlSpace = " \t\n\f\r"

// What ends a tag name, an attribute name, an unquoted value.
const (
	tagNameEnd  = htmlSpace + "/>"
	attrNameEnd = htmlSpace + "/>="
	unquotedEnd = htmlSpace + ">"
)

// maxWanted is how many attributes a tag kind needs at most.
const maxWanted = 3

// tagReader reads one start tag at a time. After read, name is the tag's
// name in lower case, end the index just past its '>', and for each wanted
// attribute i (see wants), valStart[i]:valEnd[i] its raw value in the
// document (valStart -1: absent or without a value) and quote[i] its quote
// ('"', '\” or 0).
type tagReader struct {
	name     string
	end      int
	want     [maxWanted]string
	nwant    int
	valStart [maxWanted]int
	valEnd   [maxWanted]int
	quote    [maxWanted]byte
}

// Indexes of the wanted attributes, by tag kind (see wants).
const (
	wantHref       = 0 // a, area, base, link
	wantAction     = 0 // form
	wantMethod     = 1 // form
	wantFormaction = 0 // button, input
	wantContent    = 0 // meta
	wantName       = 1 // meta
	wantProperty   = 2 // meta
	wantRel        = 1 // link
)

// wants sets the attributes to record for a tag called name.
func (r *tagReader) wants(name string) {
	r.nwant = 0
	switch name {
	case "a", "area", "base":
		r.want[0] = "href"
		r.nwant = 1
	case "form":
		r.want[0] = "action"
		r.want[1] = "method"
		r.nwant = 2
	case "button", "input":
		r.want[0] = "formaction"
		r.nwant = 1
	case "meta":
		r.want[0] = "content"
		r.want[1] = "name"
		r.want[2] = "property"
		r.nwant = 3
	case "link":
		r.want[0] = "href"
		r.want[1] = "rel"
		r.nwant = 2
	}
}

// read reads the start tag whose '<' is at s[i]. It returns false when s
// ends before the tag does (the caller waits for more of the document).
func (r *tagReader) read(s string, i int) bool {
	k := strings.IndexAny(s[i+1:], tagNameEnd)
	if k < 0 {
		return false
	}
	k += i + 1
	r.name = strings.ToLower(s[i+1 : k])
	r.wants(r.name)
	r.valStart[0] = -1
	r.valStart[1] = -1
	r.valStart[2] = -1
	pos := k
	n := len(s)
	for {
		for pos < n && (s[pos] == ' ' || s[pos] == '/' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\f') {
			pos++
		}
		if pos >= n {
			return false
		}
		if s[pos] == '>' {
			r.end = pos + 1
			return true
		}
		// An attribute name runs to whitespace, '/', '>' or '='; a leading
		// '=' belongs to the name, as in the tokenizer.
		e := strings.IndexAny(s[pos+1:], attrNameEnd)
		if e < 0 {
			return false
		}
		e += pos + 1
		slot := -1
		for j := 0; j < r.nwant; j++ {
			if r.valStart[j] < 0 && len(r.want[j]) == e-pos && strings.EqualFold(s[pos:e], r.want[j]) {
				slot = j // the first of repeated attributes counts, as in browsers
				break
			}
		}
		pos = e
		for pos < n && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\f') {
			pos++
		}
		if pos >= n || s[pos] != '=' {
			continue
		}
		pos++
		for pos < n && (s[pos] == ' ' || s[pos] == '\n' || s[pos] == '\t' || s[pos] == '\r' || s[pos] == '\f') {
			pos++
		}
		if pos >= n {
			return false
		}
		q := s[pos]
		var c int
		if q == '"' || q == '\'' {
			if c = strings.IndexByte(s[pos+1:], q); c < 0 {
				return false
			}
			pos++
		} else {
			if c = strings.IndexAny(s[pos:], unquotedEnd); c < 0 {
				return false
			}
			q = 0
		}
		if slot >= 0 {
			r.valStart[slot] = pos
			r.valEnd[slot] = pos + c
			r.quote[slot] = q
		}
		pos += c
		if q != 0 {
			pos++
		}
	}
}

// value returns wanted attribute j, decoded, or "" if absent.
func (r *tagReader) value(s string, j int) string {
	if r.valStart[j] < 0 {
		return ""
	}
	raw := s[r.valStart[j]:r.valEnd[j]]
	if strings.IndexByte(raw, '&') < 0 {
		return raw
	}
	return html.UnescapeString(raw)
}

// rawTextElements hold text, not markup, up to their end tag: links inside
// them are not links. plaintext never ends.
func isRawText(name string) bool {
	switch name {
	case "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "plaintext":
		return true
	}
	return false
}

// findEndTag returns the index of the end tag "</name" (any case, followed by
// a delimiter) at or after from, or -1. When s may continue, safe is how far
// the text certainly does not contain the start of that end tag.
func findEndTag(s string, from int, name string) (at, safe int) {
	pos := from
	for {
		k := strings.Index(s[pos:], "</")
		if k < 0 {
			break
		}
		k += pos
		e := k + 2 + len(name)
		if e >= len(s) {
			// "</scri" at the very end: maybe the end tag, maybe not yet.
			return -1, k
		}
		if strings.EqualFold(s[k+2:e], name) && strings.IndexByte(htmlSpace+"/>", s[e]) >= 0 {
			return k, k
		}
		pos = k + 2
	}
	safe = len(s) - 1 // a trailing '<' may start "</"
	if safe < from {
		safe = from
	}
	return -1, safe
}

// commentEnd returns the index just past the comment that starts at s[i]
// ("<!--"), or -1 when it does not end within s. "<!-->" and "<!--->" are
// (empty) comments too.
func commentEnd(s string, i int) int {
	body := i + 4
	if strings.HasPrefix(s[body:], ">") {
		return body + 1
	}
	if strings.HasPrefix(s[body:], "->") {
		return body + 2
	}
	k := strings.Index(s[body:], "-->")
	if k < 0 {
		return -1
	}
	return body + k + 3
}

// incompleteTail returns where a tag possibly cut off at the end of s
// begins (the last '<' with no '>' after it), or len(s).
func incompleteTail(s string, from int) int {
	k := strings.LastIndexByte(s[from:], '<')
	if k < 0 {
		return len(s)
	}
	k += from
	if strings.IndexByte(s[k:], '>') >= 0 {
		return len(s)
	}
	return k
}
