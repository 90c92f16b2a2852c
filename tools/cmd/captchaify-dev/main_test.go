package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
)

const secret = "dev-tool-test-secret-0123456789abcdef"

func TestTokenPrintsOnlyTheToken(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"token", "-secret", secret, "-ip", "198.51.100.1", "-ua", "probe/1.0", "-hardness", "2"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	tok := strings.TrimSpace(out.String())
	if tok == "" || strings.ContainsAny(tok, " \n") || errOut.Len() != 0 {
		t.Errorf("stdout %q, stderr %q: want the token alone", out.String(), errOut.String())
	}
}

func TestTokenRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"token", "-secret", "short", "-ip", "1.2.3.4"},
		{"token", "-secret", secret, "-ip", "nope"},
		{"token", "-secret", secret, "-ip", "1.2.3.4", "-hardness", "7"},
		{"open", "-secret", secret, "garbage"},
		{"open", "-secret", secret},
		{"frobnicate"},
		{},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code == 0 || errOut.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q: want a failure with a message", args, code, errOut.String())
		}
	}
}

func TestOpenPrintsTheAnswer(t *testing.T) {
	// A real ct comes from a challenge page; the behaviour and end-to-end
	// tests cover that path. Here a hand-made token is enough to check the
	// JSON shape, so build one through the plugin's own issuing code.
	ct := issueChallengeForTest(t)
	var out, errOut bytes.Buffer
	if code := run([]string{"open", "-secret", secret, ct}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var info map[string]any
	if err := json.Unmarshal(out.Bytes(), &info); err != nil {
		t.Fatalf("not JSON: %q", out.String())
	}
	want, _ := captchaify.OpenChallengeToken(secret, ct)
	if info["answer"] != want.Answer || want.Answer == "" {
		t.Errorf("answer = %v, want %q", info["answer"], want.Answer)
	}
}

// The image challenges (the default type) come with the right candidates.
func TestOpenPrintsImageIndexes(t *testing.T) {
	ct := issueChallengeForTest(t)
	var out, errOut bytes.Buffer
	if code := run([]string{"open", "-secret", secret, ct}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var info struct {
		Type    string `json:"type"`
		Answer  string `json:"answer"`
		Indexes []int  `json:"indexes"`
	}
	if err := json.Unmarshal(out.Bytes(), &info); err != nil {
		t.Fatalf("not JSON: %q", out.String())
	}
	if info.Type != "oneclick" || len(info.Indexes) != 1 || info.Answer != fmt.Sprint(info.Indexes[0]) {
		t.Errorf("open printed %s: want a oneclick ct with one index", out.String())
	}
}

// issueChallengeForTest gets a real ct from a challenge page of the plugin.
func issueChallengeForTest(t *testing.T) string {
	t.Helper()
	cfg := captchaify.CreateConfig()
	cfg.Secret = secret
	cfg.DefaultAction = "fight"
	h, err := captchaify.New(context.Background(), http.NotFoundHandler(), cfg, "dev-tool-test")
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	m := regexp.MustCompile(`name="ct" value="([^"]+)"`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no challenge page: %d", rec.Code)
	}
	return m[1]
}
