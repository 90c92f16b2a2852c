// Command webp2dataset converts an image dataset holding WebP pictures into
// the format Captchaify's datasetDir reads: a JSON object
// {"keyword": ["base64 PNG", …]}, gzip-compressed with -gzip.
//
// Input is either a flask_Captchaify dataset file (JSON, optionally
// gzip-compressed, whose pictures are base64 of WebP, of gzip-compressed WebP
// as flask_Captchaify 1.6.9 stored them, or of PNG/JPEG/GIF), or a directory
// with one subdirectory per keyword holding .webp/.png/.jpg/.gif files.
// Pictures wider or taller than -max pixels are scaled down (Catmull-Rom).
//
//	cd tools && go run ./cmd/webp2dataset -in keys.json -out /etc/captchaify/datasets/keys.json
//	cd tools && go run ./cmd/webp2dataset -in ./photos -out /etc/captchaify/datasets/photos.json -gzip
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/gif"
	_ "image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp"
)

func main() {
	in := flag.String("in", "", "dataset file (.json, optionally gzip) or directory of keyword subdirectories")
	out := flag.String("out", "", "output file, <name>.json (the name is what oneclick_<name> selects)")
	zip := flag.Bool("gzip", false, "gzip-compress the output")
	max := flag.Int("max", 200, "scale pictures down to at most this many pixels per side (0: keep)")
	flag.Parse()
	if *in == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: webp2dataset -in FILE|DIR -out NAME.json [-gzip] [-max 200]")
		os.Exit(2)
	}
	n, err := convert(*in, *out, *zip, *max)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webp2dataset:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %s: %d pictures\n", *out, n)
}

// convert reads the input dataset and writes it as PNG pictures.
func convert(in, out string, zip bool, max int) (int, error) {
	src, err := readInput(in)
	if err != nil {
		return 0, err
	}
	if len(src) == 0 {
		return 0, errors.New("no keywords in the input")
	}
	res := map[string][]string{}
	count := 0
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, kw := range keys {
		for i, data := range src[kw] {
			p, err := toPNG(data, max)
			if err != nil {
				return 0, fmt.Errorf("keyword %q, picture %d: %w", kw, i, err)
			}
			res[kw] = append(res[kw], base64.StdEncoding.EncodeToString(p))
			count++
		}
	}
	body, err := json.Marshal(res)
	if err != nil {
		return 0, err
	}
	if zip {
		var z bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		zw.Write(body)
		if err := zw.Close(); err != nil {
			return 0, err
		}
		body = z.Bytes()
	}
	return count, os.WriteFile(out, body, 0o644)
}

// readInput returns keyword → raw picture bytes.
func readInput(in string) (map[string][][]byte, error) {
	st, err := os.Stat(in)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return readDir(in)
	}
	raw, err := os.ReadFile(in)
	if err != nil {
		return nil, err
	}
	raw, err = gunzipMaybe(raw)
	if err != nil {
		return nil, err
	}
	var m map[string][]string
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%s: not a JSON object of keyword → list of base64 pictures: %w", in, err)
	}
	out := map[string][][]byte{}
	for kw, list := range m {
		for i, s := range list {
			b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
			if err != nil {
				return nil, fmt.Errorf("keyword %q, picture %d: not base64: %w", kw, i, err)
			}
			if b, err = gunzipMaybe(b); err != nil {
				return nil, fmt.Errorf("keyword %q, picture %d: %w", kw, i, err)
			}
			out[kw] = append(out[kw], b)
		}
	}
	return out, nil
}

func readDir(dir string) (map[string][][]byte, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	out := map[string][][]byte{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			switch strings.ToLower(filepath.Ext(f.Name())) {
			case ".webp", ".png", ".jpg", ".jpeg", ".gif":
			default:
				continue
			}
			b, err := os.ReadFile(filepath.Join(dir, e.Name(), f.Name()))
			if err != nil {
				return nil, err
			}
			out[e.Name()] = append(out[e.Name()], b)
		}
	}
	return out, nil
}

// gunzipMaybe inflates gzip data (told by its magic bytes), else returns it.
func gunzipMaybe(b []byte) ([]byte, error) {
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		return b, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("gzip: %w", err)
	}
	return io.ReadAll(zr)
}

// toPNG decodes a WebP, PNG, JPEG or GIF picture and encodes it as PNG,
// scaled down to at most max pixels per side.
func toPNG(data []byte, max int) ([]byte, error) {
	img, format, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("not a WebP, PNG, JPEG or GIF picture: %w", err)
	}
	_ = format
	b := img.Bounds()
	if max > 0 && (b.Dx() > max || b.Dy() > max) {
		w, h := max, b.Dy()*max/b.Dx()
		if b.Dy() > b.Dx() {
			w, h = b.Dx()*max/b.Dy(), max
		}
		if w < 1 {
			w = 1
		}
		if h < 1 {
			h = 1
		}
		dst := image.NewNRGBA(image.Rect(0, 0, w, h))
		xdraw.CatmullRom.Scale(dst, dst.Rect, img, b, xdraw.Src, nil)
		img = dst
	}
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, img); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
