package main

import (
	"math"
	"testing"
)

// Every language of the pages has an espeak-ng voice (or shares one): a
// new language without one would silently get English digits.
func TestEveryLanguageHasAVoice(t *testing.T) {
	codes, err := languageCodes("../../../assets")
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 40 {
		t.Fatalf("only %d languages found", len(codes))
	}
	for _, c := range codes {
		_, voice := voiceFor[c]
		_, alias := aliasOf[c]
		if !voice && !alias {
			t.Errorf("%s: no espeak-ng voice and no alias: add one or accept English", c)
		}
	}
}

func TestQuantiser(t *testing.T) {
	pal := palette()
	if len(pal) != levels {
		t.Fatalf("%d levels", len(pal))
	}
	for i := 1; i < len(pal); i++ {
		if pal[i] <= pal[i-1] {
			t.Fatalf("palette not increasing at %d: %v", i, pal)
		}
	}
	// Quantising a sine keeps it about 19 dB above the quantisation noise.
	s := make([]float64, 8000)
	for i := range s {
		s[i] = 0.5 * math.Sin(float64(i)*0.07)
	}
	var sig, noise float64
	for i, k := range quantise(s) {
		got := (float64(pal[k]) - 128) / 127
		sig += s[i] * s[i]
		noise += (got - s[i]) * (got - s[i])
	}
	if snr := 10 * math.Log10(sig/noise); snr < 15 {
		t.Errorf("quantiser: %.1f dB signal to noise", snr)
	}
}

func TestNames(t *testing.T) {
	if constName("zh-Hans") != "AudioDigitsZhHans" || fileName("zh-Hans") != "audio_zh_hans.go" || constName("de") != "AudioDigitsDe" {
		t.Errorf("names: %s %s", constName("zh-Hans"), fileName("zh-Hans"))
	}
}
