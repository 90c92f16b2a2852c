package captchaify

// Image datasets: the built-in ones (generated into assets/ from emoji art)
// and custom ones from datasetDir in flask_Captchaify's format.

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // custom datasets may hold GIF,
	_ "image/jpeg" // JPEG
	"image/png"    // and PNG images
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/captchaify/captchaify/assets"
)

// dataset is a set of keywords, each with one or more pictures of it.
type dataset struct {
	name     string
	keywords []*datasetKeyword
}

type datasetKeyword struct {
	name   string
	group  string // keywords of one group look alike: never a wrong answer for each other
	images []*datasetImage
}

// datasetImage is one encoded picture (PNG, JPEG or GIF), decoded on use.
type datasetImage struct {
	data []byte
}

// Limits of custom datasets, so that a bad file can't exhaust memory.
const (
	maxDatasetFileBytes  = 512 << 20 // the file as stored (gzip or not)
	maxDatasetJSONBytes  = 1 << 30   // after gunzip
	maxDatasetImagePixel = 4096      // width or height of one picture
)

// datasetSize is how much of a dataset is used: the first `images`
// pictures of `keywords` randomly chosen keywords; 0 means all.
type datasetSize struct {
	images, keywords int
}

// datasetSizePresets are the seed's presets; "full" (the default) keeps
// everything.
var datasetSizePresets = map[string]datasetSize{
	"full":    {0, 0},
	"largest": {200, 140},
	"large":   {20, 140},
	"medium":  {100, 100},
	"normal":  {20, 100},
	"small":   {20, 36},
	"smaller": {20, 8},
	"little":  {6, 8},
}

func parseDatasetSize(v string) (datasetSize, error) {
	s := strings.ToLower(strings.TrimSpace(v))
	if s == "" {
		return datasetSize{}, nil
	}
	if p, ok := datasetSizePresets[s]; ok {
		return p, nil
	}
	parts := strings.Split(s, ",")
	if len(parts) == 2 {
		img, err1 := strconv.Atoi(strings.TrimSpace(parts[0]))
		kw, err2 := strconv.Atoi(strings.TrimSpace(parts[1]))
		if err1 == nil && err2 == nil && img >= 1 && kw >= 2 {
			return datasetSize{images: img, keywords: kw}, nil
		}
	}
	return datasetSize{}, fmt.Errorf("datasetSize: %q is not one of full, largest, large, medium, normal, small, smaller, little or \"images,keywords\" (images ≥ 1, keywords ≥ 2)", v)
}

// Built-in datasets: the tile pools are decoded once per process, the
// first time a dataset needs them.
var (
	poolsMu  sync.Mutex
	pools    = map[int][]*datasetImage{}
	builtins = map[string]*dataset{}
)

func builtinDatasetNames() []string { return []string{"keys", "animals", "emojis"} }

func isBuiltinDataset(name string) bool {
	for _, n := range builtinDatasetNames() {
		if n == name {
			return true
		}
	}
	return false
}

// loadBuiltinDataset returns a built-in dataset, decoding it on first use.
func loadBuiltinDataset(name string) (*dataset, error) {
	poolsMu.Lock()
	defer poolsMu.Unlock()
	if d := builtins[name]; d != nil {
		return d, nil
	}
	index := assets.BuiltinDataset(name)
	if index == "" {
		return nil, fmt.Errorf("no built-in dataset %q", name)
	}
	d := &dataset{name: name}
	for _, line := range strings.Split(strings.TrimSpace(index), "\n") {
		f := strings.SplitN(line, "|", 3)
		if len(f) != 3 {
			return nil, fmt.Errorf("built-in dataset %s: bad line %q", name, line)
		}
		k := &datasetKeyword{name: f[0], group: f[1]}
		for _, ref := range strings.Fields(f[2]) {
			img, err := builtinTile(ref)
			if err != nil {
				return nil, fmt.Errorf("built-in dataset %s: %v", name, err)
			}
			k.images = append(k.images, img)
		}
		d.keywords = append(d.keywords, k)
	}
	builtins[name] = d
	return d, nil
}

// builtinTile resolves "pool.index". Callers hold poolsMu.
func builtinTile(ref string) (*datasetImage, error) {
	dot := strings.IndexByte(ref, '.')
	if dot <= 0 {
		return nil, fmt.Errorf("bad tile reference %q", ref)
	}
	p, err1 := strconv.Atoi(ref[:dot])
	i, err2 := strconv.Atoi(ref[dot+1:])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("bad tile reference %q", ref)
	}
	tiles, ok := pools[p]
	if !ok {
		// DecodeString skips the constant's line breaks itself.
		raw, err := base64.StdEncoding.DecodeString(assets.DatasetPool(p))
		if err != nil || len(raw) == 0 {
			return nil, fmt.Errorf("tile pool %d: %v", p, err)
		}
		for len(raw) >= 4 {
			n := int(binary.BigEndian.Uint32(raw))
			if n > len(raw)-4 {
				return nil, fmt.Errorf("tile pool %d is truncated", p)
			}
			tiles = append(tiles, &datasetImage{data: raw[4 : 4+n : 4+n]})
			raw = raw[4+n:]
		}
		pools[p] = tiles
	}
	if i < 0 || i >= len(tiles) {
		return nil, fmt.Errorf("tile %q out of range", ref)
	}
	return tiles[i], nil
}

// Custom datasets are read at New and kept per file (path, size, mtime), so
// reloads and the many routers of one configuration share them.
type customKey struct {
	path  string
	size  int64
	mtime time.Time
}

var (
	customMu       sync.Mutex
	customDatasets = map[customKey]*dataset{}
)

// loadCustomDataset reads <dir>/<name>.json: {"keyword": ["base64 image", …]},
// optionally gzip-compressed (told by its magic bytes). Every image must be
// a PNG, JPEG or GIF; errors name the file and the reason.
func loadCustomDataset(dir, name string) (*dataset, error) {
	path := filepath.Join(dir, name+".json")
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("datasetDir: dataset %q: %v", name, err)
	}
	key := customKey{path: path, size: st.Size(), mtime: st.ModTime()}
	customMu.Lock()
	d := customDatasets[key]
	customMu.Unlock()
	if d != nil {
		return d, nil
	}
	d, err = readCustomDataset(path, name, st.Size())
	if err != nil {
		return nil, fmt.Errorf("datasetDir: %s: %v", path, err)
	}
	customMu.Lock()
	for k := range customDatasets {
		if k.path == path {
			delete(customDatasets, k) // an older version of the file
		}
	}
	customDatasets[key] = d
	customMu.Unlock()
	return d, nil
}

func readCustomDataset(path, name string, size int64) (*dataset, error) {
	if size > maxDatasetFileBytes {
		return nil, fmt.Errorf("file is larger than %d MiB", maxDatasetFileBytes>>20)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r io.Reader = bytes.NewReader(raw)
	if len(raw) >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip: %v", err)
		}
		r = gz
	}
	body, err := io.ReadAll(io.LimitReader(r, maxDatasetJSONBytes+1))
	if err != nil {
		return nil, fmt.Errorf("gzip: %v", err)
	}
	if len(body) > maxDatasetJSONBytes {
		return nil, fmt.Errorf("more than %d MiB of JSON", maxDatasetJSONBytes>>20)
	}
	var m map[string][]string
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object of keyword → list of base64 images: %v", err)
	}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	d := &dataset{name: name}
	for _, kw := range names {
		k := &datasetKeyword{name: kw, group: kw}
		for i, s := range m[kw] {
			data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
			if err != nil {
				if data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(strings.TrimSpace(s), "=")); err != nil {
					return nil, fmt.Errorf("keyword %q, image %d: not base64: %v", kw, i, err)
				}
			}
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("keyword %q, image %d: not a PNG, JPEG or GIF image: %v", kw, i, err)
			}
			if cfg.Width < 8 || cfg.Height < 8 || cfg.Width > maxDatasetImagePixel || cfg.Height > maxDatasetImagePixel {
				return nil, fmt.Errorf("keyword %q, image %d: %s of %d×%d px (8 to %d px per side)", kw, i, format, cfg.Width, cfg.Height, maxDatasetImagePixel)
			}
			k.images = append(k.images, &datasetImage{data: data})
		}
		if len(k.images) > 0 {
			d.keywords = append(d.keywords, k)
		}
	}
	if len(d.keywords) < 2 {
		return nil, errors.New("needs at least 2 keywords with images")
	}
	return d, nil
}

// subset applies a datasetSize: the first size.images pictures of
// size.keywords randomly chosen keywords. Unlike the seed, asking for as
// many keywords as there are (or more) keeps them all.
func (d *dataset) subset(size datasetSize) *dataset {
	if size.images == 0 && size.keywords == 0 {
		return d
	}
	kws := d.keywords
	if size.keywords > 0 && size.keywords < len(kws) {
		picked := make([]*datasetKeyword, len(kws))
		copy(picked, kws)
		for i := len(picked) - 1; i > 0; i-- {
			j := randN(i + 1)
			picked[i], picked[j] = picked[j], picked[i]
		}
		kws = picked[:size.keywords]
	}
	out := &dataset{name: d.name, keywords: make([]*datasetKeyword, 0, len(kws))}
	for _, k := range kws {
		imgs := k.images
		if size.images > 0 && size.images < len(imgs) {
			imgs = imgs[:size.images]
		}
		out.keywords = append(out.keywords, &datasetKeyword{name: k.name, group: k.group, images: imgs})
	}
	return out
}

// groups counts the distinct groups: a challenge needs at least two.
func (d *dataset) groups() int {
	seen := map[string]bool{}
	for _, k := range d.keywords {
		seen[k.group] = true
	}
	return len(seen)
}

// Decoded pictures are cached up to decodedCacheBytes of pixels (the keys
// and animals sets fit whole); a random entry makes room when full.
const decodedCacheBytes = 48 << 20

var (
	decodedMu    sync.Mutex
	decoded      = map[*datasetImage]*image.RGBA{}
	decodedBytes int
)

// sourceSide is the size pictures are decoded to (fitted in a square,
// scaled once when decoded): the size candidates are drawn at, so drawing
// them needs no scaling pass.
const sourceSide = 56

// rgba returns the picture as *image.RGBA, the fast path of image/draw,
// fitted in sourceSide×sourceSide.
func (img *datasetImage) rgba() (*image.RGBA, error) {
	decodedMu.Lock()
	m := decoded[img]
	decodedMu.Unlock()
	if m != nil {
		return m, nil
	}
	m, err := decodeImage(img.data)
	if err != nil {
		return nil, err
	}
	decodedMu.Lock()
	if decodedBytes+len(m.Pix) > decodedCacheBytes {
		for k, v := range decoded {
			decodedBytes -= len(v.Pix)
			delete(decoded, k)
			if decodedBytes+len(m.Pix) <= decodedCacheBytes {
				break
			}
		}
	}
	if old := decoded[img]; old != nil {
		decodedBytes -= len(old.Pix)
	}
	decoded[img] = m
	decodedBytes += len(m.Pix)
	decodedMu.Unlock()
	return m, nil
}

// decodeImage decodes a picture into *image.RGBA. (A plain function: under
// Yaegi a method called here lost its receiver.)
func decodeImage(data []byte) (*image.RGBA, error) {
	var src image.Image
	var err error
	if len(data) > 8 && data[0] == 0x89 && data[1] == 'P' {
		src, err = png.Decode(bytes.NewReader(data))
	} else {
		src, _, err = image.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	b := src.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, src, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	if w == sourceSide && h <= sourceSide || h == sourceSide && w <= sourceSide {
		return m, nil
	}
	if w > h {
		w, h = sourceSide, h*sourceSide/w
	} else {
		w, h = w*sourceSide/h, sourceSide
	}
	if w < 1 {
		w = 1
	}
	if h < 1 {
		h = 1
	}
	return scaleRGBA(m, w, h), nil
}

// validDatasetName accepts names safe as a file name: a-z, 0-9, _ and -.
func validDatasetName(name string) bool {
	if name == "" || len(name) > 64 || name[0] == '-' {
		return false
	}
	return strings.IndexFunc(name, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) < 0
}

func parseDatasetDir(v string) (string, error) {
	dir := strings.TrimSpace(v)
	if dir == "" {
		return "", nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return "", fmt.Errorf("datasetDir: %v", err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("datasetDir: %q is not a directory", dir)
	}
	return dir, nil
}

// subsetKey identifies one datasetSize cut of one dataset: the cut is made
// once per process, as in the seed.
type subsetKey struct {
	d    *dataset
	size datasetSize
}

var (
	subsetMu sync.Mutex
	subsets  = map[subsetKey]*dataset{}
)

// datasetFor returns the dataset called name, cut to size: <name>.json in
// dir when that file exists, else the built-in one.
func datasetFor(name, dir string, size datasetSize) (*dataset, error) {
	if !validDatasetName(name) {
		return nil, fmt.Errorf("dataset %q: not a dataset name", name)
	}
	var d *dataset
	var err error
	if dir != "" {
		if _, statErr := os.Stat(filepath.Join(dir, name+".json")); statErr == nil || !isBuiltinDataset(name) {
			d, err = loadCustomDataset(dir, name)
		}
	}
	if d == nil && err == nil {
		if !isBuiltinDataset(name) {
			return nil, fmt.Errorf("dataset %q: not built in (keys, animals, emojis) and no datasetDir is set", name)
		}
		d, err = loadBuiltinDataset(name)
	}
	if err != nil {
		return nil, err
	}
	subsetMu.Lock()
	defer subsetMu.Unlock()
	key := subsetKey{d: d, size: size}
	sub := subsets[key]
	if sub == nil {
		sub = d.subset(size)
		if sub.groups() < 2 {
			return nil, fmt.Errorf("datasetSize: leaves dataset %q with fewer than 2 distinct keywords", name)
		}
		subsets[key] = sub
	}
	return sub, nil
}

// imageDataset is the type and dataset a request's image challenge uses:
// the type's dataset, unless a rule changed it.
func imageDataset(p *prefs) (base, name string) {
	base, name = splitCaptchaType(p.captchaType)
	if p.dataset != "" && base != typeText {
		name = p.dataset
	}
	return base, name
}

// datasetsInUse lists the datasets the configuration can ask for: of the
// default type, the route maps and the rules.
func (s *settings) datasetsInUse() []string {
	seen := map[string]bool{}
	var out []string
	add := func(t, dataset string) {
		base, name := splitCaptchaType(t)
		if t == "" || base == typeText {
			name = ""
		}
		if dataset != "" {
			name = dataset
		}
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	add(s.defaults.captchaType, s.defaults.dataset)
	for _, t := range s.routes.tables {
		for i := range t {
			add(t[i].patch.captchaType, t[i].patch.dataset)
		}
	}
	for i := range s.rules.rules {
		add(s.rules.rules[i].patch.captchaType, s.rules.rules[i].patch.dataset)
	}
	return out
}

// loadDatasets loads every dataset in use; a bad one fails New.
func loadDatasets(s *settings) (map[string]*dataset, error) {
	out := map[string]*dataset{}
	for _, name := range s.datasetsInUse() {
		d, err := datasetFor(name, s.datasetDir, s.datasetSize)
		if err != nil {
			return nil, err
		}
		out[name] = d
	}
	return out, nil
}
