package captchaify

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/assets"
)

func textTestRandomText(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = textAlphabet[rand.Intn(len(textAlphabet))]
	}
	return string(b)
}

func TestRenderTextImageSizes(t *testing.T) {
	for hardness := 1; hardness <= 3; hardness++ {
		for n := 6; n <= 12; n++ {
			text := textTestRandomText(n)
			data, err := renderTextImage(text, hardness)
			if err != nil {
				t.Fatalf("hardness %d, %q: %v", hardness, text, err)
			}
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("hardness %d, %q: invalid PNG: %v", hardness, text, err)
			}
			w, h := textImageSize(n)
			if got := img.Bounds(); got != image.Rect(0, 0, w, h) {
				t.Errorf("hardness %d, %d chars: bounds %v, want %dx%d", hardness, n, got, w, h)
			}
			if w > 380 || h != 120 {
				t.Errorf("%d chars: size %dx%d out of range", n, w, h)
			}
			if dir := os.Getenv("CAPTCHAIFY_DUMP_DIR"); dir != "" {
				name := dir + "/text_h" + strconv.Itoa(hardness) + "_n" + strconv.Itoa(n) + "_" + text + ".png"
				if err := os.WriteFile(name, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

func TestRenderTextImageRandomised(t *testing.T) {
	a, err := renderTextImage("ABCDEFGH", 2)
	if err != nil {
		t.Fatal(err)
	}
	b, err := renderTextImage("ABCDEFGH", 2)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, b) {
		t.Fatal("two renders of the same text are identical")
	}
}

func TestRenderTextImageInput(t *testing.T) {
	if _, err := renderTextImage("abcdef", 2); err != nil {
		t.Errorf("lowercase input: %v", err)
	}
	if _, err := renderTextImage("ABC", 0); err != nil {
		t.Errorf("hardness 0 should be clamped: %v", err)
	}
	if _, err := renderTextImage("ABC", 9); err != nil {
		t.Errorf("hardness 9 should be clamped: %v", err)
	}
	for _, bad := range []string{"", "AB0", "I1O", "A B", "ÄÖÜ", strings.Repeat("A", textMaxLen+1)} {
		if _, err := renderTextImage(bad, 2); err == nil {
			t.Errorf("renderTextImage(%q) succeeded, want error", bad)
		}
	}
}

func TestTextGlyphAtlasComplete(t *testing.T) {
	a, err := loadTextAtlas()
	if err != nil {
		t.Fatal(err)
	}
	if a.faces < 3 {
		t.Errorf("only %d typefaces", a.faces)
	}
	check := func(c byte) {
		ri := strings.IndexByte(assets.GlyphRunes, c)
		if ri < 0 {
			t.Errorf("character %q not in the glyph atlas", c)
			return
		}
		for f := 0; f < a.faces; f++ {
			for an := 0; an < a.angles; an++ {
				g := a.glyph(f, ri, an)
				if g.mask == nil || g.mask.Rect.Dx() < 2 || g.mask.Rect.Dy() < 2 || g.adv <= 0 {
					t.Errorf("character %q face %d angle %d: missing or empty glyph", c, f, an)
					continue
				}
				ink := 0
				for y := g.mask.Rect.Min.Y; y < g.mask.Rect.Max.Y; y++ {
					for x := g.mask.Rect.Min.X; x < g.mask.Rect.Max.X; x++ {
						if g.mask.AlphaAt(x, y).A > 128 {
							ink++
						}
					}
				}
				if ink < 40 {
					t.Errorf("character %q face %d angle %d: only %d ink pixels", c, f, an, ink)
				}
			}
		}
	}
	for i := 0; i < len(textAlphabet); i++ {
		check(textAlphabet[i])
	}
	for i := 0; i < len(textLowerable); i++ {
		c := textLowerable[i]
		if strings.IndexByte(textAlphabet, c) < 0 {
			t.Errorf("lowerable %q is not in the alphabet", c)
		}
		check(c + 'a' - 'A')
	}
	for _, c := range "lijo0O1I" {
		if c != 'O' && c != 'I' && strings.ContainsRune(textAlphabet, c) {
			t.Errorf("look-alike %q in the alphabet", c)
		}
		if strings.ContainsRune(strings.ToUpper(textAlphabet), c) && (c == '0' || c == '1' || c == 'O' || c == 'I') {
			t.Errorf("look-alike %q in the alphabet", c)
		}
	}
	for _, c := range "lijo" {
		if strings.ContainsRune(assets.GlyphRunes, c) {
			t.Errorf("lowercase %q must never be drawn", c)
		}
	}
}

// TestTextCanvasEncoding checks that drawing never touches the per-row PNG
// filter bytes of the canvas and that the hand-written PNG decodes to exactly
// the drawn pixels.
func TestTextCanvasEncoding(t *testing.T) {
	a, err := loadTextAtlas()
	if err != nil {
		t.Fatal(err)
	}
	const w, h = 283, 120
	img, raw := textNewCanvas(w, h)
	src := image.NewRGBA(image.Rect(0, 0, w, h))
	bg := &image.Uniform{C: textHSV(200, 0.1, 0.97, 255)}
	draw.Draw(src, src.Rect, bg, image.Point{}, draw.Src)
	fg := &image.Uniform{C: textHSV(20, 0.8, 0.3, 255)}
	textDrawMask(src, a.glyph(0, 0, 3).mask, 40, 40, fg)
	textDrawMask(src, a.glyph(1, 5, 0).mask, w-20, 60, fg)
	textWarp(img, src, bg, 6, 2.5)
	textArc(img, a, fg, 0, len(a.arcs))
	textSpeckle(img, a, fg)
	textDrawMask(img, a.frags[0], -5, h-10, fg)
	stride := 4*w + 1
	for y := 0; y < h; y++ {
		if raw[y*stride] != 0 {
			t.Fatalf("row %d: filter byte overwritten (%d)", y, raw[y*stride])
		}
	}
	data, err := textEncodePNG(w, h, raw)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	got, ok := dec.(*image.NRGBA)
	if !ok {
		t.Fatalf("decoded %T, want *image.NRGBA", dec)
	}
	for y := 0; y < h; y++ {
		if !bytes.Equal(got.Pix[y*got.Stride:y*got.Stride+4*w], img.Pix[y*img.Stride:y*img.Stride+4*w]) {
			t.Fatalf("row %d differs after PNG round trip", y)
		}
	}
}

func BenchmarkRenderTextImage(b *testing.B) {
	if _, err := loadTextAtlas(); err != nil {
		b.Fatal(err)
	}
	texts := []string{textTestRandomText(6), textTestRandomText(8), textTestRandomText(12)}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := renderTextImage(texts[i%3], 1+i%3); err != nil {
			b.Fatal(err)
		}
	}
}
