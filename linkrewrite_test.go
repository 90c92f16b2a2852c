package captchaify

import (
	"math/rand"
	"strings"
	"testing"
)

func rewriteAll(t *testing.T, doc string) string {
	t.Helper()
	lr := newLinkRewriter("example.com", []carriedArg{{"captcha", "T0K-en_"}})
	var out strings.Builder
	if n := lr.process(&out, doc, true); n != len(doc) {
		t.Fatalf("final process consumed %d of %d", n, len(doc))
	}
	return out.String()
}

func TestRewriteLinks(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<a href="/x">`, `<a href="/x?captcha=T0K-en_">`},
		{`<a href="/x?a=1&amp;b=2#top">`, `<a href="/x?a=1&amp;b=2&amp;captcha=T0K-en_#top">`},
		{`<a href='page.html'>`, `<a href='page.html?captcha=T0K-en_'>`},
		{`<a href=/x>`, `<a href="/x?captcha=T0K-en_">`},
		{`<A HREF="?p=2">`, `<A HREF="?p=2&amp;captcha=T0K-en_">`},
		{`<a href="http://Example.COM:8080/y">`, `<a href="http://Example.COM:8080/y?captcha=T0K-en_">`},
		{`<a href="//example.com/y">`, `<a href="//example.com/y?captcha=T0K-en_">`},
		{`<a href="/x?captcha=OLD&amp;k=v">`, `<a href="/x?k=v&amp;captcha=T0K-en_">`},
		{`<area href="/map">`, `<area href="/map?captcha=T0K-en_">`},
		{`<a title="a>b" href="/x">`, `<a title="a>b" href="/x?captcha=T0K-en_">`},
		{`<a href="/&#x3f;q">`, `<a href="/?q&amp;captcha=T0K-en_">`},
		{`<a href="/x&quest;a=1">`, `<a href="/x?a=1&amp;captcha=T0K-en_">`},
		{`<a href=" /x ">`, `<a href="/x?captcha=T0K-en_">`},
		{`<a href=/x?a=1&amp;b=2>`, `<a href="/x?a=1&amp;b=2&amp;captcha=T0K-en_">`},
		{`<a href="/x#f?g">`, `<a href="/x?captcha=T0K-en_#f?g">`},
		// left alone
		{`<a href="#top">`, `<a href="#top">`},
		{`<a href="">`, `<a href="">`},
		{`<a href="mailto:a@example.com">`, `<a href="mailto:a@example.com">`},
		{`<a href="javascript:go()">`, `<a href="javascript:go()">`},
		{`<a href="java&#x09;script:go()">`, `<a href="java&#x09;script:go()">`},
		{`<a href=" JavaScript:go()">`, `<a href=" JavaScript:go()">`},
		{`<a href="https://other.example/x">`, `<a href="https://other.example/x">`},
		{`<a href="//other.example/x">`, `<a href="//other.example/x">`},
		{`<a href="/\other.example/x">`, `<a href="/\other.example/x">`},
		{`<a href="https://example.com.evil.example/">`, `<a href="https://example.com.evil.example/">`},
		{`<a href="https://example.com@evil.example/">`, `<a href="https://example.com@evil.example/">`},
		{`<a name="x">`, `<a name="x">`},
		{`<link href="/style.css" rel="stylesheet">`, `<link href="/style.css" rel="stylesheet">`},
		{`<!-- <a href="/x"> --><a href="/y">`, `<!-- <a href="/x"> --><a href="/y?captcha=T0K-en_">`},
		{`<script>var s = '<a href="/x">';</script><a href="/y">`, `<script>var s = '<a href="/x">';</script><a href="/y?captcha=T0K-en_">`},
		{`<textarea><a href="/x"></textarea>`, `<textarea><a href="/x"></textarea>`},
		{`<title><a href="/x"></TITLE ><a href="/z">`, `<title><a href="/x"></TITLE ><a href="/z?captcha=T0K-en_">`},
		{`<plaintext><a href="/x">`, `<plaintext><a href="/x">`},
		// forms
		{`<form action="/s"><input name=q></form>`, `<form action="/s"><input type="hidden" name="captcha" value="T0K-en_"><input name=q></form>`},
		{`<form><input name=q></form>`, `<form><input type="hidden" name="captcha" value="T0K-en_"><input name=q></form>`},
		{`<form method="POST" action="/s">`, `<form method="POST" action="/s?captcha=T0K-en_">`},
		{`<form method="post">`, `<form method="post">`},
		{`<form method="dialog">`, `<form method="dialog">`},
		{`<form action="https://other.example/s">`, `<form action="https://other.example/s">`},
		{`<button formaction="/b">`, `<button formaction="/b?captcha=T0K-en_">`},
		// base
		{`<base href="https://cdn.example/"><a href="/x"><a href="https://example.com/y">`, `<base href="https://cdn.example/"><a href="/x"><a href="https://example.com/y?captcha=T0K-en_">`},
		{`<base href="/docs/"><a href="x">`, `<base href="/docs/"><a href="x?captcha=T0K-en_">`},
		// not a tag
		{`a < b and <abbr>x</abbr> <b>`, `a < b and <abbr>x</abbr> <b>`},
	} {
		if got := rewriteAll(t, tc.in); got != tc.want {
			t.Errorf("rewrite %s\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

func TestRewriteEscapesWhatItInserts(t *testing.T) {
	lr := newLinkRewriter("example.com", []carriedArg{{"captcha", `"><script>x</script>`}, {"theme", "a&b'"}})
	var out strings.Builder
	lr.process(&out, `<a href="/x"><a href='/y'><a href=/z><form></form>`, true)
	got := out.String()
	for _, bad := range []string{"<script>", `"><script`, "a&b'"} {
		if strings.Contains(got, bad) {
			t.Errorf("inserted %q unescaped: %s", bad, got)
		}
	}
	if !strings.Contains(got, `value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"`) {
		t.Errorf("hidden input not escaped: %s", got)
	}
}

// Streaming in pieces of every size gives the same document as one piece.
func TestRewriteStreamedInPieces(t *testing.T) {
	doc := `<!doctype html><html><head><title>T <a href="/no"></title><script>if (a<b) x = "</scr" + "ipt>";</script>` +
		`<style>a[href="/no"]{}</style></head><body><!-- c <a href="/no"> -- --><p>1 < 2</p>` +
		`<a class="x" href="/a?b=1&amp;c=2#f">A</a><form method=get action="/s"><input name=q></form>` +
		`<a href='https://example.com/abs'>B</a><a href="https://other.example/">C</a></body></html>`
	want := rewriteAll(t, doc)
	if strings.Contains(want, `/no?`) {
		t.Fatalf("rewrote inside text: %s", want)
	}
	for size := 1; size <= len(doc); size++ {
		lr := newLinkRewriter("example.com", []carriedArg{{"captcha", "T0K-en_"}})
		var out strings.Builder
		pending := ""
		for i := 0; i < len(doc); i += size {
			j := i + size
			if j > len(doc) {
				j = len(doc)
			}
			s := pending + doc[i:j]
			n := lr.process(&out, s, false)
			pending = s[n:]
		}
		lr.process(&out, pending, true)
		if out.String() != want {
			t.Fatalf("pieces of %d bytes:\n got %s\nwant %s", size, out.String(), want)
		}
	}
}

func TestRewriteLeavesPagesWithoutLinksAlone(t *testing.T) {
	doc := "<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>Just <b>text</b>, a < b.</p></body></html>\n"
	lr := newLinkRewriter("example.com", []carriedArg{{"captcha", "t"}})
	var out strings.Builder
	lr.process(&out, doc, true)
	if out.String() != doc || lr.changed != 0 {
		t.Errorf("changed %d: %s", lr.changed, out.String())
	}
}

func TestTagReader(t *testing.T) {
	s := `<META  content = "x>y" data-q='it"s' checked NAME=/z/ =odd property='p' name="second">rest`
	var r tagReader
	if !r.read(s, 0) || r.name != "meta" || s[r.end:] != "rest" {
		t.Fatalf("read: name=%q rest=%q", r.name, s[r.end:])
	}
	for j, want := range map[int]string{wantContent: "x>y", wantName: "/z/", wantProperty: "p"} {
		if got := r.value(s, j); got != want {
			t.Errorf("attribute %s = %q, want %q", r.want[j], got, want)
		}
	}
	if !r.read(`<a name=x>`, 0) || r.valStart[wantHref] != -1 {
		t.Errorf("a without href: valStart %d", r.valStart[wantHref])
	}
	if !r.read(`<a href>`, 0) || r.valStart[wantHref] != -1 {
		t.Errorf("href without a value: valStart %d", r.valStart[wantHref])
	}
	if !r.read(`<a href="&amp;x">`, 0) || r.value(`<a href="&amp;x">`, wantHref) != "&x" {
		t.Errorf("references not decoded")
	}
	for _, cut := range []string{`<a`, `<a href`, `<a href=`, `<a href="x`, `<a href=x`, `<a x `} {
		if r.read(cut, 0) {
			t.Errorf("%q: an unfinished tag was read", cut)
		}
	}
}

func TestNarrowAcceptEncoding(t *testing.T) {
	for in, want := range map[string]string{
		"gzip, deflate, br, zstd": "gzip, deflate",
		"br;q=1.0, gzip;q=0.8":    "gzip;q=0.8",
		"br":                      "identity",
	} {
		h := map[string][]string{"Accept-Encoding": {in}}
		narrowAcceptEncoding(h)
		if got := h["Accept-Encoding"][0]; got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

// Random HTML-ish documents never make the rewriter or the head reader
// panic, and streaming them in random pieces gives what one piece gives.
func TestRewriteRandomDocuments(t *testing.T) {
	tokens := []string{"<a", "<A", "<area", " href=", " HREF =", "\"", "'", ">", "/>", "<!--", "-->", "<!-->",
		"<script>", "</script>", "</scr", "<style>", "</style >", "<title>", "</title>", "<textarea>", "</textarea>",
		"/x", "//h", "\\", "?q=1", "#f", "&amp;", "&#63;", "&quest;", "captcha=old", "http://example.com", "https://o.example",
		"<form", " method=post", " method=get", " action=", "<base href=//o.example/>", "<button formaction=", "<input",
		"<plaintext>", "<meta", " name=description", " content=", " property=og:x", "<link rel=canonical", "</head>",
		"<body>", " ", "\t", "\n", "text", "<", "=", "<p>", "</a>", "javascript:", "mailto:"}
	rnd := rand.New(rand.NewSource(1))
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		for k := rnd.Intn(40); k >= 0; k-- {
			b.WriteString(tokens[rnd.Intn(len(tokens))])
		}
		doc := b.String()
		whole := rewriteAll(t, doc)
		lr := newLinkRewriter("example.com", []carriedArg{{"captcha", "T0K-en_"}})
		var out strings.Builder
		pending := ""
		for i := 0; i < len(doc); {
			j := i + 1 + rnd.Intn(8)
			if j > len(doc) {
				j = len(doc)
			}
			s := pending + doc[i:j]
			pending = s[lr.process(&out, s, false):]
			i = j
		}
		lr.process(&out, pending, true)
		if out.String() != whole {
			t.Fatalf("document %q\nin pieces: %q\nwhole:     %q", doc, out.String(), whole)
		}
		parseHeadHints(doc, 1)
	}
}
