package captchaify

import (
	"bytes"
	"strings"
	"testing"
)

func TestParseHeadHints(t *testing.T) {
	doc := `<!doctype html><html><head><meta charset=utf-8>
<title>  Fish &amp; Chips
 shop </title><!-- <title>not this</title> -->
<script>var t = "<title>nor this</title><meta name=description content=no>";</script>
<meta name="Description" content="Best &quot;fish&quot; in town <b>">
<meta property="og:title" content="Fish">
<meta property="og:image" content="https://example.com/f.png">
<meta name="og:type" content="website">
<meta property="twitter:card" content="summary">
<meta property="og:bad key" content="x">
<link rel="alternate canonical" href="https://example.com/fish">
<noscript><meta name="description" content="not this either"></noscript>
</head><body><meta property="og:late" content="body">`
	h := parseHeadHints(doc, 1)
	if h == nil {
		t.Fatal("no hints")
	}
	if h.title != "Fish &amp; Chips shop" {
		t.Errorf("title %q", h.title)
	}
	if h.description != `Best "fish" in town <b>` {
		t.Errorf("description %q", h.description)
	}
	for _, want := range []string{
		`<meta name="description" content="Best &#34;fish&#34; in town &lt;b&gt;">`,
		`<meta property="og:title" content="Fish">`,
		`<meta property="og:image" content="https://example.com/f.png">`,
		`<meta property="og:type" content="website">`,
		`<link rel="canonical" href="https://example.com/fish">`,
	} {
		if !strings.Contains(h.head, want) {
			t.Errorf("head lacks %s:\n%s", want, h.head)
		}
	}
	for _, bad := range []string{"twitter", "bad key", "og:late", "not this"} {
		if strings.Contains(h.head, bad) {
			t.Errorf("head has %q:\n%s", bad, h.head)
		}
	}
	if parseHeadHints("<html><body>hi</body></html>", 1) != nil {
		t.Error("hints from a page without any")
	}
	if h := parseHeadHints(`<link rel=canonical href="javascript:alert(1)"><title>x</title>`, 1); h == nil || strings.Contains(h.head, "javascript") {
		t.Errorf("javascript: canonical kept: %+v", h)
	}
}

func TestAddCrawlerHints(t *testing.T) {
	page := "<html>\n<head>\n<meta name=\"robots\" content=\"noindex\">\n<title>One moment, please</title>\n</head><body></body></html>"
	var b bytes.Buffer
	b.WriteString(page)
	addCrawlerHints(&b, map[string]interface{}{"CrawlerHints": []string{"Fish &amp; Chips", "<meta name=\"description\" content=\"d\">\n"}})
	want := "<html>\n<head>\n<title>Fish &amp; Chips</title>\n<meta name=\"description\" content=\"d\">\n</head><body></body></html>"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	b.WriteString(page)
	addCrawlerHints(&b, map[string]interface{}{})
	if b.String() != page {
		t.Errorf("changed a page without hints")
	}
}

func TestHintStoreBounded(t *testing.T) {
	s := &hintStore{pages: map[string]*hintEntry{}}
	for i := 0; i < 3*maxHintPages; i++ {
		key := "example.com/" + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
		if !hintsClaim(s, key, int64(i)) {
			t.Fatalf("claim %d refused", i)
		}
		s.put(key, &pageHints{captured: int64(i)}, int64(i))
	}
	if n := len(s.pages); n > maxHintPages {
		t.Errorf("%d pages kept, limit %d", n, maxHintPages)
	}
	s.put("k", &pageHints{captured: 100}, 100)
	if hintsClaim(s, "k", 100+60) {
		t.Error("claimed a page read a minute ago")
	}
	if !hintsClaim(s, "k", 100+int64(hintRefresh.Seconds())) {
		t.Error("a page read hintRefresh ago was not claimed")
	}
	if s.get("k", 100+int64(hintTTL.Seconds())+1) != nil {
		t.Error("hints older than hintTTL returned")
	}
}
