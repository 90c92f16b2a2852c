package captchaify

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// challengeArg switches a visitor's challenge to audio: every challenge
// page links to its own URL with captchaify-challenge=audio (a plain link,
// no JavaScript). The argument only picks the type: the hardness stays the
// route's. It never reaches the site, and it is dropped from the URL the
// visitor is sent on to once through.
const (
	challengeArg      = "captchaify-challenge"
	challengeArgAudio = "audio"
)

// wantsAudio reports whether the visitor asked for the audio challenge.
func wantsAudio(r *http.Request) bool {
	return strings.Contains(r.URL.RawQuery, challengeArg+"=") &&
		r.URL.Query().Get(challengeArg) == challengeArgAudio
}

// withoutChallengeArg drops the switch from a same-site URL.
func withoutChallengeArg(target string) string {
	i := strings.IndexByte(target, '?')
	if i < 0 || !strings.Contains(target[i:], challengeArg) {
		return target
	}
	if q := withoutQueryArg(target[i+1:], challengeArg); q != "" {
		return target[:i] + "?" + q
	}
	return target[:i]
}

// challengePageURL is the URL of this request's challenge page, with or
// without the audio switch; on a route (asRoute), the route's URL.
func (m *Middleware) challengePageURL(r *http.Request, audio bool) string {
	t := withoutChallengeArg(m.target(r))
	if audio {
		t = withQueryArg(t, challengeArg, challengeArgAudio)
	}
	if m.cfg.asRoute && isRouteView(r) {
		return m.routeURL(routeChallenge, t)
	}
	return t
}

// audioAlternative is the AudioAlternative link of a visual challenge page.
func (m *Middleware) audioAlternative(r *http.Request) string {
	return m.challengePageURL(r, true)
}

// serveAudioChallenge issues an audio challenge (the route's type, or the
// alternative the visitor chose) and shows it.
func (m *Middleware) serveAudioChallenge(rw http.ResponseWriter, r *http.Request, client clientAddr, p *prefs, now time.Time, errMsg string) {
	c := newChallenge(m, r, client, p, now, typeAudio, newDigitAnswer(audioDigits[p.hardness]))
	data := m.challengeData(rw, r, errMsg) // pages.go
	clip, err := audioDataURL(c.answer, audioLanguage(data), c.hardness)
	if err != nil {
		m.audioFailed(rw, err)
		return
	}
	countDecision(m.metrics, decisionChallenge)
	m.metrics.issuedChallenge(c.kind, c.hardness)
	fillT(data, "audio_prompt", "{count}", strconv.Itoa(len(c.answer)))
	data["Action"] = m.answerAction(r)
	data["Token"] = m.keys.sealChallenge(c)
	data["Audio"] = clip
	data["Length"] = len(c.answer)
	data["AudioAlternative"] = ""
	data["VisualAlternative"] = ""
	if p.captchaType != typeAudio {
		data["VisualAlternative"] = m.challengePageURL(r, false)
	}
	writePage(rw, m.pagesFor(p).challengeAudio, m.cfg.challengeStatus, data)
}

// addTextAudio gives a hardness-3 text challenge its spoken digits: the
// token's audio answer and the page's Audio and AudioLength. Call it
// before the token is sealed.
func addTextAudio(c *challenge, data map[string]interface{}) error {
	if c.hardness < 3 {
		return nil
	}
	c.audio = newDigitAnswer(textAudioMinDigits + randIndex(textAudioMaxDigits-textAudioMinDigits+1))
	clip, err := audioDataURL(c.audio, audioLanguage(data), c.hardness)
	if err != nil {
		return err
	}
	fillT(data, "audio_hard_prompt", "{count}", strconv.Itoa(len(c.audio)))
	data["Audio"] = clip
	data["AudioLength"] = len(c.audio)
	return nil
}

// audioLanguage is the language the page is shown in (pages.go puts its
// code in the page data as Lang); the digits are spoken in it, or in
// English when it has no voice.
func audioLanguage(data map[string]interface{}) string {
	if lang, ok := data["Lang"].(string); ok && lang != "" {
		return lang
	}
	return audioFallbackLanguage
}

// digitsRight compares a typed digit answer (field ac) with the right one
// in constant time.
func digitsRight(form url.Values, want string) bool {
	given := normalizeDigits(form.Get("ac"))
	return want != "" && subtle.ConstantTimeCompare([]byte(given), []byte(want)) == 1
}

func (m *Middleware) audioFailed(rw http.ResponseWriter, err error) {
	m.log.logf(levelError, "rendering an audio challenge failed: %v", err)
	countDecision(m.metrics, decisionError)
	http.Error(rw, "captchaify: the challenge could not be made, please reload", http.StatusServiceUnavailable)
}
