package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
)

// rsvgVersion is the librsvg the committed datasets were rasterized with
// (Debian bookworm's librsvg2-bin). Another version may draw a few pixels
// differently, which breaks byte-for-byte reproducibility, so it is refused
// unless -any-rsvg is given.
const rsvgVersion = "2.54.7"

var rsvgVersionPattern = regexp.MustCompile(`rsvg-convert version (\S+)`)

// checkRsvg makes sure rsvg-convert is installed in the pinned version.
func checkRsvg(anyVersion bool) error {
	out, err := exec.Command("rsvg-convert", "--version").Output()
	if err != nil {
		return fmt.Errorf("rsvg-convert (Debian: apt-get install librsvg2-bin): %w", err)
	}
	m := rsvgVersionPattern.FindSubmatch(out)
	if m == nil {
		return fmt.Errorf("rsvg-convert --version: unexpected output %q", strings.TrimSpace(string(out)))
	}
	if string(m[1]) != rsvgVersion && !anyVersion {
		return fmt.Errorf("rsvg-convert is version %s, the datasets are made with %s (pass -any-rsvg to use it anyway; the output may then differ in a few pixels)", m[1], rsvgVersion)
	}
	return nil
}

// rsvgJob is one SVG to rasterize; img is set by rasterizeAll.
type rsvgJob struct {
	svg      []byte
	lineArt  bool
	img      *image.NRGBA
	err      error
	describe string
}

// rasterizeAll runs rsvg-convert over every job, a few at a time, keeping
// its PNGs in cacheDir by the SVG's hash (a rerun takes seconds, not
// minutes). The results do not depend on the order the jobs finish in.
func rasterizeAll(jobs []*rsvgJob, cacheDir string) error {
	cacheDir = filepath.Join(cacheDir, fmt.Sprintf("rsvg-%s-%d", rsvgVersion, tileSize))
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		return err
	}
	work := make(chan *rsvgJob)
	var wg sync.WaitGroup
	for i := 0; i < runtime.NumCPU(); i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				j.img, j.err = rasterizeCached(j.svg, cacheDir)
				if j.err == nil && j.lineArt {
					fillInside(j.img, color.NRGBA{R: 255, G: 255, B: 255, A: 255})
				}
			}
		}()
	}
	for _, j := range jobs {
		work <- j
	}
	close(work)
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			return fmt.Errorf("%s: %w", j.describe, j.err)
		}
	}
	return nil
}

func rasterizeCached(svg []byte, cacheDir string) (*image.NRGBA, error) {
	sum := sha256.Sum256(svg)
	path := filepath.Join(cacheDir, hex.EncodeToString(sum[:])+".png")
	if b, err := os.ReadFile(path); err == nil {
		if img, err := png.Decode(bytes.NewReader(b)); err == nil {
			n := image.NewNRGBA(image.Rect(0, 0, tileSize, tileSize))
			draw.Draw(n, n.Rect, img, img.Bounds().Min, draw.Src)
			return n, nil
		}
	}
	img, err := rasterizeSVG(svg)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	tmp := path + ".tmp" + strconv.Itoa(os.Getpid())
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return nil, err
	}
	return img, os.Rename(tmp, path)
}

// rasterizeSVG draws an SVG at tileSize × tileSize with librsvg, which
// renders Fluent's gradients, masks and blur filters faithfully.
func rasterizeSVG(svg []byte) (*image.NRGBA, error) {
	cmd := exec.Command("rsvg-convert", "--format=png", fmt.Sprintf("--width=%d", tileSize), fmt.Sprintf("--height=%d", tileSize))
	cmd.Stdin = bytes.NewReader(svg)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("rsvg-convert: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	img, err := png.Decode(&out)
	if err != nil {
		return nil, fmt.Errorf("rsvg-convert output: %w", err)
	}
	if b := img.Bounds(); b.Dx() != tileSize || b.Dy() != tileSize {
		return nil, fmt.Errorf("rsvg-convert drew %v, want %d px", b, tileSize)
	}
	n := image.NewNRGBA(image.Rect(0, 0, tileSize, tileSize))
	draw.Draw(n, n.Rect, img, img.Bounds().Min, draw.Src)
	return n, nil
}

// fillInside puts bg under every pixel of line art that can't be reached
// from the tile's border through (mostly) transparent pixels: Fluent's
// "High Contrast" style is black outlines on transparency, unreadable over
// the challenge's dark clutter, so its insides become a light sticker while
// the outside stays transparent like every other tile's.
func fillInside(img *image.NRGBA, bg color.NRGBA) {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	open := func(x, y int) bool { return img.Pix[img.PixOffset(x, y)+3] < 128 }
	outside := make([]bool, w*h)
	var stack []int
	push := func(x, y int) {
		if x < 0 || y < 0 || x >= w || y >= h || outside[y*w+x] || !open(x, y) {
			return
		}
		outside[y*w+x] = true
		stack = append(stack, y*w+x)
	}
	for i := 0; i < w; i++ {
		push(i, 0)
		push(i, h-1)
		push(0, i)
		push(w-1, i)
	}
	for len(stack) > 0 {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		x, y := p%w, p/w
		push(x+1, y)
		push(x-1, y)
		push(x, y+1)
		push(x, y-1)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if outside[y*w+x] {
				continue
			}
			o := img.PixOffset(x, y)
			a := int(img.Pix[o+3])
			for c := 0; c < 3; c++ {
				img.Pix[o+c] = uint8((int(img.Pix[o+c])*a + int(channelOf(bg, c))*(255-a) + 127) / 255)
			}
			img.Pix[o+3] = 255
		}
	}
}

func channelOf(c color.NRGBA, i int) uint8 {
	return []uint8{c.R, c.G, c.B}[i]
}
