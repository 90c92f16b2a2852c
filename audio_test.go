package captchaify

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"math"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/assets"
)

// wavSamples checks a clip's RIFF header (8-bit mono PCM at the asset
// rate) and returns its samples.
func wavSamples(t *testing.T, wav []byte) []byte {
	t.Helper()
	if len(wav) < wavHeaderSize || string(wav[0:4]) != "RIFF" || string(wav[8:16]) != "WAVEfmt " || string(wav[36:40]) != "data" {
		t.Fatalf("not a WAV file: % x", wav[:audioMinInt(len(wav), 44)])
	}
	le16 := func(o int) int { return int(binary.LittleEndian.Uint16(wav[o:])) }
	le32 := func(o int) int { return int(binary.LittleEndian.Uint32(wav[o:])) }
	if le32(4) != len(wav)-8 || le32(16) != 16 || le16(20) != 1 || le16(22) != 1 ||
		le32(24) != assets.AudioSampleRate || le32(28) != assets.AudioSampleRate || le16(32) != 1 || le16(34) != 8 {
		t.Fatalf("unexpected WAV header: % x", wav[:44])
	}
	n := le32(40)
	if n != len(wav)-wavHeaderSize || n%2 != 0 {
		t.Fatalf("data size %d for %d bytes after the header", n, len(wav)-wavHeaderSize)
	}
	return wav[wavHeaderSize:]
}

func audioMinInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// rms is the loudness of 8-bit unsigned samples around silence (128).
func rms(s []byte) float64 {
	var sum float64
	for _, v := range s {
		d := float64(v) - 128
		sum += d * d
	}
	return math.Sqrt(sum / float64(len(s)))
}

func TestAudioClipIsWAVOfTheRightLength(t *testing.T) {
	for h := 1; h <= 3; h++ {
		digits := newDigitAnswer(audioDigits[h])
		wav, err := renderAudioClip(digits, "en", h)
		if err != nil {
			t.Fatal(err)
		}
		pcm := wavSamples(t, wav)
		secs := float64(len(pcm)) / assets.AudioSampleRate
		// each digit is at least 0.1 s of speech, gaps at least 0.25 s
		min := float64(audioLeadMin+audioTail)/assets.AudioSampleRate + float64(len(digits))*0.1 + float64(len(digits)-1)*0.25
		if secs < min || secs > float64(len(digits))*2 {
			t.Errorf("hardness %d: %d digits last %.2f s, want %.2f–%d s", h, len(digits), secs, min, len(digits)*2)
		}
	}
}

func TestAudioClipSpeechStandsAboveTheNoise(t *testing.T) {
	power := func(s []byte) float64 {
		var sum float64
		for _, v := range s {
			d := float64(v) - 128
			sum += d * d
		}
		return sum
	}
	snr := make([]float64, 4)
	for h := 1; h <= 3; h++ {
		// power of the digits (speech and noise) and of the gaps (noise
		// only), summed over 40 renders: single clips vary with the
		// stretch of babble they get
		var speech, gaps float64
		var nSpeech, nGaps int
		for i := 0; i < 40; i++ {
			wav, spans, err := renderAudioSpans("0123456789", "en", h)
			if err != nil {
				t.Fatal(err)
			}
			pcm := wavSamples(t, wav)
			at := 0
			for _, s := range spans {
				gaps += power(pcm[at:s[0]])
				nGaps += s[0] - at
				speech += power(pcm[s[0] : s[0]+s[1]])
				nSpeech += s[1]
				at = s[0] + s[1]
			}
			gaps += power(pcm[at:])
			nGaps += len(pcm) - at
		}
		noise := gaps / float64(nGaps)
		if noise < 1 {
			t.Fatalf("hardness %d: no noise between the digits (power %.2f)", h, noise)
		}
		snr[h] = 10 * math.Log10((speech/float64(nSpeech)-noise)/noise)
		t.Logf("hardness %d: speech %.1f dB above the noise", h, snr[h])
		// clear for a person (digits-in-noise tests put normal hearing's
		// threshold near −10 dB), yet never clean
		if snr[h] < 5 || snr[h] > 20 {
			t.Errorf("hardness %d: speech %.1f dB above the noise, want 5–20 dB", h, snr[h])
		}
	}
	if snr[1] < snr[3]+1 {
		t.Errorf("noise does not rise with hardness: %.1f, %.1f, %.1f dB", snr[1], snr[2], snr[3])
	}
}

func TestAudioClipDiffersPerRender(t *testing.T) {
	a, err := renderAudioClip("314159", "en", 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := renderAudioClip("314159", "en", 2)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Fatal("two renders of the same digits are identical")
	}
	// not only the layout: the same stretch differs too (fresh noise)
	n := audioMinInt(len(a), len(b))
	if bytes.Equal(a[wavHeaderSize:wavHeaderSize+audioLeadMin], b[wavHeaderSize:wavHeaderSize+audioLeadMin]) || n < wavHeaderSize+audioLeadMin {
		t.Fatal("the noise before the first digit is the same in two renders")
	}
}

func TestAudioDataURLDecodes(t *testing.T) {
	u, err := audioDataURL("4711", "de", 1)
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "data:audio/wav;base64,"
	if !strings.HasPrefix(string(u), prefix) {
		t.Fatalf("not a WAV data URL: %.40s", u)
	}
	wav, err := base64.StdEncoding.DecodeString(string(u)[len(prefix):])
	if err != nil {
		t.Fatal(err)
	}
	wavSamples(t, wav)
}

// Every language of the pages has recorded digits (or English's), and
// every recording is a plausible spoken digit.
func TestAudioVoicesOfEveryLanguage(t *testing.T) {
	for _, text := range assets.Languages {
		code := parseKeyValues(text)["code"]
		if code == "" {
			t.Fatalf("a language without code: %.40s", text)
		}
		if assets.AudioDigits(code) == "" {
			t.Logf("%s: no voice, English digits", code)
		}
		v, err := voiceFor(code)
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		for d, variants := range v.clips {
			if len(variants) < 2 {
				t.Errorf("%s: digit %d has %d variants, want several", code, d, len(variants))
			}
			for k, c := range variants {
				secs := float64(len(c)) / assets.AudioSampleRate
				if secs < 0.1 || secs > 2 || rms(c) < 6 {
					t.Errorf("%s: digit %d variant %d: %.2f s, rms %.1f: not a spoken digit", code, d, k, secs, rms(c))
				}
				if k > 0 && bytes.Equal(c, variants[0]) {
					t.Errorf("%s: digit %d variant %d equals variant 0", code, d, k)
				}
			}
		}
	}
}

func TestAudioDigitsDifferBetweenDigits(t *testing.T) {
	v, err := voiceFor("en")
	if err != nil {
		t.Fatal(err)
	}
	for d := 1; d < 10; d++ {
		if bytes.Equal(v.clips[d][0], v.clips[0][0]) {
			t.Errorf("digit %d sounds exactly like digit 0", d)
		}
	}
}

func TestDecodeVoiceRefusesBadAssets(t *testing.T) {
	good := assets.AudioDigits("en")
	raw, _ := base64.StdEncoding.DecodeString(good)
	bad := []string{
		"",
		"!!!not base64",
		base64.StdEncoding.EncodeToString([]byte{3}),
		base64.StdEncoding.EncodeToString([]byte{0, 24}),
		base64.StdEncoding.EncodeToString(raw[:len(raw)/2]),                  // truncated bzip2
		base64.StdEncoding.EncodeToString(append(raw[:2:2], raw[26:60]...)),  // levels cut short
		base64.StdEncoding.EncodeToString(append([]byte{9, 24}, raw[2:]...)), // more variants than stored
	}
	for i, b := range bad {
		if _, err := decodeVoice(b, speechLevel); err == nil {
			t.Errorf("bad asset %d decoded", i)
		}
	}
	if _, err := decodeVoice(good, speechLevel); err != nil {
		t.Fatalf("the English asset: %v", err)
	}
}

func TestNormalizeDigits(t *testing.T) {
	cases := map[string]string{
		"123 456":     "123456",
		" 12-34.56 ":  "123456",
		"٣٤٥":         "345", // Arabic-Indic
		"۱۲۳":         "123", // Persian
		"४२":          "42",  // Devanagari
		"০৯":          "09",  // Bengali
		"௭":           "7",   // Tamil
		"๑๒":          "12",  // Thai
		"０１２":         "012", // fullwidth
		"12a":         "12a", // a letter stays, and is wrong
		"1\u00a02\t3": "123", // no-break space, tab
		"":            "",    //
		"\xff1":       "\uFFFD1",
	}
	for in, want := range cases {
		if got := normalizeDigits(in); got != want {
			t.Errorf("normalizeDigits(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewDigitAnswer(t *testing.T) {
	seen := map[byte]bool{}
	for i := 0; i < 50; i++ {
		a := newDigitAnswer(10)
		if len(a) != 10 || strings.Trim(a, "0123456789") != "" {
			t.Fatalf("newDigitAnswer(10) = %q", a)
		}
		for j := 0; j < len(a); j++ {
			seen[a[j]] = true
		}
	}
	if len(seen) != 10 {
		t.Errorf("500 random digits used only %d of 10 digits", len(seen))
	}
}

func TestChallengeArgument(t *testing.T) {
	r := httptest.NewRequest("GET", "/p?a=1&captchaify-challenge=audio&b=2", nil)
	if !wantsAudio(r) {
		t.Error("captchaify-challenge=audio not seen")
	}
	for _, u := range []string{"/p?captchaify-challenge=text", "/p?x=captchaify-challenge", "/p"} {
		if wantsAudio(httptest.NewRequest("GET", u, nil)) {
			t.Errorf("%s asks for audio", u)
		}
	}
	cases := map[string]string{
		"/p?a=1&captchaify-challenge=audio&b=2": "/p?a=1&b=2",
		"/p?captchaify-challenge=audio":         "/p",
		"/p?a=1":                                "/p?a=1",
		"/p":                                    "/p",
	}
	for in, want := range cases {
		if got := withoutChallengeArg(in); got != want {
			t.Errorf("withoutChallengeArg(%q) = %q, want %q", in, got, want)
		}
	}
}

// The clip assembly costs native calls, not interpreted per-sample loops:
// compiled, a 14-digit clip takes well under a millisecond (Yaegi figures:
// tools/bench, BENCHMARKS.md).
func BenchmarkAudioClip(b *testing.B) {
	if _, err := renderAudioClip("1", "en", 3); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := renderAudioClip("01234567890123", "en", 3); err != nil {
			b.Fatal(err)
		}
	}
}

// addDelta's image/draw trick must add every sample's delta exactly,
// including every 4th sample (the alpha byte of the first pass).
func TestAddDeltaAddsEverySampleExactly(t *testing.T) {
	if err := babbleBed(); err != nil {
		t.Fatal(err)
	}
	decode := func(b byte) int { // deltaByte's inverse
		if b > 127 {
			return int(b) - 255
		}
		return int(b)
	}
	const n = 4000
	base := make([]byte, n, n+4)
	for i := range base {
		base[i] = byte(40 + (i*37)%176) // any speech level within the headroom
	}
	for _, from := range []int{0, 4, 4 * 1234, audioBedLength - n} {
		pcm := append(make([]byte, 0, n+4), base...)
		addDelta(pcm, 0, from, n)
		nonzero := 0
		for i := 0; i < n; i++ {
			delta := decode(bedA[from+i])
			if i%4 == 3 {
				delta = decode(bedB[from+i])
				if bedA[from+i] != 0 {
					t.Fatalf("bedA carries sample %d of 4", i%4)
				}
			} else if bedB[from+i] != 0 {
				t.Fatalf("bedB carries sample %d of 4", i%4)
			}
			if delta != 0 {
				nonzero++
			}
			if got, want := int(pcm[i]), int(base[i])+delta; got != want {
				t.Fatalf("from %d, sample %d: %d + %d gave %d", from, i, base[i], delta, got)
			}
		}
		if nonzero < n/10 && from != audioBedLength-n {
			t.Errorf("from %d: only %d of %d samples carry babble", from, nonzero, n)
		}
	}
}

// Speech, babble and noise together never leave 8 bits: the loudest
// speech plus the loudest babble stay within 1–254, and the noise only
// rewrites the lowest 3 bits.
func TestAudioHeadroom(t *testing.T) {
	lo, hi := 255, 0
	for v := 0; v < 256; v++ {
		s := int(speechLevel(byte(v)))
		lo, hi = audioMinInt(lo, s), audioMaxInt(hi, s)
	}
	var dlo, dhi int
	for v := 0; v < 256; v++ {
		d := int(babbleLevel(byte(v)))
		if d > 127 {
			d -= 255
		}
		dlo, dhi = audioMinInt(dlo, d), audioMaxInt(dhi, d)
	}
	if lo+dlo < 1 || hi+dhi > 254 {
		t.Errorf("speech %d–%d plus babble %d–%d leaves 8 bits", lo, hi, dlo, dhi)
	}
	for h := 1; h <= 3; h++ {
		if whiteBitsMin[h]+whiteBitsSpan[h] > 3 {
			t.Errorf("hardness %d rewrites more than 3 bits", h)
		}
	}
}

func audioMaxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// The digits are spoken by the page language's voice: each span of a
// clip is one of that voice's recordings of the digit, under the noise.
func TestAudioClipSpeaksTheLanguage(t *testing.T) {
	for _, lang := range []string{"de", "ja", "zh-Hant", "xx"} {
		v, err := voiceFor(lang)
		if err != nil {
			t.Fatal(err)
		}
		want := lang
		if lang == "xx" {
			want = "en" // no voice: English
		}
		if w, _ := voiceFor(want); w != v {
			t.Errorf("%s: voice is not %s's", lang, want)
		}
		wav, spans, err := renderAudioSpans("3141592", lang, 3)
		if err != nil {
			t.Fatal(err)
		}
		pcm := wavSamples(t, wav)
		for i, s := range spans {
			seg := pcm[s[0] : s[0]+s[1]]
			best := 1e9
			for _, c := range v.clips["3141592"[i]-'0'] {
				if len(c) != len(seg) {
					continue
				}
				var diff float64
				for j := range c {
					diff += math.Abs(float64(c[j]) - float64(seg[j]))
				}
				best = math.Min(best, diff/float64(len(c)))
			}
			// babble (±26) and noise (3 bits) move a sample by a few steps
			if best > 12 {
				t.Errorf("%s: digit %d is no recording of %c in that language (mean difference %.1f)", lang, i, "3141592"[i], best)
			}
		}
	}
	if audioLanguage(map[string]interface{}{"Lang": "fi"}) != "fi" || audioLanguage(map[string]interface{}{}) != "en" {
		t.Error("audioLanguage does not take the page's Lang")
	}
}

// Clips render concurrently, languages unpacking on first use (run with
// -race).
func TestAudioClipsConcurrently(t *testing.T) {
	langs := []string{"fi", "ko", "sw", "fi", "ko", "sw", "en", "pl"}
	errs := make(chan error, len(langs))
	for _, l := range langs {
		go func(lang string) {
			_, err := renderAudioClip("0123456789", lang, 2)
			errs <- err
		}(l)
	}
	for range langs {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
