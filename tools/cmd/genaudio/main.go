// Command genaudio records the spoken digits of the audio challenge at
// build time.
//
// For every language of assets/i18n.go it asks espeak-ng (the Debian
// package espeak-ng) to speak the digits 0–9 in a few voices, pitches and
// speeds, trims the silence, resamples to 8 kHz, normalises the loudness,
// quantises to 23 companded levels of 8-bit unsigned mono PCM, packs them
// with bzip2 and writes one Go file per language voice,
// assets/audio_<code>.go, holding the recordings as one base64 raw-string
// constant, plus assets/audio.go, which maps language codes to them. A
// language without an espeak-ng voice gets English (it is left out of the
// table). The plugin unpacks with native standard-library calls and only
// copies and mixes whole segments at run time: no per-sample loop runs
// inside Traefik's Yaegi interpreter.
//
// espeak-ng is GPL-3.0 software; the sounds it outputs are not covered by
// its licence (see assets/AUDIO-LICENSES.md).
//
// Usage (from the tools module):
//
//	go run ./cmd/genaudio -out ../assets
//
// The output is deterministic for one espeak-ng version.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// sampleRate of the stored recordings: telephone quality, enough for digits.
const sampleRate = 8000

// voiceFor maps each language code of assets/i18n.go to its espeak-ng voice.
// Codes missing here fall back to English at run time.
var voiceFor = map[string]string{
	"en": "en-us", "de": "de", "fr": "fr-fr", "es": "es-419", "it": "it",
	"pt": "pt-br", "nl": "nl", "pl": "pl", "ru": "ru", "uk": "uk", "cs": "cs",
	"sk": "sk", "sl": "sl", "hr": "hr", "sr": "sr", "bg": "bg", "ro": "ro",
	"hu": "hu", "el": "el", "tr": "tr", "sv": "sv", "da": "da", "nb": "nb",
	"fi": "fi", "et": "et", "lv": "lv", "lt": "lt", "ar": "ar", "he": "he",
	"fa": "fa", "ur": "ur", "hi": "hi", "bn": "bn", "ta": "ta", "th": "th",
	"vi": "vi", "id": "id", "ms": "ms", "zh-Hans": "cmn", "ja": "ja",
	"ko": "ko", "sw": "sw", "ca": "ca",
}

// aliasOf: languages that share another's recordings (Mandarin digits for
// Traditional Chinese, whose largest audience reads Mandarin).
var aliasOf = map[string]string{"zh-Hant": "zh-Hans"}

// spokenDigit overrides what espeak-ng is given for a digit: Hebrew numerals
// are not read by espeak-ng 1.51, and unpointed number words come out
// wrong, so Hebrew gets phonemes ([[…]] is espeak-ng's phoneme input).
var spokenDigit = map[string][10]string{
	"he": {"[[?'efes]]", "[['aXat]]", "[[St'ajim]]", "[[Sal'oS]]", "[[aQ\"b'a]]",
		"[[Xam'eS]]", "[[S'eS]]", "[[S'eva]]", "[[Sm'one]]", "[[t'eSa]]"},
}

// variant is one way of speaking: an espeak-ng voice variant, pitch (0–99)
// and speed (words per minute). The plugin picks one per digit at random.
type variant struct {
	voice string
	pitch int
	speed int
}

var variants = []variant{
	{"m3", 35, 165},
	{"f2", 65, 180},
	{"m1", 50, 195},
}

// levels and mu define the stored quantiser: levels steps (an odd number,
// so that silence is one of them), companded like µ-law (finer near
// silence), about 19 dB signal to quantisation noise,
// well above the noise the plugin mixes in. The plugin maps the stored
// level indexes back to 8-bit PCM with a byte table (strings.Replacer),
// natively; bzip2 (compress/bzip2, native too) packs the indexes.
const (
	levels = 23
	mu     = 60.0
)

func main() {
	out := flag.String("out", "../assets", "assets directory")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "genaudio:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		return errors.New("espeak-ng not found: apt-get install espeak-ng")
	}
	codes, err := languageCodes(dir)
	if err != nil {
		return err
	}
	var recorded, english []string
	total := 0
	for _, code := range codes {
		voice, ok := voiceFor[code]
		if !ok {
			if _, alias := aliasOf[code]; !alias {
				english = append(english, code)
			}
			continue
		}
		blob, err := recordLanguage(code, voice)
		if err != nil {
			return fmt.Errorf("%s: %w", code, err)
		}
		n, err := writeLanguage(dir, code, voice, blob)
		if err != nil {
			return err
		}
		total += n
		recorded = append(recorded, code)
	}
	n, err := writeIndex(dir, recorded, english)
	if err != nil {
		return err
	}
	total += n
	fmt.Printf("genaudio: %d languages recorded, on English: %s%s; %d bytes of Go source\n",
		len(recorded), strings.Join(english, " "), none(english), total)
	return nil
}

// languageCodes reads the code= line of every assets/i18n_*.go.
func languageCodes(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "i18n_*.go"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no language files in %s", dir)
	}
	codeLine := regexp.MustCompile("(?m)= `code=([A-Za-z-]+)$")
	var codes []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		m := codeLine.FindSubmatch(b)
		if m == nil {
			return nil, fmt.Errorf("%s: no code= line", f)
		}
		codes = append(codes, string(m[1]))
	}
	sort.Strings(codes)
	return codes, nil
}

// recordLanguage returns a language's blob (format in writeIndex's doc).
func recordLanguage(code, voice string) ([]byte, error) {
	var payload bytes.Buffer
	for d := 0; d < 10; d++ {
		text := fmt.Sprint(d)
		if words, ok := spokenDigit[code]; ok {
			text = words[d]
		}
		for _, v := range variants {
			pcm, err := speak(voice+"+"+v.voice, v.pitch, v.speed, text)
			if err != nil {
				return nil, err
			}
			clip := quantise(toStored(pcm))
			if len(clip) < sampleRate/10 || len(clip) > 0xffff {
				return nil, fmt.Errorf("digit %d (%s): %d samples: not a spoken digit", d, v.voice, len(clip))
			}
			var n [2]byte
			binary.BigEndian.PutUint16(n[:], uint16(len(clip)))
			payload.Write(n[:])
			payload.Write(clip)
		}
	}
	packed, err := bzip2(payload.Bytes())
	if err != nil {
		return nil, err
	}
	pal := palette()
	blob := append([]byte{byte(len(variants)), byte(len(pal))}, pal...)
	return append(blob, packed...), nil
}

// palette is the 8-bit PCM value of each stored level.
func palette() []byte {
	p := make([]byte, levels)
	for k := range p {
		p[k] = byte(math.Round(128 + 127*expand(-1+2*float64(k)/(levels-1))))
	}
	return p
}

func compress(x float64) float64 {
	return math.Copysign(math.Log1p(mu*math.Abs(x))/math.Log1p(mu), x)
}

func expand(y float64) float64 {
	return math.Copysign((math.Pow(1+mu, math.Abs(y))-1)/mu, y)
}

// quantise maps samples in [-1, 1] to the nearest stored level.
func quantise(s []float64) []byte {
	pal := palette()
	out := make([]byte, len(s))
	for i, v := range s {
		k := int(math.Round((compress(v) + 1) / 2 * (levels - 1)))
		// the nearest level in the 8-bit output, not only in the companded domain
		best, want := k, 128+127*v
		for _, c := range []int{k - 1, k + 1} {
			if c >= 0 && c < levels && math.Abs(float64(pal[c])-want) < math.Abs(float64(pal[best])-want) {
				best = c
			}
		}
		out[i] = byte(best)
	}
	return out
}

// bzip2 packs with Debian's bzip2 (the Go standard library only unpacks).
func bzip2(b []byte) ([]byte, error) {
	cmd := exec.Command("bzip2", "-9", "-c")
	cmd.Stdin = bytes.NewReader(b)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("bzip2: %w", err)
	}
	return out, nil
}

// speak runs espeak-ng and returns its 16-bit mono samples and their rate.
type pcm16 struct {
	rate    int
	samples []float64
}

func speak(voice string, pitch, speed int, text string) (pcm16, error) {
	cmd := exec.Command("espeak-ng", "--stdout", "-v", voice, "-p", fmt.Sprint(pitch), "-s", fmt.Sprint(speed), text)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	wav, err := cmd.Output()
	if err != nil {
		return pcm16{}, fmt.Errorf("espeak-ng -v %s: %v %s", voice, err, stderr.String())
	}
	return parseWAV(wav)
}

// parseWAV reads espeak-ng's 16-bit mono PCM WAV (its data size field is
// left unset when writing to a pipe, so the data runs to the end).
func parseWAV(b []byte) (pcm16, error) {
	if len(b) < 44 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return pcm16{}, errors.New("espeak-ng output is not a WAV")
	}
	var p pcm16
	for i := 12; i+8 <= len(b); {
		id, size := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		body := b[i+8:]
		switch id {
		case "fmt ":
			if binary.LittleEndian.Uint16(body[0:2]) != 1 || binary.LittleEndian.Uint16(body[2:4]) != 1 || binary.LittleEndian.Uint16(body[14:16]) != 16 {
				return pcm16{}, errors.New("espeak-ng output is not 16-bit mono PCM")
			}
			p.rate = int(binary.LittleEndian.Uint32(body[4:8]))
		case "data":
			if size > len(body) || size == 0 || size == -1 || uint32(size) == 0xffffffff {
				size = len(body)
			}
			body = body[:size&^1]
			p.samples = make([]float64, len(body)/2)
			for j := range p.samples {
				p.samples[j] = float64(int16(binary.LittleEndian.Uint16(body[2*j:]))) / 32768
			}
			return p, nil
		}
		i += 8 + size + size&1
	}
	return pcm16{}, errors.New("espeak-ng output has no data")
}

// toStored trims the silence, resamples to sampleRate and normalises the
// loudness; samples stay in [-1, 1].
func toStored(p pcm16) []float64 {
	s := resample(trim(p.samples, p.rate), p.rate, sampleRate)
	// Loudness: scale to a common RMS, limited so the peak stays in range.
	var sum, peak float64
	for _, v := range s {
		sum += v * v
		peak = math.Max(peak, math.Abs(v))
	}
	if peak == 0 {
		return nil
	}
	gain := math.Min(0.25/math.Sqrt(sum/float64(len(s))), 0.97/peak)
	fade := sampleRate / 200 // 5 ms fades: no clicks at the joins
	for i := range s {
		s[i] *= gain
		if i < fade {
			s[i] *= float64(i) / float64(fade)
		}
		if j := len(s) - 1 - i; j < fade {
			s[i] *= float64(j) / float64(fade)
		}
	}
	return s
}

// trim cuts leading and trailing silence, keeping 10 ms of margin.
func trim(s []float64, rate int) []float64 {
	var peak float64
	for _, v := range s {
		peak = math.Max(peak, math.Abs(v))
	}
	thr := peak * 0.02
	first, last := 0, len(s)-1
	for first < len(s) && math.Abs(s[first]) < thr {
		first++
	}
	for last > first && math.Abs(s[last]) < thr {
		last--
	}
	margin := rate / 100
	first = maxInt(0, first-margin)
	last = minInt(len(s)-1, last+margin)
	return s[first : last+1]
}

// resample converts with a Blackman-windowed sinc low-pass below the new
// Nyquist frequency.
func resample(s []float64, from, to int) []float64 {
	ratio := float64(to) / float64(from)
	cutoff := 0.45 * math.Min(1, ratio) // of the input rate
	const half = 24                     // taps on each side, in output-rate periods
	width := float64(half) / ratio
	n := int(float64(len(s)) * ratio)
	out := make([]float64, n)
	for i := range out {
		center := float64(i) / ratio
		lo, hi := int(math.Ceil(center-width)), int(math.Floor(center+width))
		var acc, norm float64
		for j := maxInt(lo, 0); j <= minInt(hi, len(s)-1); j++ {
			x := float64(j) - center
			w := 0.42 + 0.5*math.Cos(math.Pi*x/width) + 0.08*math.Cos(2*math.Pi*x/width)
			k := 2 * cutoff
			if x != 0 {
				k = math.Sin(2*math.Pi*cutoff*x) / (math.Pi * x)
			}
			acc += s[j] * k * w
			norm += k * w
		}
		if norm != 0 {
			out[i] = acc / norm
		}
	}
	return out
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// constName is the Go constant of a language: AudioDigitsZhHans.
func constName(code string) string {
	var b strings.Builder
	b.WriteString("AudioDigits")
	for _, part := range strings.Split(code, "-") {
		b.WriteString(strings.ToUpper(part[:1]) + strings.ToLower(part[1:]))
	}
	return b.String()
}

func fileName(code string) string {
	return "audio_" + strings.ReplaceAll(strings.ToLower(code), "-", "_") + ".go"
}

func writeLanguage(dir, code, voice string, blob []byte) (int, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by tools/cmd/genaudio; DO NOT EDIT.\n\npackage assets\n\n")
	fmt.Fprintf(&b, "// %s: the digits 0–9 spoken by espeak-ng voice %q in %d variants\n// (format: see audio.go).\n", constName(code), voice, len(variants))
	fmt.Fprintf(&b, "const %s = `%s`\n", constName(code), wrap(base64.StdEncoding.EncodeToString(blob)))
	return writeGo(filepath.Join(dir, fileName(code)), b.Bytes())
}

// wrap breaks base64 into lines (base64 decoding skips newlines).
func wrap(s string) string {
	const width = 100
	var b strings.Builder
	for len(s) > width {
		b.WriteString(s[:width])
		b.WriteByte('\n')
		s = s[width:]
	}
	b.WriteString(s)
	return b.String()
}

func writeIndex(dir string, recorded, english []string) (int, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, `// Code generated by tools/cmd/genaudio; DO NOT EDIT.

package assets

// AudioSampleRate is the rate of the recorded digits: 8-bit unsigned mono
// PCM once decoded (128 is silence).
const AudioSampleRate = %d

// AudioDigits returns the recorded digits of a language (a code of
// Languages), or "" when it has none (the plugin then uses English).
//
// Format, base64 (StdEncoding, newlines ignored): one byte V, the number
// of variants per digit; one byte L and L bytes: the 8-bit PCM value of
// each stored level; then a bzip2 stream holding, for each digit 0–9 and
// each of its V variants, a big-endian uint16 sample count followed by
// that many level indexes.
// Recorded with espeak-ng by tools/cmd/genaudio; languages on English: %s.
func AudioDigits(code string) string {
	switch code {
`, sampleRate, strings.Join(english, ", ")+none(english))
	for _, code := range recorded {
		fmt.Fprintf(&b, "\tcase %q:\n\t\treturn %s\n", code, constName(code))
	}
	aliases := make([]string, 0, len(aliasOf))
	for a := range aliasOf {
		aliases = append(aliases, a)
	}
	sort.Strings(aliases)
	for _, a := range aliases {
		fmt.Fprintf(&b, "\tcase %q:\n\t\treturn %s\n", a, constName(aliasOf[a]))
	}
	b.WriteString("\t}\n\treturn \"\"\n}\n")
	return writeGo(filepath.Join(dir, "audio.go"), b.Bytes())
}

func none(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return ""
}

func writeGo(path string, src []byte) (int, error) {
	formatted, err := format.Source(src)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	return len(formatted), os.WriteFile(path, formatted, 0o644)
}
