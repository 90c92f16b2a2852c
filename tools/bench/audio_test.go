package bench

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// The audio challenge under Yaegi (issue: ≤ 10 ms a clip):
//
//	go test -run '^$' -bench AudioYaegi -benchtime 200x ./bench/
//
// clip14 is the longest clip a page carries (a hardness-3 text challenge's
// 14 digits), clip10 the hardness-3 audio challenge; url adds the base64
// data: URL. decode is the one-time unpacking of a language's recordings.

var (
	audioProbeOnce sync.Once
	audioProbe     *AudioProbe
	audioProbeErr  error
)

func sharedAudioProbe(tb testing.TB) *AudioProbe {
	tb.Helper()
	audioProbeOnce.Do(func() { audioProbe, audioProbeErr = NewAudioProbe() })
	if audioProbeErr != nil {
		tb.Fatal(audioProbeErr)
	}
	return audioProbe
}

func TestAudioProbeSmoke(t *testing.T) {
	p := sharedAudioProbe(t)
	bed, err := p.Bed()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("babble bed, once per process: %.1f ms", float64(bed)/1e6)
	for _, c := range []struct {
		digits string
		url    bool
	}{{"01234567890123", false}, {"01234567890123", true}, {"0123456789", false}} {
		ns, err := p.Clip(20, c.digits, "en", 3, c.url)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d digits (data URL %v): %.2f ms a clip under Yaegi", len(c.digits), c.url, float64(ns)/20/1e6)
	}
	ns, err := p.Decode(3, "fi")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("unpacking one language: %.1f ms", float64(ns)/3/1e6)
	if _, err := p.Clip(1, "12x", "en", 3, false); err == nil {
		t.Error("a clip of a non-digit rendered")
	}
}

func BenchmarkAudioYaegi(b *testing.B) {
	p := sharedAudioProbe(b)
	if _, err := p.Bed(); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name, digits string
		url          bool
	}{
		{"clip14", "01234567890123", false},
		{"clip10", "0123456789", false},
		{"clip6", "012345", false},
		{"url14", "01234567890123", true},
	} {
		c := c
		b.Run(c.name, func(b *testing.B) {
			if _, err := p.Clip(1, c.digits, "en", 3, c.url); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			start, cpu := time.Now(), processCPUTime()
			if _, err := p.Clip(b.N, c.digits, "en", 3, c.url); err != nil {
				b.Fatal(err)
			}
			// CPU time (all threads, GC included) is steadier than wall
			// time on a busy machine
			b.ReportMetric(float64((processCPUTime()-cpu).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/clip")
			b.ReportMetric(float64(time.Since(start).Nanoseconds())/float64(b.N)/1e6, "ms/clip")
		})
	}
	b.Run("decode", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := p.Decode(1, "de"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAudioPage serves whole audio challenge pages (clip, token, the
// template with its ~100 KB data: URL), as BenchmarkChallengeRender does
// for the text page:
//
//	go test -run '^$' -bench AudioPage -benchtime 100x ./bench/
func BenchmarkAudioPage(b *testing.B) {
	for hardness := 1; hardness <= 3; hardness++ {
		for _, mode := range modes {
			hardness, mode := hardness, mode
			b.Run(fmt.Sprintf("h%d/%s", hardness, mode), func(b *testing.B) {
				cfg := PluginConfig("fight", hardness)
				cfg["defaultCaptchaType"] = "audio"
				h, err := handlers(b, mode).Plugin(&NopNext{}, cfg, fmt.Sprintf("b-audio%d-%s", hardness, mode))
				if err != nil {
					b.Fatal(err)
				}
				w := &Writer{Body: &bytes.Buffer{}}
				r := ChallengeGet("/page")
				w.Reset()
				h.ServeHTTP(w, r)
				if w.StatusCode() != 200 || ChallengeToken(w.Body.String()) == "" || !strings.Contains(w.Body.String(), `<audio controls src="data:audio/wav;base64,`) {
					b.Fatalf("not an audio page: %d %.300s", w.StatusCode(), w.Body.String())
				}
				w.Body = nil
				b.ReportAllocs()
				b.ResetTimer()
				cpu := processCPUTime()
				for i := 0; i < b.N; i++ {
					w.Reset()
					h.ServeHTTP(w, r)
				}
				b.ReportMetric(float64((processCPUTime()-cpu).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
			})
		}
	}
}
