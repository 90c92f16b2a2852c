package captchaify

// Per-render obfuscation of dataset pictures for the image challenges.
//
// Every served picture (a JPEG) is the motif scaled, sheared into
// a slight rotation, placed at a random spot (partly cropped at higher
// hardness) over a random background with clutter, then tinted; so no two
// renders share bytes and none matches the public emoji art by exact or
// perceptual hash. All pixel work is done by image/draw on *image.RGBA and
// *image.Alpha (one draw call per row or column, never per pixel), because
// interpreted loops are far too slow under Traefik's Yaegi.

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/rand"
	"sync"
)

// Rendered sizes in pixels. The page shows the reference at 200 CSS px and
// the candidates at 100; browsers scale smoothly.
const (
	referenceSize = 128
	candidateSize = 80
	scratchSide   = 320
)

// motifParams are the per-hardness distortions.
type motifParams struct {
	minScale, maxScale float64 // motif width relative to the canvas
	minAngle, maxAngle float64 // degrees, either way (min is added to a random 0…max)
	slice              float64 // sideways slide of the lower part, relative to the width
	away               float64 // least distance of the motif from the centre, relative to the canvas
	bgClutter          int     // shapes behind the motif
	fgClutter          int     // shapes over it
	fgAlpha            uint8
	tintMin, tintMax   uint8 // alpha of the colour cast
}

func motifHardness(hardness int) motifParams {
	switch hardness {
	case 1:
		return motifParams{minScale: 0.58, maxScale: 0.78, minAngle: 4, maxAngle: 12, slice: 0.1, away: 0.12, bgClutter: 2, fgClutter: 1, fgAlpha: 50, tintMin: 20, tintMax: 45}
	case 2:
		return motifParams{minScale: 0.55, maxScale: 0.78, minAngle: 5, maxAngle: 18, slice: 0.12, away: 0.13, bgClutter: 3, fgClutter: 1, fgAlpha: 70, tintMin: 25, tintMax: 60}
	default:
		return motifParams{minScale: 0.5, maxScale: 0.78, minAngle: 6, maxAngle: 24, slice: 0.15, away: 0.14, bgClutter: 4, fgClutter: 2, fgAlpha: 90, tintMin: 30, tintMax: 75}
	}
}

// imageScratch holds pooled intermediate images for the shear passes.
var imageScratch sync.Pool

func getScratch() *image.RGBA {
	m, _ := imageScratch.Get().(*image.RGBA)
	if m == nil {
		m = image.NewRGBA(image.Rect(0, 0, scratchSide, scratchSide))
	}
	return m
}

// rampSteps is how many vertical steps the background's ramp has.
const rampSteps = 8

// imageCanvases are pooled output canvases, by size.
var imageCanvases sync.Pool

func getCanvas(size int) *image.RGBA {
	if m, _ := imageCanvases.Get().(*image.RGBA); m != nil && m.Rect.Dx() == size {
		return m
	}
	return image.NewRGBA(image.Rect(0, 0, size, size))
}

// renderMotif draws a dataset picture obfuscated on a size×size canvas and
// returns it as a JPEG of random quality: a quarter of a PNG's size and
// quicker to encode, and its artefacts blur the art's exact pixels further.
func renderMotif(pic *datasetImage, size, hardness int) ([]byte, error) {
	a, err := loadTextAtlas()
	if err != nil {
		return nil, err
	}
	src, err := pic.rgba()
	if err != nil {
		return nil, err
	}
	if hardness < 1 {
		hardness = 1
	}
	if hardness > 3 {
		hardness = 3
	}
	p := motifHardness(hardness)
	img := getCanvas(size)
	defer imageCanvases.Put(img)

	// Background: a random colour darkening from left to right in steps (a
	// difference hash of the art sees flat background there: the ramp
	// turns those bits around), a band of another colour, clutter.
	bgHue := rand.Float64() * 360
	bg := textHSV(bgHue, textRandRange(0.08, 0.35), textRandRange(0.9, 1), 255)
	fall := textRandInt(100, 140) // of 256: how much darker the right edge is
	for i := 0; i < rampSteps; i++ {
		x0, x1 := i*size/rampSteps, (i+1)*size/rampSteps
		k := 256 - fall*i/(rampSteps-1)
		c := color.NRGBA{R: uint8(int(bg.R) * k >> 8), G: uint8(int(bg.G) * k >> 8), B: uint8(int(bg.B) * k >> 8), A: 255}
		draw.Draw(img, image.Rect(x0, 0, x1, size), &image.Uniform{C: c}, image.Point{}, draw.Src)
	}
	x0 := rand.Intn(size)
	band := image.Rect(0, x0, size, x0+textRandInt(size/8, size/3))
	if rand.Intn(2) == 0 {
		band = image.Rect(x0, 0, x0+textRandInt(size/10, size/5), size)
	}
	draw.Draw(img, band, &image.Uniform{C: textHSV(bgHue+textRandRange(60, 300), textRandRange(0.1, 0.5), textRandRange(0.6, 1), uint8(textRandInt(90, 180)))}, image.Point{}, draw.Over)
	for i := 0; i < p.bgClutter; i++ {
		clutter(img, a, uint8(textRandInt(70, 170)))
	}

	// The motif. Candidates draw it at its own size (56 px on 80: no
	// scaling pass, the cheap path); the reference scales it up.
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	if size != candidateSize || sw > size*4/5 || sh > size*4/5 {
		sw = int(float64(size) * textRandRange(p.minScale, p.maxScale))
		sh = int(float64(sw) * textRandRange(0.9, 1.1) * float64(src.Rect.Dy()) / float64(src.Rect.Dx()))
		if sh > size {
			sh = size
		}
		if sw < 8 || sh < 8 {
			sw, sh = size/2, size/2
		}
	}
	angle := textRandRange(-p.maxAngle, p.maxAngle) * math.Pi / 180
	if angle < 0 {
		angle -= p.minAngle * math.Pi / 180
	} else {
		angle += p.minAngle * math.Pi / 180
	}
	placeMotif(img, src, sw, sh, math.Sin(angle), p.slice, p.away)

	// Over it: a little clutter and a colour cast.
	for i := 0; i < p.fgClutter; i++ {
		clutter(img, a, p.fgAlpha)
	}
	tint := textHSV(rand.Float64()*360, textRandRange(0.5, 1), textRandRange(0.3, 1), 255)
	alpha := uint8(textRandInt(int(p.tintMin), int(p.tintMax)))
	draw.Draw(img, img.Rect, &image.Uniform{C: color.NRGBA{R: tint.R, G: tint.G, B: tint.B, A: alpha}}, image.Point{}, draw.Over)
	var out bytes.Buffer
	out.Grow(4096)
	if err := jpeg.Encode(&out, img, &jpeg.Options{Quality: textRandInt(68, 82)}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// clutter draws one random noise shape of the glyph atlas.
func clutter(dst *image.RGBA, a *textAtlasData, alpha uint8) {
	var m *image.Alpha
	switch rand.Intn(4) {
	case 0:
		m = a.arcs[rand.Intn(len(a.arcs))]
	case 1:
		m = a.frags[rand.Intn(len(a.frags))]
	case 2:
		m = a.speckles[rand.Intn(len(a.speckles))]
	default:
		m = a.blobs[rand.Intn(len(a.blobs))]
	}
	// At most a half-canvas piece of the shape: blending costs per pixel.
	size := dst.Rect.Dx()
	w, h := m.Rect.Dx(), m.Rect.Dy()
	if w > size/2 {
		x := m.Rect.Min.X + rand.Intn(w-size/2+1)
		m = m.SubImage(image.Rect(x, m.Rect.Min.Y, x+size/2, m.Rect.Max.Y)).(*image.Alpha)
		w = size / 2
	}
	if h > size/2 {
		y := m.Rect.Min.Y + rand.Intn(h-size/2+1)
		m = m.SubImage(image.Rect(m.Rect.Min.X, y, m.Rect.Max.X, y+size/2)).(*image.Alpha)
		h = size / 2
	}
	col := &image.Uniform{C: textHSV(rand.Float64()*360, textRandRange(0.3, 0.9), textRandRange(0.3, 0.9), alpha)}
	textDrawMask(dst, m, rand.Intn(size+w)-w, rand.Intn(size+h)-h, col)
}

// placeMotif scales src to sw×sh (nearest neighbour; skipped when it has
// that size already), shears it by s = sin(angle) horizontally then
// vertically (a rotation with a slight squash), slides its lower part
// sideways, and draws it over dst at a random spot. Each draw call copies a
// run of rows or columns that move together, and the runs of the shears
// are computed, not searched pixel by pixel (interpreted loops are slow).
func placeMotif(dst, src *image.RGBA, sw, sh int, s, slice, away float64) {
	size := dst.Rect.Dx()
	srcW, srcH := src.Rect.Dx(), src.Rect.Dy()

	// Pass 1: columns of src → t1 (sw × srcH), unless no scaling is needed.
	t1, t1x, t1y := src, src.Rect.Min.X, src.Rect.Min.Y
	if sw != srcW || sh != srcH {
		t1, t1x, t1y = getScratch(), 0, 0
		defer imageScratch.Put(t1)
		run, runSrc := 0, srcW/(2*sw)
		for x := 1; x <= sw; x++ {
			sx := (2*x + 1) * srcW / (2 * sw)
			if x == sw || sx != runSrc+x-run {
				draw.Draw(t1, image.Rect(run, 0, x, srcH), src, image.Point{X: src.Rect.Min.X + runSrc, Y: src.Rect.Min.Y}, draw.Src)
				run, runSrc = x, sx
			}
		}
	}

	// Below a random row the motif is also slid sideways by slice of its
	// width: a person sees a cut picture, a perceptual hash another one.
	cut := sh/3 + rand.Intn(sh/3+1)
	slide := int(slice * float64(sw) * textRandRange(0.6, 1))
	if rand.Intn(2) == 0 {
		slide = -slide
	}
	shift := int(math.Abs(s)*float64(sh)/2) + 1
	w2 := sw + 2*shift
	if slide < 0 {
		shift -= slide
		w2 -= slide
	} else {
		w2 += slide
	}
	if w2 > scratchSide {
		w2 = scratchSide
	}

	// Pass 2: rows of t1 → t2 (w2 × sh), row y shifted by
	// floor(a - s·y), plus slide from the cut on.
	t2 := getScratch()
	defer imageScratch.Put(t2)
	draw.Draw(t2, image.Rect(0, 0, w2, sh), image.Transparent, image.Point{}, draw.Src)
	a := float64(shift) + s*float64(sh)/2 + 0.5
	if sh == srcH {
		runs := floorRuns(a, -s, sh, cut)
		for i := 0; i+1 < len(runs); i++ {
			y0, y1 := runs[i], runs[i+1]
			dx := int(math.Floor(a - s*float64(y0)))
			if y0 >= cut {
				dx += slide
			}
			draw.Draw(t2, image.Rect(dx, y0, dx+sw, y1), t1, image.Point{X: t1x, Y: t1y + y0}, draw.Src)
		}
	} else {
		run, runSrc := 0, srcH/(2*sh)
		runDx := int(math.Floor(a))
		for y := 1; y <= sh; y++ {
			sy := (2*y + 1) * srcH / (2 * sh)
			dx := int(math.Floor(a - s*float64(y)))
			if y >= cut {
				dx += slide
			}
			if y == sh || sy != runSrc+y-run || dx != runDx {
				draw.Draw(t2, image.Rect(runDx, run, runDx+sw, y), t1, image.Point{X: t1x, Y: t1y + runSrc}, draw.Src)
				run, runSrc, runDx = y, sy, dx
			}
		}
	}

	// Never centred: the motif's centre sits away+0–8 % of the canvas off
	// the canvas centre, mostly sideways (a difference hash compares
	// neighbours in a row); it may leave the canvas a little.
	lift := int(math.Abs(s)*float64(w2)/2) + 1
	mw, mh := w2, sh+2*lift
	dir := textRandRange(-0.7, 0.7)
	if rand.Intn(2) == 0 {
		dir += math.Pi
	}
	dist := float64(size) * textRandRange(away, away+0.08)
	ox := int(float64(size)/2+dist*math.Cos(dir)) - mw/2
	oy := int(float64(size)/2+dist*math.Sin(dir)) - mh/2 + lift

	// Pass 3: columns of t2 → dst, column x lowered by floor(b + s·x).
	b := 0.5 - s*float64(w2)/2
	runs := floorRuns(b, s, w2, w2)
	for i := 0; i+1 < len(runs); i++ {
		x0, x1 := runs[i], runs[i+1]
		dy := oy + int(math.Floor(b+s*float64(x0)))
		draw.Draw(dst, image.Rect(ox+x0, dy, ox+x1, dy+sh), t2, image.Point{X: x0}, draw.Over)
	}
}

// floorRuns splits [0, n) into the runs over which floor(a + b·i) stays
// the same, also splitting at cut, and returns the run starts followed by
// n. It computes where the value steps instead of trying every i (and
// uses no closure: each interpreted call costs).
func floorRuns(a, b float64, n, cut int) []int {
	runs := make([]int, 1, 24)
	if b > 0 {
		for k := math.Floor(a) + 1; ; k++ {
			i := int(math.Ceil((k - a) / b))
			if i >= n {
				break
			}
			if i > runs[len(runs)-1] {
				runs = append(runs, i)
			}
		}
	} else if b < 0 {
		for k := math.Floor(a); ; k-- {
			i := int(math.Floor((a-k)/-b)) + 1
			if i >= n {
				break
			}
			if i > runs[len(runs)-1] {
				runs = append(runs, i)
			}
		}
	}
	runs = append(runs, n)
	if cut <= 0 || cut >= n {
		return runs
	}
	for j := 1; j < len(runs); j++ {
		if runs[j] == cut {
			break
		}
		if runs[j] > cut {
			runs = append(runs, 0)
			copy(runs[j+1:], runs[j:])
			runs[j] = cut
			break
		}
	}
	return runs
}

// scaleRGBA returns src scaled to w×h (nearest neighbour), by columns then
// rows.
func scaleRGBA(src *image.RGBA, w, h int) *image.RGBA {
	srcW, srcH := src.Rect.Dx(), src.Rect.Dy()
	s0 := src.Rect.Min
	cols := image.NewRGBA(image.Rect(0, 0, w, srcH))
	for x := 0; x < w; x++ {
		sx := (2*x + 1) * srcW / (2 * w)
		draw.Draw(cols, image.Rect(x, 0, x+1, srcH), src, image.Point{X: s0.X + sx, Y: s0.Y}, draw.Src)
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		sy := (2*y + 1) * srcH / (2 * h)
		draw.Draw(out, image.Rect(0, y, w, y+1), cols, image.Point{Y: sy}, draw.Src)
	}
	return out
}
