package behaviour

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// The audio challenge (type audio, field ac), the audio alternative every
// challenge page links to (captchaify-challenge=audio), and the spoken
// part of a hardness-3 text challenge. Solved by opening ct with the secret.

var (
	audioPattern       = regexp.MustCompile(`<audio controls src="data:audio/wav;base64,([A-Za-z0-9+/=]|&#43;)+">`)
	audioAltPattern    = regexp.MustCompile(`<a href="([^"]*captchaify-challenge=audio[^"]*)">`)
	visualAltPattern   = regexp.MustCompile(`<p class="alt">\s*<a href="([^"]*)">`)
	audioSrcPattern    = regexp.MustCompile(`<audio controls src="data:audio/wav;base64,([^"]+)"`)
	audioInputPattern  = regexp.MustCompile(`<input [^>]*name="ac"`)
	challengeArgInBody = "captchaify-challenge"
)

// audioPage is a parsed audio challenge page.
type audioPage struct {
	res    response
	ct     string
	wav    []byte
	visual string // the VisualAlternative link, "" when none
}

func mustAudioChallenge(t *testing.T, res response) audioPage {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("want an audio challenge page, got %d: %.300s", res.status, res.body)
	}
	m := ctPattern.FindStringSubmatch(res.body)
	if m == nil || !audioPattern.MatchString(res.body) || !audioInputPattern.MatchString(res.body) {
		t.Fatalf("not an audio challenge page: %.600s", res.body)
	}
	if strings.Contains(res.body, `name="tc"`) || strings.Contains(strings.ToLower(res.body), "<script") {
		t.Errorf("audio page carries a text field or JavaScript")
	}
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
	}
	p := audioPage{res: res, ct: m[1], wav: mustWAV(t, res.body)}
	if v := visualAltPattern.FindStringSubmatch(res.body); v != nil {
		p.visual = html.UnescapeString(v[1])
	}
	if audioAltPattern.MatchString(res.body) {
		t.Errorf("the audio page offers itself as the audio alternative")
	}
	return p
}

// mustWAV decodes the page's clip and checks it is 8-bit mono PCM WAV of
// at least a second.
func mustWAV(t *testing.T, body string) []byte {
	t.Helper()
	m := audioSrcPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("page without an audio clip")
	}
	wav, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatalf("audio clip: %v", err)
	}
	if len(wav) < 44 || string(wav[0:4]) != "RIFF" || string(wav[8:12]) != "WAVE" || string(wav[36:40]) != "data" ||
		binary.LittleEndian.Uint16(wav[20:]) != 1 || binary.LittleEndian.Uint16(wav[22:]) != 1 ||
		binary.LittleEndian.Uint16(wav[34:]) != 8 || int(binary.LittleEndian.Uint32(wav[40:])) != len(wav)-44 {
		t.Fatalf("audio clip is not 8-bit mono PCM WAV: % x", wav[:44])
	}
	if rate := binary.LittleEndian.Uint32(wav[24:]); len(wav)-44 < int(rate) {
		t.Errorf("clip of %d samples at %d Hz: under a second", len(wav)-44, rate)
	}
	return wav
}

func (p audioPage) info(t *testing.T) captchaify.ChallengeInfo {
	t.Helper()
	info, err := captchaify.OpenChallengeToken(secret, p.ct)
	if err != nil {
		t.Fatalf("open ct: %v", err)
	}
	if info.Type != "audio" || strings.Trim(info.Answer, "0123456789") != "" {
		t.Fatalf("ct holds %+v, want an audio challenge of digits", info)
	}
	return info
}

// spaced writes digits in groups, as a person may type them.
func spaced(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i++ {
		if i > 0 && i%3 == 0 {
			b.WriteString(" ")
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

func keepCookie(v *visitor, res response) {
	for _, c := range res.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "captcha=") {
			v.cookie = strings.SplitN(c, ";", 2)[0]
		}
	}
}

func TestAudioChallengeByHardness(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for h := 1; h <= 3; h++ {
			s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "audio", "defaultHardness": h})
			v := browser(fmt.Sprintf("198.51.100.%d", 60+h))
			page := mustAudioChallenge(t, s.get(t, v, "/p?x=1"))
			if page.visual != "" {
				t.Errorf("an audio route offers a visual alternative %q", page.visual)
			}
			info := page.info(t)
			if want := 4 + 2*h; len(info.Answer) != want || info.Hardness != h {
				t.Errorf("hardness %d: %d digits at hardness %d, want %d", h, len(info.Answer), info.Hardness, want)
			}
			if !strings.Contains(page.res.body, fmt.Sprintf("type the %d digits you hear", len(info.Answer))) {
				t.Errorf("hardness %d: the prompt does not say how many digits", h)
			}
			res := s.answer(t, v, page.res, url.Values{"ct": {page.ct}, "ac": {spaced(info.Answer)}})
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/p?x=1" {
				t.Fatalf("hardness %d: want 303 to /p?x=1, got %d %q", h, res.status, res.header.Get("Location"))
			}
			keepCookie(v, res)
			mustReach(t, s.get(t, v, "/p?x=1"), "backend /p?x=1")
		}
	})
}

// Every render is new: another clip, another answer.
func TestAudioClipsDifferPerRender(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "audio"})
		v := browser("198.51.100.64")
		a := mustAudioChallenge(t, s.get(t, v, "/"))
		b := mustAudioChallenge(t, s.get(t, v, "/"))
		if string(a.wav) == string(b.wav) || a.ct == b.ct {
			t.Fatal("two audio challenges are identical")
		}
	})
}

func TestAudioWrongSpentAndLowerHardnessRefused(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "audio", "defaultHardness": 1})
		v := browser("198.51.100.65")
		page := mustAudioChallenge(t, s.get(t, v, "/"))
		info := page.info(t)
		wrong := []byte(info.Answer)
		wrong[0] = '0' + (wrong[0]-'0'+1)%10
		for i, bad := range []string{string(wrong), info.Answer[1:], info.Answer + "1", "", "abcdef"} {
			w := browser(fmt.Sprintf("198.51.101.%d", 10+i)) // one each: stay under the lockout
			p := mustAudioChallenge(t, s.get(t, w, "/"))
			res := s.answer(t, w, p.res, url.Values{"ct": {p.ct}, "ac": {bad}})
			if res.status == http.StatusSeeOther {
				t.Fatalf("answer %q accepted", bad)
			}
			mustAudioChallenge(t, res)
			if !strings.Contains(res.body, "That was not right") {
				t.Errorf("answer %q: no error line", bad)
			}
		}
		// Right, then the same ct again: spent.
		form := url.Values{"ct": {page.ct}, "ac": {info.Answer}}
		if res := s.answer(t, v, page.res, form); res.status != http.StatusSeeOther {
			t.Fatalf("right answer: %d", res.status)
		}
		res := s.answer(t, browser("198.51.100.65"), page.res, form)
		if res.status == http.StatusSeeOther || !strings.Contains(res.body, "already used") {
			t.Fatalf("replayed ct: %d, want a new challenge saying it was used", res.status)
		}
		// A hardness-1 audio answer does not pass a hardness-3 route.
		hard := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "audio", "defaultHardness": 3})
		u := browser("198.51.100.67")
		easy := mustAudioChallenge(t, s.get(t, u, "/"))
		res = hard.answer(t, u, easy.res, url.Values{"ct": {easy.ct}, "ac": {easy.info(t).Answer}})
		if res.status == http.StatusSeeOther {
			t.Fatal("a hardness-1 audio answer passed a hardness-3 route")
		}
		next := mustAudioChallenge(t, res)
		if !strings.Contains(res.body, "harder challenge") || next.info(t).Hardness != 3 {
			t.Errorf("want a hardness-3 audio challenge with the 'harder' message")
		}
	})
}

// At hardness 3 the text challenge also asks for 9–14 spoken digits, and
// both parts must be right.
func TestHardTextNeedsItsAudioPart(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "defaultHardness": 3})
		get := func(ip string) (*visitor, response, captchaify.ChallengeInfo) {
			v := browser(ip)
			page := s.get(t, v, "/h")
			ct := mustChallenge(t, page)
			mustWAV(t, page.body)
			info, err := captchaify.OpenChallengeToken(secret, ct)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(info.AudioAnswer); n < 9 || n > 14 || strings.Trim(info.AudioAnswer, "0123456789") != "" {
				t.Fatalf("hardness-3 text challenge: audio part %q, want 9–14 digits", info.AudioAnswer)
			}
			if !audioInputPattern.MatchString(page.body) || !strings.Contains(page.body, fmt.Sprintf("type the %d digits you hear", len(info.AudioAnswer))) {
				t.Fatalf("hardness-3 text page lacks the ac field or its prompt")
			}
			return v, page, info
		}
		for i, form := range []func(info captchaify.ChallengeInfo) url.Values{
			func(info captchaify.ChallengeInfo) url.Values { return url.Values{"tc": {info.Answer}} },
			func(info captchaify.ChallengeInfo) url.Values {
				return url.Values{"tc": {info.Answer}, "ac": {info.AudioAnswer[1:]}}
			},
			func(info captchaify.ChallengeInfo) url.Values {
				return url.Values{"tc": {"X" + info.Answer}, "ac": {info.AudioAnswer}}
			},
			func(info captchaify.ChallengeInfo) url.Values { return url.Values{"ac": {info.AudioAnswer}} },
		} {
			v, page, info := get(fmt.Sprintf("198.51.100.%d", 70+i))
			vals := form(info)
			vals.Set("ct", ctPattern.FindStringSubmatch(page.body)[1])
			if res := s.answer(t, v, page, vals); res.status == http.StatusSeeOther {
				t.Fatalf("case %d: a hardness-3 text answer without both parts right passed", i)
			}
		}
		v, page, info := get("198.51.100.75")
		ct := ctPattern.FindStringSubmatch(page.body)[1]
		res := s.answer(t, v, page, url.Values{"ct": {ct}, "tc": {info.Answer}, "ac": {spaced(info.AudioAnswer)}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("both parts right: want 303, got %d", res.status)
		}
		// Below hardness 3 there is no audio part.
		easy := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "defaultHardness": 2})
		body := easy.get(t, browser("198.51.100.76"), "/").body
		if audioPattern.MatchString(body) || audioInputPattern.MatchString(body) {
			t.Error("a hardness-2 text challenge carries an audio part")
		}
	})
}

// Every challenge page links to the audio alternative; it is a challenge
// at the route's hardness, links back, solves the route, and its argument
// never reaches the site.
func TestAudioAlternative(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for i, typ := range []string{"text", "oneclick", "multiclick"} {
			for _, h := range []int{1, 3} {
				s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": typ, "defaultHardness": h})
				v := browser(fmt.Sprintf("198.51.100.%d", 80+2*i+h))
				page := s.get(t, v, "/shop?item=7&q=%22a%20b%22")
				m := audioAltPattern.FindStringSubmatch(page.body)
				if m == nil {
					t.Fatalf("%s page without the audio alternative link: %.400s", typ, page.body)
				}
				alt := html.UnescapeString(m[1])
				if alt != "/shop?item=7&q=%22a%20b%22&captchaify-challenge=audio" {
					t.Errorf("%s: audio alternative %q", typ, alt)
				}
				ap := mustAudioChallenge(t, s.get(t, v, alt))
				info := ap.info(t)
				if info.Hardness != h || len(info.Answer) != 4+2*h {
					t.Errorf("%s hardness %d: alternative is %+v, want the route's hardness", typ, h, info)
				}
				if ap.visual != "/shop?item=7&q=%22a%20b%22" {
					t.Errorf("%s: visual alternative %q", typ, ap.visual)
				}
				// a wrong answer keeps the visitor on the audio challenge
				if h == 1 {
					res := s.answer(t, v, ap.res, url.Values{"ct": {ap.ct}, "ac": {"1"}})
					ap = mustAudioChallenge(t, res)
					info = ap.info(t)
				}
				res := s.answer(t, v, ap.res, url.Values{"ct": {ap.ct}, "ac": {info.Answer}})
				if res.status != http.StatusSeeOther || res.header.Get("Location") != "/shop?item=7&q=%22a%20b%22" {
					t.Fatalf("%s: solving the alternative: %d to %q", typ, res.status, res.header.Get("Location"))
				}
				keepCookie(v, res)
				mustReach(t, s.get(t, v, "/shop?item=7&q=%22a%20b%22"), `backend /shop?item=7&q=%22a%20b%22`)
				// a verified visitor's request with the switch reaches the site without it
				mustReach(t, s.get(t, v, "/shop?captchaify-challenge=audio&item=7"), "backend /shop?item=7")
				mustReach(t, s.get(t, v, "/x?captchaify-challenge=audio"), "backend /x?")
			}
		}
	})
}

// The switch picks only the type: no argument lowers the hardness, and
// what the URL reflects into the page is escaped.
func TestAudioAlternativeCannotLowerHardnessAndIsEscaped(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick", "defaultHardness": 3})
		v := browser("198.51.100.90")
		target := "/p?captchaify-challenge=audio&hardness=1&defaultHardness=1&x=" + url.QueryEscape(`"><script>alert(1)</script>`)
		page := s.get(t, v, target)
		ap := mustAudioChallenge(t, page)
		if info := ap.info(t); info.Hardness != 3 || len(info.Answer) != 10 {
			t.Errorf("%s: %+v, want hardness 3 with 10 digits", target, info)
		}
		raw := s.get(t, v, `/p?captchaify-challenge=audio&x="><script>alert(1)</script>`)
		if strings.Contains(raw.body, "<script>") {
			t.Errorf("a reflected value is not escaped: %.600s", raw.body)
		}
		mustAudioChallenge(t, raw)
		// other values of the argument are not a switch
		other := s.get(t, v, "/p?captchaify-challenge=text")
		mustImageChallenge(t, other, "oneclick")
		if m := audioAltPattern.FindStringSubmatch(other.body); m == nil || html.UnescapeString(m[1]) != "/p?"+challengeArgInBody+"=audio" {
			t.Errorf("audio alternative of /p?%s=text: %v", challengeArgInBody, m)
		}
	})
}

// In asRoute mode the alternative is the route's URL with the switch in
// its return path.
func TestAudioAlternativeOnRoute(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text", "asRoute": true})
		v := browser("198.51.100.91")
		res := s.get(t, v, "/a?b=1")
		if res.status != http.StatusFound {
			t.Fatalf("asRoute: want 302, got %d", res.status)
		}
		page := s.get(t, v, res.header.Get("Location"))
		m := visualAltPattern.FindStringSubmatch(page.body) // the alternative's link, whichever way
		if m != nil && !strings.Contains(m[1], "captchaify-challenge%3Daudio") {
			m = nil
		}
		if m == nil {
			t.Fatalf("route page without the audio alternative: %.600s", page.body)
		}
		alt := html.UnescapeString(m[1])
		if !strings.HasPrefix(alt, "/_captchaify/challenge?return=") {
			t.Fatalf("alternative %q is not the route", alt)
		}
		ap := mustAudioChallenge(t, s.get(t, v, alt))
		if !strings.HasPrefix(ap.visual, "/_captchaify/challenge?return=") || strings.Contains(ap.visual, "captchaify-challenge") {
			t.Errorf("visual alternative %q", ap.visual)
		}
		done := s.answer(t, v, ap.res, url.Values{"ct": {ap.ct}, "ac": {ap.info(t).Answer}})
		if done.status != http.StatusSeeOther || done.header.Get("Location") != "/a?b=1" {
			t.Fatalf("solving on the route: %d to %q", done.status, done.header.Get("Location"))
		}
		keepCookie(v, done)
		mustReach(t, s.get(t, v, "/a?b=1"), "backend /a?b=1")
	})
}
