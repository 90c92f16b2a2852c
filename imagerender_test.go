package captchaify

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math"
	"math/bits"
	"sort"
	"testing"
)

// dHash is the 64-bit difference hash: the picture as 9×8 gray cells (box
// averages), one bit per horizontally adjacent pair.
func dHash(m image.Image) uint64 {
	b := m.Bounds()
	var cells [8][9]float64
	var counts [8][9]float64
	for y := b.Min.Y; y < b.Max.Y; y++ {
		cy := (y - b.Min.Y) * 8 / b.Dy()
		for x := b.Min.X; x < b.Max.X; x++ {
			cx := (x - b.Min.X) * 9 / b.Dx()
			r, g, bl, _ := m.At(x, y).RGBA()
			cells[cy][cx] += 0.299*float64(r) + 0.587*float64(g) + 0.114*float64(bl)
			counts[cy][cx]++
		}
	}
	var h uint64
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			h <<= 1
			if cells[y][x]/counts[y][x] > cells[y][x+1]/counts[y][x+1] {
				h |= 1
			}
		}
	}
	return h
}

// sourceHashes are the dHashes a search of the public art could use for
// one picture: over white and over black.
func sourceHashes(t *testing.T, img *datasetImage) []uint64 {
	var out []uint64
	src, err := img.rgba()
	if err != nil {
		t.Fatal(err)
	}
	for _, bg := range []color.Color{color.White, color.Black} {
		m := image.NewRGBA(src.Rect)
		draw.Draw(m, m.Rect, &image.Uniform{C: bg}, image.Point{}, draw.Src)
		draw.Draw(m, m.Rect, src, src.Rect.Min, draw.Over)
		out = append(out, dHash(m))
	}
	return out
}

// TestRendersEscapePerceptualHash renders many pictures of every built-in
// dataset at every hardness and measures the dHash distance of each to every
// source picture: none may come within 10 bits of a picture of its own
// keyword, fewer than 5 % may come that close to any picture of the dataset,
// and no two renders may share bytes.
func TestRendersEscapePerceptualHash(t *testing.T) {
	perDataset := 240
	if testing.Short() {
		perDataset = 60
	}
	seen := map[[32]byte]bool{}
	var all []int
	for _, name := range builtinDatasetNames() {
		d, err := datasetFor(name, "", datasetSize{})
		if err != nil {
			t.Fatal(err)
		}
		hashes := map[*datasetImage][]uint64{}
		var sources []uint64
		sourceBytes := map[[32]byte]bool{}
		for _, k := range d.keywords {
			for _, img := range k.images {
				if _, ok := hashes[img]; !ok {
					hashes[img] = sourceHashes(t, img)
					sources = append(sources, hashes[img]...)
					sourceBytes[sha256.Sum256(img.data)] = true
				}
			}
		}
		ownMin, anyClose := 64, 0
		var dists []int
		for i := 0; i < perDataset; i++ {
			k := d.keywords[randN(len(d.keywords))]
			img := k.images[randN(len(k.images))]
			size := candidateSize
			if i%4 == 0 {
				size = referenceSize
			}
			hardness := 1 + i%3
			out, err := renderMotif(img, size, hardness)
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(out)
			if seen[sum] || sourceBytes[sum] {
				t.Fatalf("%s: render %d repeats bytes already served or in the dataset", name, i)
			}
			seen[sum] = true
			m, err := jpeg.Decode(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			h := dHash(m)
			own := 64
			for _, other := range k.images {
				for _, sh := range hashes[other] {
					if d := bits.OnesCount64(h ^ sh); d < own {
						own = d
					}
				}
			}
			if own <= 10 {
				t.Errorf("%s: a hardness-%d render of %q is %d bits from its source art", name, hardness, k.name, own)
			}
			if own < ownMin {
				ownMin = own
			}
			for _, sh := range sources {
				if bits.OnesCount64(h^sh) <= 10 {
					anyClose++
					break
				}
			}
			dists = append(dists, own)
		}
		// A chance near-match with a picture of another keyword tells an
		// attacker nothing; it must stay rare all the same.
		if anyClose*20 > perDataset {
			t.Errorf("%s: %d of %d renders within 10 bits of some dataset picture", name, anyClose, perDataset)
		}
		sort.Ints(dists)
		all = append(all, dists...)
		t.Logf("%s: %d renders; dHash distance to the nearest picture of the same keyword: min %d, median %d; renders within 10 bits of any dataset picture: %d",
			name, perDataset, ownMin, dists[len(dists)/2], anyClose)
	}
	if len(all) == 0 {
		t.Fatal("nothing rendered")
	}
}

// floorRuns must split exactly where floor(a + b·i) changes (and at cut),
// give or take float rounding on exact steps.
func TestFloorRuns(t *testing.T) {
	for trial := 0; trial < 2000; trial++ {
		n := 1 + randN(150)
		a := float64(randN(4000))/100 - 20
		b := float64(randN(2000))/1000 - 1
		cut := randN(n + 10)
		runs := floorRuns(a, b, n, cut)
		if runs[0] != 0 || runs[len(runs)-1] != n {
			t.Fatalf("a=%v b=%v n=%d: runs %v", a, b, n, runs)
		}
		starts := map[int]bool{}
		for i := 0; i+1 < len(runs); i++ {
			if runs[i] >= runs[i+1] {
				t.Fatalf("a=%v b=%v n=%d: runs %v not increasing", a, b, n, runs)
			}
			starts[runs[i]] = true
		}
		for i := 1; i < n; i++ {
			v, prev := a+b*float64(i), a+b*float64(i-1)
			if math.Abs(v-math.Round(v)) < 1e-9 || math.Abs(prev-math.Round(prev)) < 1e-9 {
				continue // on an exact step the float rounding may go either way
			}
			step := math.Floor(v) != math.Floor(prev) || i == cut
			if step != starts[i] {
				t.Fatalf("a=%v b=%v n=%d cut=%d: at %d step %v, runs %v", a, b, n, cut, i, step, runs)
			}
		}
	}
}
