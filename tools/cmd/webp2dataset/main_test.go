package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
)

// webpSamples are WebP files of golang.org/x/image's test data.
func webpSamples(t *testing.T) [][]byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "golang.org/x/image").Output()
	if err != nil {
		t.Skipf("golang.org/x/image not found: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "testdata")
	var samples [][]byte
	for _, name := range []string{"blue-purple-pink.lossy.webp", "blue-purple-pink.lossless.webp"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("x/image test data: %v", err)
		}
		samples = append(samples, b)
	}
	return samples
}

// A flask_Captchaify 1.6.9 dataset (base64 of gzip of WebP, the file
// gzip-compressed too) becomes PNGs that the plugin serves.
func TestConvertSeedDatasetForThePlugin(t *testing.T) {
	samples := webpSamples(t)
	gz := func(b []byte) []byte {
		var z bytes.Buffer
		w := gzip.NewWriter(&z)
		w.Write(b)
		w.Close()
		return z.Bytes()
	}
	seed := map[string][]string{}
	for _, kw := range []string{"sky", "sea", "sand"} {
		for _, s := range samples {
			seed[kw] = append(seed[kw], base64.StdEncoding.EncodeToString(gz(s)))
		}
	}
	raw, _ := json.Marshal(seed)
	dir := t.TempDir()
	in := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(in, gz(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(dir, "datasets")
	os.Mkdir(outDir, 0o755)
	n, err := convert(in, filepath.Join(outDir, "seed.json"), true, 64)
	if err != nil || n != 6 {
		t.Fatalf("convert: %d pictures, %v", n, err)
	}

	// The output is a gzip-compressed {"keyword": ["base64 PNG"]} of small PNGs.
	b, _ := os.ReadFile(filepath.Join(outDir, "seed.json"))
	b, err = gunzipMaybe(b)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string][]string
	if err := json.Unmarshal(b, &got); err != nil || len(got) != 3 {
		t.Fatalf("output: %v, %d keywords", err, len(got))
	}
	p, _ := base64.StdEncoding.DecodeString(got["sky"][0])
	img, err := png.Decode(bytes.NewReader(p))
	if err != nil || img.Bounds().Dx() > 64 || img.Bounds().Dy() > 64 {
		t.Fatalf("picture: %v, %v", err, img.Bounds())
	}

	// The plugin loads it and serves a challenge from it.
	cfg := captchaify.CreateConfig()
	cfg.Secret = "webp2dataset-test-secret-0123456789abcdef"
	cfg.DefaultAction = "fight"
	cfg.DefaultCaptchaType = "oneclick_seed"
	cfg.DatasetDir = outDir
	h, err := captchaify.New(context.Background(), http.NotFoundHandler(), cfg, "webp2dataset-test")
	if err != nil {
		t.Fatalf("New with the converted dataset: %v", err)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Header.Set("User-Agent", "Mozilla/5.0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `name="ci"`) {
		t.Fatalf("no oneclick challenge from the converted dataset: %d", rec.Code)
	}
}

func TestConvertDirectoryAndBadInput(t *testing.T) {
	samples := webpSamples(t)
	dir := t.TempDir()
	for _, kw := range []string{"a", "b"} {
		os.MkdirAll(filepath.Join(dir, "in", kw), 0o755)
		os.WriteFile(filepath.Join(dir, "in", kw, "1.webp"), samples[0], 0o644)
		os.WriteFile(filepath.Join(dir, "in", kw, "notes.txt"), []byte("ignored"), 0o644)
	}
	if n, err := convert(filepath.Join(dir, "in"), filepath.Join(dir, "out.json"), false, 0); err != nil || n != 2 {
		t.Fatalf("directory: %d pictures, %v", n, err)
	}
	os.WriteFile(filepath.Join(dir, "bad.json"), []byte(`{"a": ["aGVsbG8="]}`), 0o644)
	if _, err := convert(filepath.Join(dir, "bad.json"), filepath.Join(dir, "x.json"), false, 0); err == nil || !strings.Contains(err.Error(), `keyword "a", picture 0`) {
		t.Fatalf("a picture that is no picture: %v", err)
	}
}
