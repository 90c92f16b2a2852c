package captchaify

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"html/template"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxFormBytes caps the answer form we read: a real one is a few hundred bytes.
const maxFormBytes = 16 << 10

// textLengthBase and textLengthExtra give the seed's text lengths:
// hardness 1 → 6–8 characters, 2 → 9–11, 3 → 10–12.
var (
	textLengthBase  = [4]int{0, 5, 8, 9}
	textLengthExtra = [4]int{1, 1, 2, 3}
)

// randIndex returns a uniform random number in [0, n), n ≤ 256, from
// crypto/rand: answers must not be predictable.
func randIndex(n int) int {
	var b [1]byte
	limit := 256 - 256%n
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic("captchaify: no randomness: " + err.Error())
		}
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}

func newTextAnswer(hardness int) string {
	n := textLengthBase[hardness] + textLengthExtra[randIndex(len(textLengthExtra))]
	b := make([]byte, n)
	for i := range b {
		b[i] = textAlphabet[randIndex(len(textAlphabet))]
	}
	return string(b)
}

// normalizeAnswer makes typed answers comparable: case and spaces never count.
func normalizeAnswer(s string) string {
	return strings.ToUpper(strings.Join(strings.Fields(s), ""))
}

// serveChallenge issues a new challenge for this request and shows it.
func (m *Middleware) serveChallenge(rw http.ResponseWriter, r *http.Request, client clientAddr, p *prefs, now time.Time, errMsg string) {
	if m.toRoute(rw, r, routeChallenge) {
		return
	}
	if p.captchaType == typeAudio || wantsAudio(r) {
		m.serveAudioChallenge(rw, r, client, p, now, errMsg) // audiochallenge.go
		return
	}
	if p.captchaType != typeText {
		m.serveImageChallenge(rw, r, client, p, now, errMsg)
		return
	}
	c := newChallenge(m, r, client, p, now, p.captchaType, newTextAnswer(p.hardness))
	img, err := renderTextImage(c.answer, c.hardness)
	if err != nil {
		m.log.logf(levelError, "rendering a text challenge failed: %v", err)
		countDecision(m.metrics, decisionError)
		http.Error(rw, "captchaify: the challenge could not be drawn, please reload", http.StatusServiceUnavailable)
		return
	}
	width, height := textImageSize(len(c.answer))
	countDecision(m.metrics, decisionChallenge)
	m.metrics.issuedChallenge(c.kind, c.hardness)
	data := m.challengeData(rw, r, errMsg)
	if err := addTextAudio(c, data); err != nil { // hardness 3: spoken digits too
		m.audioFailed(rw, err)
		return
	}
	data["AudioAlternative"] = m.audioAlternative(r)
	fillT(data, "text_prompt", "{count}", strconv.Itoa(len(c.answer)))
	data["Width"] = width
	data["Height"] = height
	data["Action"] = m.answerAction(r)
	data["Token"] = m.keys.sealChallenge(c)
	data["Image"] = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(img))
	data["Length"] = len(c.answer)
	writePage(rw, m.pagesFor(p).challengeText, m.cfg.challengeStatus, data)
}

// answerResult is the outcome of checking a posted answer.
type answerResult struct {
	solved   bool
	hardness int
	counts   bool   // a failed attempt that counts towards the lockout
	message  string // shown above the next challenge
}

// The messages are string keys (assets/i18n_en.go): the page shows them
// in the visitor's language.
const (
	msgWrong    = "error_wrong"
	msgExpired  = "error_expired"
	msgSpent    = "error_spent"
	msgHarder   = "error_harder"
	msgBadInput = "error_bad_input"
)

// checkAnswer verifies a posted challenge answer. The challenge id is spent
// before the answer is compared, so every challenge allows one guess.
func (m *Middleware) checkAnswer(r *http.Request, form url.Values, client clientAddr, p *prefs, now time.Time) answerResult {
	c, err := m.keys.openChallenge(form.Get("ct"))
	if err != nil {
		return answerResult{counts: true, message: msgBadInput}
	}
	if now.Sub(c.issued) > m.cfg.challengeTTL || c.issued.After(now.Add(time.Minute)) {
		return answerResult{message: msgExpired}
	}
	if !sameHash(c.path[:], shortHash(sameSitePath(r.URL.Path))) ||
		!sameHash(c.client[:], shortHash(bindingPrefix(client, m.cfg.tokenBinding))) ||
		!sameHash(c.agent[:], shortHash(r.UserAgent())) {
		return answerResult{counts: true, message: msgBadInput}
	}
	// audio is every route's accessible alternative, at the route's hardness
	if base, _ := splitCaptchaType(p.captchaType); (c.kind != base && c.kind != typeAudio) || c.hardness < p.hardness {
		return answerResult{message: msgHarder}
	}
	if !m.store.spendChallenge(hex.EncodeToString(c.id[:]), c.issued.Add(m.cfg.challengeTTL)) {
		return answerResult{message: msgSpent}
	}
	if c.kind == typeAudio {
		if !digitsRight(form, c.answer) {
			return answerResult{counts: true, message: msgWrong}
		}
		return answerResult{solved: true, hardness: c.hardness}
	}
	if c.kind != typeText {
		if !imageAnswerRight(c.kind, c.answer, form) {
			return answerResult{counts: true, message: msgWrong}
		}
		return answerResult{solved: true, hardness: c.hardness}
	}
	given := normalizeAnswer(form.Get("tc"))
	textRight := subtle.ConstantTimeCompare([]byte(given), []byte(c.answer)) == 1
	if !textRight || (c.audio != "" && !digitsRight(form, c.audio)) { // hardness 3: both parts
		return answerResult{counts: true, message: msgWrong}
	}
	return answerResult{solved: true, hardness: c.hardness}
}

// answerMarker is the URL argument the challenge form posts to: it tells an
// answer from the site's own POSTs without reading their bodies, and it is
// removed again before the visitor is sent on.
const answerMarker = "captchaify-answer"

func isAnswer(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.Contains(r.URL.RawQuery, answerMarker+"=")
}

// readAnswerForm returns the posted form when the request carries an answer:
// a url-encoded POST with ct, within the size cap. Anything else is not an
// answer, and the visitor simply gets a challenge.
func readAnswerForm(r *http.Request) (form url.Values, present bool) {
	if r.Method != http.MethodPost || r.Body == nil {
		return nil, false
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxFormBytes+1))
	if err != nil || len(body) > maxFormBytes {
		return nil, false
	}
	form, err = url.ParseQuery(string(body))
	if err != nil {
		return nil, false
	}
	_, present = form["ct"]
	return form, present
}

// newChallenge is a fresh challenge of kind for this request, bound like
// every challenge to the page's path, the client's address prefix and its
// user agent, at the route's hardness.
func newChallenge(m *Middleware, r *http.Request, client clientAddr, p *prefs, now time.Time, kind, answer string) *challenge {
	return &challenge{
		id:       newChallengeID(),
		kind:     kind,
		hardness: p.hardness,
		issued:   now,
		path:     shortHash(sameSitePath(r.URL.Path)),
		client:   shortHash(bindingPrefix(client, m.cfg.tokenBinding)),
		agent:    shortHash(r.UserAgent()),
		answer:   answer,
	}
}
