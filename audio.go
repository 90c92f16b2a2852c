package captchaify

// The audio challenge: spoken digits in the visitor's language, as a WAV
// clip in an <audio controls> element. The digits were recorded at build
// time (espeak-ng, tools/cmd/genaudio) in a few voices, pitches and speeds;
// a clip is assembled from whole recordings with copy(), babble is added
// with image/draw and white noise with crypto/subtle.XORBytes, so no
// per-sample loop runs under Yaegi.

import (
	"bytes"
	"compress/bzip2"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"html/template"
	"image"
	"image/draw"
	"io"
	"math"
	"strings"
	"sync"

	"github.com/captchaify/captchaify/assets"
)

const typeAudio = "audio"

// audioDigits is the digit count of an audio challenge per hardness (index
// 1–3): blind guessing gets 1 in 10^6, 10^8, 10^10 per try.
var audioDigits = [4]int{0, 6, 8, 10}

// A text challenge at hardness 3 also asks for 9–14 spoken digits (seed).
const (
	textAudioMinDigits = 9
	textAudioMaxDigits = 14
)

// audioFallbackLanguage speaks for the languages without a voice.
const audioFallbackLanguage = "en"

// newDigitAnswer returns n random digits.
func newDigitAnswer(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '0' + byte(randIndex(10))
	}
	return string(b)
}

// digitZeros are the zeros of the decimal digit scripts the languages of
// the pages write in: a visitor may type ٣ or ३ instead of 3.
var digitZeros = []rune{
	'\u0660', // Arabic-Indic
	'\u06f0', // Extended Arabic-Indic (Persian, Urdu)
	'\u0966', // Devanagari
	'\u09e6', // Bengali
	'\u0be6', // Tamil
	'\u0e50', // Thai
	'\uff10', // fullwidth (Chinese, Japanese, Korean input)
}

// normalizeDigits makes a typed digit answer comparable: spaces, dashes and
// dots never count, and digits of other scripts read as ASCII digits.
func normalizeDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			continue
		case r == ' ' || r == '-' || r == '.' || r == ',' || r == '\t' || r == '\u00a0':
			continue
		}
		mapped := false
		for _, z := range digitZeros {
			if r >= z && r <= z+9 {
				b.WriteByte(byte('0' + r - z))
				mapped = true
				break
			}
		}
		if !mapped {
			b.WriteRune(r) // anything else stays, and makes the answer wrong
		}
	}
	return b.String()
}

// digitVoice holds a language's recorded digits: clips[d] are the variants
// of digit d, as 8-bit unsigned PCM for the clip (or, for the babble bed,
// as babble deltas: see addDelta).
type digitVoice struct {
	clips [10][][]byte
}

// speechGain scales the recordings down so that babble added on top can
// never overflow 8 bits: peaks stay within 128±93, babble within ±26.
const (
	speechGain = 0.75
	babbleGain = 0.2
)

var (
	voicesMu sync.Mutex
	voices   = map[string]*digitVoice{}
)

// voiceFor returns the recorded digits of a language, or English ones when
// it has none; a language is unpacked on its first use.
func voiceFor(lang string) (*digitVoice, error) {
	data := assets.AudioDigits(lang)
	if data == "" {
		lang = audioFallbackLanguage
		data = assets.AudioDigits(lang)
	}
	voicesMu.Lock()
	defer voicesMu.Unlock()
	if v := voices[lang]; v != nil {
		return v, nil
	}
	v, err := decodeVoice(data, speechLevel)
	if err != nil {
		return nil, err
	}
	voices[lang] = v
	return v, nil
}

// speechLevel maps a stored PCM value to the clip's, scaled by speechGain.
func speechLevel(pcm byte) byte {
	return byte(128 + int(math.Round(float64(int(pcm)-128)*speechGain)))
}

// babbleLevel maps a stored PCM value to a babble delta (addDelta).
func babbleLevel(pcm byte) byte {
	return deltaByte(int(math.Round(float64(int(pcm)-128) * babbleGain)))
}

var errBadAudioAsset = errors.New("audio digits: malformed asset")

// decodeVoice reads the format of assets.AudioDigits: base64, bzip2 and a
// byte table from level indexes to samples (a strings.Replacer of single
// bytes, which maps natively; level gives each stored PCM value's sample),
// then slices the clips.
func decodeVoice(data string, level func(byte) byte) (*digitVoice, error) {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil || len(raw) < 2 {
		return nil, errBadAudioAsset
	}
	variants, levels := int(raw[0]), int(raw[1])
	if variants == 0 || len(raw) < 2+levels {
		return nil, errBadAudioAsset
	}
	payload, err := io.ReadAll(bzip2.NewReader(bytes.NewReader(raw[2+levels:])))
	if err != nil {
		return nil, errBadAudioAsset
	}
	pairs := make([]string, 0, 2*levels)
	for i := 0; i < levels; i++ {
		pairs = append(pairs, string([]byte{byte(i)}), string([]byte{level(raw[2+i])}))
	}
	pcm := []byte(strings.NewReplacer(pairs...).Replace(string(payload)))
	v := &digitVoice{}
	off := 0
	for d := 0; d < 10; d++ {
		v.clips[d] = make([][]byte, variants)
		for k := 0; k < variants; k++ {
			if off+2 > len(payload) {
				return nil, errBadAudioAsset
			}
			n := int(binary.BigEndian.Uint16(payload[off:]))
			off += 2
			if n == 0 || off+n > len(payload) {
				return nil, errBadAudioAsset
			}
			v.clips[d][k] = pcm[off : off+n : off+n]
			off += n
		}
	}
	if off != len(payload) {
		return nil, errBadAudioAsset
	}
	return v, nil
}

// Clip layout, in samples at assets.AudioSampleRate (8 kHz).
const (
	audioLeadMin   = 2400 // 0.3 s before the first digit …
	audioLeadSpan  = 2400 // … up to 0.6 s
	audioGapMin    = 2000 // 0.25 s between digits …
	audioGapSpan   = 4000 // … up to 0.75 s
	audioTail      = 2400
	audioBedLength = 16 * 8000 // the babble bed: 16 s, a multiple of 4
	wavHeaderSize  = 44
)

// whiteBits per hardness (index 1–3): each render replaces the lowest 2,
// 2–3 or 3 bits of every sample with fresh random ones (white noise about
// 16 dB or 10 dB below the speech); the babble bed adds another voice
// about 11 dB below it.
var (
	whiteBitsMin  = [4]int{0, 2, 2, 3}
	whiteBitsSpan = [4]int{0, 0, 1, 0}
)

var (
	bedOnce sync.Once
	bedA    []byte // babble deltas, but 0 at every 4th sample (3 mod 4)
	bedB    []byte // babble deltas of those samples only, 0 elsewhere
	silence []byte // 128s, copied to clear a clip
	lowBits [5]*strings.Replacer
	bedErr  error
)

// babbleBed builds, once per process, a long bed of random English digits
// spoken back to back, as deltas for addDelta, and the byte tables that
// keep the low bits of random bytes.
func babbleBed() error {
	bedOnce.Do(func() {
		v, err := decodeVoice(assets.AudioDigits(audioFallbackLanguage), babbleLevel)
		if err != nil {
			bedErr = err
			return
		}
		bed := make([]byte, audioBedLength+4)
		// (not "for pos := …; ; {": Yaegi never leaves that loop)
		pos := randN(audioGapMin)
		for {
			variants := v.clips[randIndex(10)]
			clip := variants[randIndex(len(variants))]
			if pos+len(clip) > audioBedLength {
				break
			}
			copy(bed[pos:], clip)
			pos += len(clip) + randN(audioGapMin)
		}
		// The samples addDelta's second pass adds (see there).
		b := make([]byte, len(bed))
		for i := 3; i < audioBedLength; i += 4 {
			b[i] = bed[i]
			bed[i] = 0
		}
		for k := 2; k < len(lowBits); k++ {
			pairs := make([]string, 0, 512)
			for i := 0; i < 256; i++ {
				pairs = append(pairs, string([]byte{byte(i)}), string([]byte{byte(i) & byte(1<<k-1)}))
			}
			lowBits[k] = strings.NewReplacer(pairs...)
		}
		silence = bytes.Repeat([]byte{128}, audioBedLength)
		bedA, bedB = bed, b
	})
	return bedErr
}

// deltaByte encodes a signed delta for addDelta: image/draw adds the bytes
// as (d+s)·257/256, so a negative delta wraps one higher than two's
// complement would.
func deltaByte(delta int) byte {
	if delta < 0 {
		return byte(255 + delta)
	}
	return byte(delta)
}

// rgbaRow views bytes as a one-row RGBA image of len(pix)/4 pixels.
func rgbaRow(pix []byte) *image.RGBA {
	return &image.RGBA{Pix: pix, Stride: len(pix), Rect: image.Rect(0, 0, len(pix)/4, 1)}
}

// addDelta adds babble deltas to PCM natively: image/draw composes an RGBA
// source whose alpha bytes are 0 "over" the destination as d + s on the
// red, green and blue bytes, and leaves the alpha byte. The first pass adds
// bedA to the samples 0–2 of every 4; the second views both one pixel
// shifted by 3 bytes, so that sample 3 is the red byte, and adds bedB,
// which is 0 everywhere else. pcm and the bed need 4 bytes of capacity
// past the n samples; at, from and n are multiples of 4.
func addDelta(pcm []byte, at, from, n int) {
	draw.Draw(rgbaRow(pcm[at:at+n]), image.Rect(0, 0, n/4, 1), rgbaRow(bedA[from:from+n]), image.Point{}, draw.Over)
	draw.Draw(rgbaRow(pcm[at+3:at+3+n]), image.Rect(0, 0, n/4, 1), rgbaRow(bedB[from+3:from+3+n]), image.Point{}, draw.Over)
}

// renderAudioClip speaks digits in a language as an 8 kHz 8-bit mono WAV
// file: each digit in a random variant, random gaps, a random stretch of
// the babble bed and fresh white noise. No two renders are alike.
func renderAudioClip(digits, lang string, hardness int) ([]byte, error) {
	wav, _, err := renderAudioSpans(digits, lang, hardness)
	return wav, err
}

// renderAudioSpans is renderAudioClip that also returns where each digit
// starts, in samples, and how long it is (for tests).
func renderAudioSpans(digits, lang string, hardness int) ([]byte, [][2]int, error) {
	if hardness < 1 || hardness > 3 {
		hardness = 2
	}
	v, err := voiceFor(lang)
	if err != nil {
		return nil, nil, err
	}
	if err := babbleBed(); err != nil {
		return nil, nil, err
	}
	spans := make([][2]int, len(digits))
	segs := make([][]byte, len(digits))
	n := audioLeadMin + randN(audioLeadSpan)
	for i := 0; i < len(digits); i++ {
		d := int(digits[i]) - '0'
		if d < 0 || d > 9 {
			return nil, nil, errors.New("audio: not a digit")
		}
		if i > 0 {
			n += audioGapMin + randN(audioGapSpan)
		}
		segs[i] = v.clips[d][randIndex(len(v.clips[d]))]
		spans[i] = [2]int{n, len(segs[i])}
		n += len(segs[i])
	}
	n += audioTail
	n += (4 - n%4) % 4 // whole RGBA pixels (and an even RIFF chunk)
	wav := make([]byte, wavHeaderSize+n, wavHeaderSize+n+4)
	writeWAVHeader(wav, n)
	pcm := wav[wavHeaderSize : wavHeaderSize+n : wavHeaderSize+n+4]
	for at := 0; at < n; at += len(silence) {
		copy(pcm[at:], silence)
	}
	for i, s := range segs {
		copy(pcm[spans[i][0]:], s)
	}
	// babble from a random point of the bed, wrapping around
	for at, from := 0, 4*randN(audioBedLength/4); at < n; from = 0 {
		chunk := audioBedLength - from
		if chunk > n-at {
			chunk = n - at
		}
		addDelta(pcm, at, from, chunk)
		at += chunk
	}
	noise := make([]byte, n)
	if _, err := rand.Read(noise); err != nil {
		return nil, nil, err
	}
	bits := whiteBitsMin[hardness] + randN(whiteBitsSpan[hardness]+1)
	subtle.XORBytes(pcm, pcm, []byte(lowBits[bits].Replace(string(noise))))
	return wav, spans, nil
}

// writeWAVHeader writes the RIFF header of n samples of 8-bit mono PCM.
func writeWAVHeader(b []byte, n int) {
	rate := uint32(assets.AudioSampleRate)
	copy(b[0:], "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1) // PCM
	binary.LittleEndian.PutUint16(b[22:], 1) // mono
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], rate) // bytes per second
	binary.LittleEndian.PutUint16(b[32:], 1)    // bytes per frame
	binary.LittleEndian.PutUint16(b[34:], 8)    // bits per sample
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(n))
}

// audioDataURL renders digits as a WAV data: URL for <audio src>.
func audioDataURL(digits, lang string, hardness int) (template.URL, error) {
	wav, err := renderAudioClip(digits, lang, hardness)
	if err != nil {
		return "", err
	}
	return template.URL("data:audio/wav;base64," + base64.StdEncoding.EncodeToString(wav)), nil
}
