package captchaify

import "testing"

func TestSanitizeReturn(t *testing.T) {
	for in, want := range map[string]string{
		"/orig/path?q=1":          "/orig/path?q=1",
		"/a%20b?x=%26&y=":         "/a%20b?x=%26&y=",
		"/caf\u00e9?q=\u00fc":     "/caf\u00e9?q=\u00fc",
		"/x#frag":                 "/x",
		"//evil.example/x":        "/evil.example/x",
		"///evil.example":         "/evil.example",
		"/\\evil.example":         "/",
		"/a\\b":                   "/",
		"\\\\evil.example":        "/",
		"https://evil.example/":   "/",
		"http:/evil.example":      "/",
		"javascript:alert(1)":     "/",
		"evil.example":            "/",
		"":                        "/",
		"/\t/evil.example":        "/",
		"/x\r\nSet-Cookie: a=b":   "/",
		"/x y":                    "/",
		"/%zz":                    "/",
		"/%2F%2Fevil.example":     "/",
		"/%5C%5Cevil.example":     "/%5C%5Cevil.example",
		"/_captchaify/challenge":  "/",
		"/_captchaify/x?return=/": "/",
		"/ok?next=//evil.example": "/ok?next=//evil.example",
	} {
		if got := sanitizeReturn(in, "/_captchaify/"); got != want {
			t.Errorf("sanitizeReturn(%q) = %q, want %q", in, got, want)
		}
	}
	long := "/" + string(make([]byte, 0))
	for len(long) <= maxReturnLength {
		long += "aaaaaaaaaa"
	}
	if got := sanitizeReturn(long, "/_captchaify/"); got != "/" {
		t.Errorf("a %d-byte return was kept", len(long))
	}
}
