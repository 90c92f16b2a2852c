package e2e

import (
	"encoding/base64"
	"encoding/binary"
	"html"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/traefiktest"
)

// The audio challenge through a real Traefik: its own type, the spoken part
// of a hardness-3 text challenge, and the audio alternative of a oneclick
// page, whose switch argument never reaches the site.

var (
	e2eAudioRe  = regexp.MustCompile(`<audio controls src="data:audio/wav;base64,([^"]+)"`)
	e2eAudioAlt = regexp.MustCompile(`<a href="([^"]*captchaify-challenge=audio[^"]*)">`)
)

type audioChallenge struct {
	ct, action string
	info       captchaify.ChallengeInfo
}

// mustAudioPage parses a page with an audio clip (the audio challenge, or
// a hardness-3 text challenge) and opens its ct.
func mustAudioPage(t *testing.T, what string, r response) audioChallenge {
	t.Helper()
	if r.status != http.StatusOK || r.header.Get(traefiktest.BackendHeader) != "" {
		t.Fatalf("%s: want a challenge page with audio, got %s", what, r)
	}
	ct, action, clip := e2eCtRe.FindStringSubmatch(r.body), e2eActionRe.FindStringSubmatch(r.body), e2eAudioRe.FindStringSubmatch(r.body)
	if ct == nil || action == nil || clip == nil || !strings.Contains(r.body, `name="ac"`) {
		t.Fatalf("%s: no ct, form, audio clip or ac field: %s", what, r)
	}
	wav, err := base64.StdEncoding.DecodeString(html.UnescapeString(clip[1]))
	if err != nil || len(wav) < 44 || string(wav[0:4]) != "RIFF" || string(wav[8:12]) != "WAVE" ||
		int(binary.LittleEndian.Uint32(wav[40:])) != len(wav)-44 || binary.LittleEndian.Uint16(wav[34:]) != 8 {
		t.Fatalf("%s: the clip is not an 8-bit PCM WAV (%v)", what, err)
	}
	if strings.Contains(strings.ToLower(r.body), "<script") {
		t.Errorf("%s: page carries JavaScript", what)
	}
	info, err := captchaify.OpenChallengeToken(secret, html.UnescapeString(ct[1]))
	if err != nil {
		t.Fatalf("%s: ct: %v", what, err)
	}
	return audioChallenge{ct: html.UnescapeString(ct[1]), action: html.UnescapeString(action[1]), info: info}
}

func TestAudioThroughTraefik(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik end-to-end tests skipped")
	}
	inst := traefiktest.Start(t, traefiktest.Options{Config: traefiktest.Config{Routes: []traefiktest.Route{
		{Name: "au", Rule: "PathPrefix(`/au/`)", Plugin: fightConfig(map[string]any{"defaultCaptchaType": "audio"})},
		{Name: "tx3", Rule: "PathPrefix(`/tx3/`)", Plugin: fightConfig(map[string]any{"defaultCaptchaType": "text", "defaultHardness": "3"})},
		{Name: "alt", Rule: "PathPrefix(`/alt/`)", Plugin: fightConfig(map[string]any{"defaultCaptchaType": "oneclick"})},
	}}})
	n := 40
	fresh := func(t *testing.T) *visitor {
		n++
		return newVisitor(t, inst, n)
	}

	t.Run("audio type", func(t *testing.T) {
		v := fresh(t)
		c := mustAudioPage(t, "GET /au/p", v.get("/au/p?k=1"))
		if c.info.Type != "audio" || len(c.info.Answer) != 8 {
			t.Fatalf("ct %+v, want 8 digits of audio at the default hardness", c.info)
		}
		r := v.post(c.action, url.Values{"ct": {c.ct}, "ac": {"0" + c.info.Answer[1:] + "9"}})
		if r.status == http.StatusSeeOther {
			t.Fatal("a wrong audio answer passed")
		}
		c = mustAudioPage(t, "after a wrong answer", r)
		r = v.post(c.action, url.Values{"ct": {c.ct}, "ac": {c.info.Answer[:4] + " " + c.info.Answer[4:]}})
		if r.status != http.StatusSeeOther || locationPath(t, r) != "/au/p?k=1" || r.cookie["captcha"] == "" {
			t.Fatalf("right answer: want 303 to /au/p?k=1 with a pass, got %s", r)
		}
		mustBackend(t, "with the pass", v.get("/au/p?k=1", cookie(r.cookie["captcha"])), "/au/p?k=1")
	})

	t.Run("hardness-3 text needs both parts", func(t *testing.T) {
		v := fresh(t)
		c := mustAudioPage(t, "GET /tx3/", v.get("/tx3/"))
		if c.info.Type != "text" || len(c.info.AudioAnswer) < 9 || len(c.info.AudioAnswer) > 14 {
			t.Fatalf("ct %+v, want text with 9–14 spoken digits", c.info)
		}
		r := v.post(c.action, url.Values{"ct": {c.ct}, "tc": {c.info.Answer}})
		if r.status == http.StatusSeeOther {
			t.Fatal("the text part alone passed at hardness 3")
		}
		c = mustAudioPage(t, "after a wrong answer", r)
		r = v.post(c.action, url.Values{"ct": {c.ct}, "tc": {c.info.Answer}, "ac": {c.info.AudioAnswer}})
		if r.status != http.StatusSeeOther || locationPath(t, r) != "/tx3/" {
			t.Fatalf("both parts right: want 303 to /tx3/, got %s", r)
		}
	})

	t.Run("audio alternative", func(t *testing.T) {
		v := fresh(t)
		page := v.get("/alt/p?k=1")
		m := e2eAudioAlt.FindStringSubmatch(page.body)
		if m == nil {
			t.Fatalf("oneclick page without the audio alternative: %s", page)
		}
		alt := html.UnescapeString(m[1])
		c := mustAudioPage(t, "GET "+alt, v.get(alt))
		if c.info.Type != "audio" || c.info.Hardness != 2 {
			t.Fatalf("alternative: ct %+v, want audio at the route's hardness", c.info)
		}
		r := v.post(c.action, url.Values{"ct": {c.ct}, "ac": {c.info.Answer}})
		if r.status != http.StatusSeeOther || locationPath(t, r) != "/alt/p?k=1" {
			t.Fatalf("solving the alternative: want 303 to /alt/p?k=1, got %s", r)
		}
		pass := cookie(r.cookie["captcha"])
		mustBackend(t, "with the pass", v.get("/alt/p?k=1", pass), "/alt/p?k=1")
		// the switch never reaches the site
		mustBackend(t, "switch with a pass", v.get("/alt/p?captchaify-challenge=audio&k=1", pass), "/alt/p?k=1")
		mustBackend(t, "switch alone with a pass", v.get("/alt/q?captchaify-challenge=audio", pass), "/alt/q")
	})
	inst.AssertNoPluginErrors(t)
}
