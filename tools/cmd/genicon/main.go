// Command genicon draws the plugin catalog icon, .assets/icon.png: a blue
// shield with a white check mark, 256×256, transparent background.
//
//	cd tools && go run ./cmd/genicon -out ../.assets/icon.png
//
// The shapes are computed as anti-aliased coverage masks (4×4 samples per
// pixel) and composited with image/draw, so the output is byte-for-byte
// reproducible.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"
	"path/filepath"
)

const (
	size    = 256
	samples = 4 // per axis, per pixel
)

// shield geometry, in pixels of the 256×256 canvas.
const (
	cx       = 128.0 // centre line
	top      = 18.0  // top edge
	shoulder = 124.0 // where the straight sides end and the taper begins
	bottom   = 240.0 // the point
	halfW    = 100.0 // half width at the top
	corner   = 26.0  // radius of the two top corners
)

// insideShield reports whether (x, y) lies in the shield scaled by s about
// its visual centre.
func insideShield(x, y, s float64) bool {
	const oy = (top + bottom) / 2
	x = cx + (x-cx)/s
	y = oy + (y-oy)/s
	if y < top || y > bottom {
		return false
	}
	dx := math.Abs(x - cx)
	if y < shoulder {
		if dx > halfW {
			return false
		}
		// rounded top corners
		if y < top+corner && dx > halfW-corner {
			ddx, ddy := dx-(halfW-corner), (top+corner)-y
			return ddx*ddx+ddy*ddy <= corner*corner
		}
		return true
	}
	t := (y - shoulder) / (bottom - shoulder)
	return dx <= halfW*math.Cos(t*math.Pi/2)
}

// distToSegment is the distance from p to the segment ab.
func distToSegment(px, py, ax, ay, bx, by float64) float64 {
	vx, vy := bx-ax, by-ay
	t := ((px-ax)*vx + (py-ay)*vy) / (vx*vx + vy*vy)
	if t < 0 {
		t = 0
	} else if t > 1 {
		t = 1
	}
	dx, dy := px-(ax+t*vx), py-(ay+t*vy)
	return math.Hypot(dx, dy)
}

// insideCheck reports whether (x, y) lies on the check mark: two strokes
// with round caps and a round joint.
func insideCheck(x, y float64) bool {
	const w = 15.0 // half the stroke width
	ax, ay := 80.0, 128.0
	bx, by := 114.0, 162.0
	qx, qy := 178.0, 92.0
	return distToSegment(x, y, ax, ay, bx, by) <= w || distToSegment(x, y, bx, by, qx, qy) <= w
}

// mask renders a shape into an anti-aliased alpha mask.
func mask(inside func(x, y float64) bool) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, size, size))
	step := 1.0 / samples
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			n := 0
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					if inside(float64(px)+(float64(sx)+0.5)*step, float64(py)+(float64(sy)+0.5)*step) {
						n++
					}
				}
			}
			m.SetAlpha(px, py, color.Alpha{A: uint8(n * 255 / (samples * samples))})
		}
	}
	return m
}

// verticalGradient is an image whose rows blend from a (top) to b (bottom).
func verticalGradient(a, b color.RGBA) *image.RGBA {
	g := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		t := float64(y) / float64(size-1)
		c := color.RGBA{
			R: uint8(math.Round(float64(a.R) + t*(float64(b.R)-float64(a.R)))),
			G: uint8(math.Round(float64(a.G) + t*(float64(b.G)-float64(a.G)))),
			B: uint8(math.Round(float64(a.B) + t*(float64(b.B)-float64(a.B)))),
			A: 255,
		}
		draw.Draw(g, image.Rect(0, y, size, y+1), image.NewUniform(c), image.Point{}, draw.Src)
	}
	return g
}

func render() *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size)) // transparent
	r := img.Bounds()

	outer := mask(func(x, y float64) bool { return insideShield(x, y, 1) })
	inner := mask(func(x, y float64) bool { return insideShield(x, y, 0.9) })
	check := mask(insideCheck)
	shadow := mask(func(x, y float64) bool { return insideCheck(x-3, y-5) })

	// rim, body, a soft shadow under the check, then the check itself
	draw.DrawMask(img, r, image.NewUniform(color.RGBA{R: 0x17, G: 0x2f, B: 0x6b, A: 255}), image.Point{}, outer, image.Point{}, draw.Over)
	draw.DrawMask(img, r, verticalGradient(color.RGBA{R: 0x4f, G: 0x8d, B: 0xf7, A: 255}, color.RGBA{R: 0x1d, G: 0x4e, B: 0xd8, A: 255}), image.Point{}, inner, image.Point{}, draw.Over)
	draw.DrawMask(img, r, image.NewUniform(color.RGBA{R: 0x0b, G: 0x1f, B: 0x4d, A: 0x55}), image.Point{}, shadow, image.Point{}, draw.Over)
	draw.DrawMask(img, r, image.NewUniform(color.White), image.Point{}, check, image.Point{}, draw.Over)
	return img
}

func main() {
	out := flag.String("out", "../.assets/icon.png", "where to write the PNG")
	flag.Parse()
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "genicon:", err)
		os.Exit(1)
	}
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "genicon:", err)
		os.Exit(1)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, render()); err != nil {
		f.Close()
		fmt.Fprintln(os.Stderr, "genicon:", err)
		os.Exit(1)
	}
	if err := f.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "genicon:", err)
		os.Exit(1)
	}
}
