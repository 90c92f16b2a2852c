package main

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"regexp"
	"strings"
	"testing"
)

// A black ring on transparency: its inside becomes white, its outside
// stays transparent, the ring stays black.
func TestFillInsideFillsOnlyTheInside(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, tileSize, tileSize))
	black := color.NRGBA{A: 255}
	for y := 0; y < tileSize; y++ {
		for x := 0; x < tileSize; x++ {
			dx, dy := x-32, y-32
			if r2 := dx*dx + dy*dy; r2 >= 16*16 && r2 <= 20*20 {
				img.SetNRGBA(x, y, black)
			}
		}
	}
	fillInside(img, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
	if c := img.NRGBAAt(32, 32); c != (color.NRGBA{R: 255, G: 255, B: 255, A: 255}) {
		t.Errorf("inside: %v, want opaque white", c)
	}
	if c := img.NRGBAAt(2, 2); c.A != 0 {
		t.Errorf("outside: %v, want transparent", c)
	}
	if c := img.NRGBAAt(32, 32-18); c != black {
		t.Errorf("ring: %v, want black", c)
	}
}

// compactTile keeps at most the asked number of colours when that is
// smaller than the lossless PNG, as it is for noisy art of 4096 colours.
func TestCompactTileCapsColours(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, tileSize, tileSize))
	seed := uint32(1)
	for y := 0; y < tileSize; y++ {
		for x := 0; x < tileSize; x++ {
			seed = seed*1664525 + 1013904223
			img.SetNRGBA(x, y, color.NRGBA{R: uint8(seed >> 24), G: uint8(seed >> 16), B: uint8(seed >> 8), A: 255})
		}
	}
	var src bytes.Buffer
	if err := png.Encode(&src, img); err != nil {
		t.Fatal(err)
	}
	out, err := compactTile(src.Bytes(), 16)
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[color.Color]bool{}
	n := image.NewNRGBA(m.Bounds())
	draw.Draw(n, n.Rect, m, m.Bounds().Min, draw.Src)
	for i := 0; i < len(n.Pix); i += 4 {
		seen[color.NRGBA{n.Pix[i], n.Pix[i+1], n.Pix[i+2], n.Pix[i+3]}] = true
	}
	if len(seen) > 16 || len(seen) < 8 {
		t.Errorf("%d colours, want 8–16", len(seen))
	}
}

// Every keyword of the hand-picked datasets has all five renderings in
// the committed assets: Noto, Twemoji and Fluent's three styles.
func TestCommittedDatasetsHaveEveryRendering(t *testing.T) {
	b, err := os.ReadFile("../../../assets/datasets.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Keys", "Animals"} {
		m := regexp.MustCompile("(?s)const Dataset" + name + " = `\n(.*?)`").FindSubmatch(b)
		if m == nil {
			t.Fatalf("no Dataset%s", name)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(m[1])), "\n") {
			f := strings.SplitN(line, "|", 3)
			if n := len(strings.Fields(f[2])); n < 5 {
				t.Errorf("%s: %q has %d pictures, want at least 5", name, f[0], n)
			}
		}
	}
}
