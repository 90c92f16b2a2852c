package captchaify

// The image challenges: oneclick (click the one candidate that shows the
// reference's motif) and multiclick (tick every candidate that does).

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

const (
	typeOneclick   = "oneclick"
	typeMulticlick = "multiclick"
	// typeSeparator joins a type and its dataset: "oneclick_keys".
	typeSeparator = "_"
)

// Candidates per hardness (index 1–3) and, for multiclick, how many of them
// are right: blind guessing gets 1/6, 1/10, 1/16 (oneclick) and at best
// 1/108, 1/264, 1/2240 (multiclick) per try; see README.
var (
	oneclickCandidates   = [4]int{0, 6, 10, 16}
	multiclickCandidates = [4]int{0, 9, 12, 16}
	multiclickMinRight   = [4]int{0, 2, 2, 3}
	multiclickMaxRight   = [4]int{0, 4, 5, 6}
)

// defaultDataset is each image type's dataset when none is named.
func defaultDataset(base string) string {
	if base == typeMulticlick {
		return "animals"
	}
	return "keys"
}

// splitCaptchaType splits a canonical type ("oneclick_keys", "text").
func splitCaptchaType(t string) (base, dataset string) {
	if i := strings.Index(t, typeSeparator); i > 0 {
		return t[:i], t[i+1:]
	}
	return t, ""
}

// randN returns a uniform random number in [0, n) from crypto/rand.
func randN(n int) int {
	if n <= 1 {
		return 0
	}
	var b [4]byte
	limit := uint64(1<<32) - uint64(1<<32)%uint64(n) // rejection keeps it uniform
	for {
		if _, err := rand.Read(b[:]); err != nil {
			panic("captchaify: no randomness: " + err.Error())
		}
		if v := uint64(binary.BigEndian.Uint32(b[:])); v < limit {
			return int(v % uint64(n))
		}
	}
}

// imageChoice is one picture of a challenge: which keyword and image.
type imageChoice struct {
	kw  *datasetKeyword
	img *datasetImage
}

// buildImageChallenge picks the reference and the candidates. It returns
// the candidates and the indexes of the right ones (sorted).
func buildImageChallenge(d *dataset, base string, hardness int) (ref *imageChoice, cands []*imageChoice, right []int) {
	target := d.keywords[randN(len(d.keywords))]
	refIdx := randN(len(target.images))
	ref = &imageChoice{kw: target, img: target.images[refIdx]}

	n, k := oneclickCandidates[hardness], 1
	if base == typeMulticlick {
		n = multiclickCandidates[hardness]
		lo, hi := multiclickMinRight[hardness], multiclickMaxRight[hardness]
		k = lo + randN(hi-lo+1)
	}
	// The right candidates: other pictures of the target first, in random
	// order; the reference itself (differently obfuscated) only when the
	// keyword has no other.
	others := make([]*datasetImage, 0, len(target.images))
	for i, img := range target.images {
		if i != refIdx {
			others = append(others, img)
		}
	}
	shuffleImages(others)
	if len(others) == 0 {
		others = append(others, ref.img)
	}
	cands = make([]*imageChoice, n)
	slots := randomSlots(n, k)
	for i, slot := range slots {
		cands[slot] = &imageChoice{kw: target, img: others[i%len(others)]}
	}
	// Wrong candidates: keywords of other groups, distinct while there are
	// enough. Drawn at random (a few draws, not a shuffle of a dataset that
	// may hold a thousand keywords: interpreted loops are slow).
	need := n - k
	wrong := make([]*datasetKeyword, 0, need)
	seen := make(map[*datasetKeyword]bool, need)
	for tries := 0; len(wrong) < need && tries < 8*need+16; tries++ {
		kw := d.keywords[randN(len(d.keywords))]
		if kw.group != target.group && !seen[kw] {
			seen[kw] = true
			wrong = append(wrong, kw)
		}
	}
	if len(wrong) < need {
		// A small dataset: repeat keywords (with other pictures of them).
		var pool []*datasetKeyword
		for _, kw := range d.keywords {
			if kw.group != target.group {
				pool = append(pool, kw)
			}
		}
		for len(wrong) < need {
			wrong = append(wrong, pool[randN(len(pool))])
		}
	}
	// In multiclick the right candidates come as a group of look-alikes;
	// so that finding groups among the candidates alone does not give them
	// away, about half of the wrong keywords come twice too.
	w, again := 0, false
	for i := range cands {
		if cands[i] != nil {
			continue
		}
		var kw *datasetKeyword
		if again {
			kw, again = wrong[w-1], false
		} else {
			kw = wrong[w]
			w++
			again = base == typeMulticlick && randN(2) == 0
		}
		cands[i] = &imageChoice{kw: kw, img: kw.images[randN(len(kw.images))]}
	}
	sort.Ints(slots)
	return ref, cands, slots
}

// randomSlots returns k distinct random indexes in [0, n).
func randomSlots(n, k int) []int {
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := randN(i + 1)
		all[i], all[j] = all[j], all[i]
	}
	return all[:k]
}

func shuffleImages(s []*datasetImage) {
	for i := len(s) - 1; i > 0; i-- {
		j := randN(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}

// encodeIndexes writes the right candidates as the token's answer: "3",
// or "1,4,7".
func encodeIndexes(idx []int) string {
	parts := make([]string, len(idx))
	for i, v := range idx {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ",")
}

// decodeIndexes reads encodeIndexes' form; nil when malformed.
func decodeIndexes(s string) []int {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]int, 0, len(parts))
	for _, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 0 || v > 255 {
			return nil
		}
		out = append(out, v)
	}
	return out
}

// maxCandidates bounds the ciN fields read from a multiclick answer.
const maxCandidates = 32

// imageAnswerRight checks a oneclick (ci=N) or multiclick (ciN present for
// exactly the right N) answer against the token's answer.
func imageAnswerRight(kind, answer string, form url.Values) bool {
	want := decodeIndexes(answer)
	if len(want) == 0 {
		return false
	}
	if kind == typeOneclick {
		vals := form["ci"]
		if len(vals) != 1 {
			return false
		}
		v, err := strconv.Atoi(strings.TrimSpace(vals[0]))
		return err == nil && len(want) == 1 && v == want[0]
	}
	var ticked []int
	for key, vals := range form {
		if !strings.HasPrefix(key, "ci") {
			continue
		}
		v, err := strconv.Atoi(key[2:])
		if err != nil || v < 0 || v >= maxCandidates || strconv.Itoa(v) != key[2:] {
			return false
		}
		if len(vals) > 0 && vals[0] != "" {
			ticked = append(ticked, v)
		}
	}
	sort.Ints(ticked)
	if len(ticked) != len(want) {
		return false
	}
	for i := range want {
		if ticked[i] != want[i] {
			return false
		}
	}
	return true
}

// serveImageChallenge issues a oneclick or multiclick challenge and shows it.
func (m *Middleware) serveImageChallenge(rw http.ResponseWriter, r *http.Request, client clientAddr, p *prefs, now time.Time, errMsg string) {
	base, name := imageDataset(p)
	d := m.datasets[name]
	if d == nil {
		var err error
		if d, err = datasetFor(name, m.cfg.datasetDir, m.cfg.datasetSize); err != nil {
			m.imageRenderFailed(rw, name, err)
			return
		}
	}
	ref, cands, right := buildImageChallenge(d, base, p.hardness)
	refImg, err := renderChoice(ref, referenceSize, p.hardness)
	if err != nil {
		m.imageRenderFailed(rw, name, err)
		return
	}
	items := make([]map[string]interface{}, len(cands))
	count := strconv.Itoa(len(cands))
	data := m.challengeData(rw, r, errMsg) // pages.go
	alt := translated(data, "candidate_alt")
	for i, c := range cands {
		img, err := renderChoice(c, candidateSize, p.hardness)
		if err != nil {
			m.imageRenderFailed(rw, name, err)
			return
		}
		items[i] = map[string]interface{}{
			"Index": i,
			"Name":  "ci" + strconv.Itoa(i),
			"Image": img,
			"Src":   srcAttr(img),
			"Alt":   strings.ReplaceAll(strings.ReplaceAll(alt, "{index}", strconv.Itoa(i+1)), "{count}", count),
		}
	}
	c := newChallenge(m, r, client, p, now, base, encodeIndexes(right))
	countDecision(m.metrics, decisionChallenge)
	m.metrics.issuedChallenge(base, p.hardness)
	page := m.pagesFor(p).challengeOneclick
	if base == typeMulticlick {
		page = m.pagesFor(p).challengeMulticlick
	}
	fillT(data, base+"_reference_alt", "{count}", count)
	data["Action"] = m.answerAction(r)
	data["Token"] = m.keys.sealChallenge(c)
	data["Reference"] = refImg
	data["ReferenceSrc"] = srcAttr(refImg)
	data["ReferenceSize"] = referenceSize
	data["Candidates"] = items
	data["CandidateSize"] = candidateSize
	data["Count"] = len(cands)
	data["AudioAlternative"] = m.audioAlternative(r) // audiochallenge.go
	writePage(rw, page, m.cfg.challengeStatus, data)
}

func (m *Middleware) imageRenderFailed(rw http.ResponseWriter, dataset string, err error) {
	m.log.logf(levelError, "drawing an image challenge (dataset %s) failed: %v", dataset, err)
	countDecision(m.metrics, decisionError)
	http.Error(rw, "captchaify: the challenge could not be drawn, please reload", http.StatusServiceUnavailable)
}

// srcAttr is src="<data URL>" as a ready attribute: html/template would
// write every "+" of the base64 as "&#43;" in a URL attribute (6 % more
// page). The URL is base64 we made, so it needs no escaping.
func srcAttr(u template.URL) template.HTMLAttr {
	return template.HTMLAttr(`src="` + string(u) + `"`)
}

// renderChoice renders one picture as a data: URL.
func renderChoice(c *imageChoice, size, hardness int) (template.URL, error) {
	jpg, err := renderMotif(c.img, size, hardness)
	if err != nil {
		return "", err
	}
	return template.URL("data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(jpg)), nil
}

// rightIndexes returns the right candidates of an image challenge, nil for
// other kinds.
func rightIndexes(c *challenge) []int {
	if c.kind != typeOneclick && c.kind != typeMulticlick {
		return nil
	}
	return decodeIndexes(c.answer)
}
