package e2e

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// The image challenges through a real Traefik: each route its own
// middleware, so lockouts in one subtest never touch another.

var (
	e2eButtonRe   = regexp.MustCompile(`<button type="submit" class="cand" name="ci" value="(\d+)"><img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"`)
	e2eCheckboxRe = regexp.MustCompile(`<input type="checkbox" name="ci(\d+)" value="1"><img src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"`)
	e2eRefRe      = regexp.MustCompile(`<img class="ref" src="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"`)
	e2eCtRe       = regexp.MustCompile(`name="ct" value="([^"]+)"`)
	e2eActionRe   = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
)

type imageChallenge struct {
	ct, action string
	candidates int
	right      []int
}

// mustImagePage parses an image challenge page and opens its ct.
func mustImagePage(t *testing.T, what, kind string, r response) imageChallenge {
	t.Helper()
	if r.status != http.StatusOK || r.header.Get(traefiktest.BackendHeader) != "" {
		t.Fatalf("%s: want a %s challenge page, got %s", what, kind, r)
	}
	ct, action := e2eCtRe.FindStringSubmatch(r.body), e2eActionRe.FindStringSubmatch(r.body)
	if ct == nil || action == nil || e2eRefRe.FindStringSubmatch(r.body) == nil {
		t.Fatalf("%s: no ct, form or reference image: %s", what, r)
	}
	re := e2eButtonRe
	if kind == "multiclick" {
		re = e2eCheckboxRe
	}
	cands := re.FindAllStringSubmatch(r.body, -1)
	for i, c := range cands {
		raw, err := base64.StdEncoding.DecodeString(c[2])
		if err != nil || c[1] != strconv.Itoa(i) {
			t.Fatalf("%s: candidate %d is not a data URL with its index", what, i)
		}
		if _, err := jpeg.Decode(bytes.NewReader(raw)); err != nil {
			t.Fatalf("%s: candidate %d is no JPEG: %v", what, i, err)
		}
	}
	info, err := captchaify.OpenChallengeToken(secret, html.UnescapeString(ct[1]))
	if err != nil || info.Type != kind || len(info.Indexes) == 0 {
		t.Fatalf("%s: ct %+v, %v", what, info, err)
	}
	return imageChallenge{ct: html.UnescapeString(ct[1]), action: html.UnescapeString(action[1]), candidates: len(cands), right: info.Indexes}
}

func (c imageChallenge) form(kind string, choice []int) url.Values {
	f := url.Values{"ct": {c.ct}}
	for _, i := range choice {
		if kind == "oneclick" {
			f.Add("ci", strconv.Itoa(i))
		} else {
			f.Set("ci"+strconv.Itoa(i), "1")
		}
	}
	return f
}

// writeColourDataset writes <dir>/colours.json: three keywords of
// solid-colour PNGs, in flask_Captchaify's format.
func writeColourDataset(t *testing.T, dir string) {
	t.Helper()
	data := map[string][]string{}
	for name, c := range map[string]color.RGBA{"red": {230, 20, 20, 255}, "green": {20, 200, 40, 255}, "blue": {20, 40, 230, 255}} {
		m := image.NewRGBA(image.Rect(0, 0, 40, 40))
		for i := 0; i < len(m.Pix); i += 4 {
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, 255
		}
		var b bytes.Buffer
		if err := png.Encode(&b, m); err != nil {
			t.Fatal(err)
		}
		data[name] = []string{base64.StdEncoding.EncodeToString(b.Bytes())}
	}
	raw, _ := json.Marshal(data)
	if err := os.WriteFile(filepath.Join(dir, "colours.json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImageChallengesThroughTraefik(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik end-to-end tests skipped")
	}
	dir := t.TempDir()
	writeColourDataset(t, dir)
	inst := traefiktest.Start(t, traefiktest.Options{Config: traefiktest.Config{Routes: []traefiktest.Route{
		// no captcha type: oneclick is the default
		{Name: "oc", Rule: "PathPrefix(`/oc/`)", Plugin: fightConfig(nil)},
		{Name: "mc", Rule: "PathPrefix(`/mc/`)", Plugin: fightConfig(map[string]any{"defaultCaptchaType": "multiclick_emojis", "defaultHardness": "3"})},
		{Name: "wrong", Rule: "PathPrefix(`/wrong/`)", Plugin: fightConfig(map[string]any{"defaultCaptchaType": "oneclick_animals", "datasetSize": "little"})},
		{Name: "custom", Rule: "PathPrefix(`/custom/`)", Plugin: fightConfig(map[string]any{"defaultCaptchaType": "oneclick_colours", "datasetDir": dir, "defaultHardness": "1"})},
	}}})
	hc := traefiktest.Client("")
	do := func(t *testing.T, method, path string, form url.Values, cookie string) response {
		t.Helper()
		v := &visitor{t: t, inst: inst, ua: userAgent, hc: hc}
		if cookie != "" {
			return v.do(method, path, form, &http.Cookie{Name: "captcha", Value: cookie})
		}
		return v.do(method, path, form)
	}

	solve := func(t *testing.T, kind, path string, wantCandidates int) {
		c := mustImagePage(t, "GET "+path, kind, do(t, http.MethodGet, path, nil, ""))
		if c.candidates != wantCandidates {
			t.Errorf("%s: %d candidates, want %d", path, c.candidates, wantCandidates)
		}
		r := do(t, http.MethodPost, c.action, c.form(kind, c.right), "")
		if r.status != http.StatusSeeOther || locationPath(t, r) != path || r.cookie["captcha"] == "" {
			t.Fatalf("right answer: want 303 to %s with a pass, got %s", path, r)
		}
		mustBackend(t, "with the pass", do(t, http.MethodGet, path, nil, r.cookie["captcha"]), path)
	}
	t.Run("oneclick default", func(t *testing.T) { solve(t, "oneclick", "/oc/page?a=1", 10) })
	t.Run("multiclick hardness 3", func(t *testing.T) { solve(t, "multiclick", "/mc/x", 16) })
	t.Run("custom dataset", func(t *testing.T) { solve(t, "oneclick", "/custom/y", 6) })

	t.Run("wrong, spent, locked out", func(t *testing.T) {
		c := mustImagePage(t, "GET", "oneclick", do(t, http.MethodGet, "/wrong/", nil, ""))
		right := c.form("oneclick", c.right)
		r := do(t, http.MethodPost, c.action, right, "")
		if r.status != http.StatusSeeOther {
			t.Fatalf("right answer: %s", r)
		}
		r = do(t, http.MethodPost, c.action, right, "")
		if r.status == http.StatusSeeOther || !strings.Contains(r.body, "already used") {
			t.Fatalf("spent ct: %s", r)
		}
		// fight: two wrong answers are shown a new challenge, the third locks out.
		for i := 1; i <= 3; i++ {
			c = mustImagePage(t, "GET", "oneclick", r)
			r = do(t, http.MethodPost, c.action, c.form("oneclick", []int{(c.right[0] + 1) % c.candidates}), "")
			if i < 3 && (r.status != http.StatusOK || !strings.Contains(r.body, "not right")) {
				t.Fatalf("wrong answer %d: %s", i, r)
			}
		}
		if r.status != http.StatusForbidden {
			t.Fatalf("third wrong answer: want 403, got %s", r)
		}
	})
	inst.AssertNoPluginErrors(t)
}

// fightConfig is a fight route's plugin configuration with the tests'
// secret, plus extra.
func fightConfig(extra map[string]any) map[string]any {
	c := map[string]any{"secret": secret, "defaultAction": "fight"}
	for k, v := range extra {
		c[k] = v
	}
	return c
}
