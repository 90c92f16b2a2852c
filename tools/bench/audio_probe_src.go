//go:build ignore

// This file is not built with tools/bench: AudioProbe copies it next to the
// plugin's own sources (package captchaify) in a temporary GOPATH, so that
// Yaegi can run the audio challenge's unexported steps on their own.

package captchaify

import (
	"time"

	"github.com/captchaify/captchaify/assets"
)

// BenchAudioClip renders n clips of digits in lang (renderAudioClip: the
// WAV bytes) and returns the total time in ns.
func BenchAudioClip(n int, digits, lang string, hardness int) (int64, error) {
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := renderAudioClip(digits, lang, hardness); err != nil {
			return 0, err
		}
	}
	return time.Since(start).Nanoseconds(), nil
}

// BenchAudioURL is BenchAudioClip plus the base64 data: URL a page carries.
func BenchAudioURL(n int, digits, lang string, hardness int) (int64, error) {
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := audioDataURL(digits, lang, hardness); err != nil {
			return 0, err
		}
	}
	return time.Since(start).Nanoseconds(), nil
}

// BenchAudioDecode unpacks a language's recordings n times: the one-time
// cost of its first clip.
func BenchAudioDecode(n int, lang string) (int64, error) {
	start := time.Now()
	for i := 0; i < n; i++ {
		if _, err := decodeVoice(assets.AudioDigits(lang), speechLevel); err != nil {
			return 0, err
		}
	}
	return time.Since(start).Nanoseconds(), nil
}

// BenchAudioBed builds the babble bed once (first clip of the process) and
// returns the time in ns.
func BenchAudioBed() (int64, error) {
	start := time.Now()
	err := babbleBed()
	return time.Since(start).Nanoseconds(), err
}
