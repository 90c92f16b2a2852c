package behaviour

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// The image challenges: oneclick (each candidate a submit button ci=N) and
// multiclick (checkboxes ciN), solved by opening ct with the secret.

var (
	refPattern      = regexp.MustCompile(`<img class="ref" src="(data:image/jpeg;base64,[A-Za-z0-9+/=]+)"[^>]* alt="([^"]+)"`)
	buttonPattern   = regexp.MustCompile(`<button type="submit" class="cand" name="ci" value="(\d+)"><img src="(data:image/jpeg;base64,[A-Za-z0-9+/=]+)" width="\d+" height="\d+" alt="([^"]+)"></button>`)
	checkboxPattern = regexp.MustCompile(`<input type="checkbox" name="ci(\d+)" value="1"><img src="(data:image/jpeg;base64,[A-Za-z0-9+/=]+)" width="\d+" height="\d+" alt="([^"]+)">`)
)

// imagePage is a parsed oneclick or multiclick page.
type imagePage struct {
	res    response
	kind   string
	ct     string
	ref    string
	images []string // candidates' data URLs, by index
	alts   []string
}

func mustImageChallenge(t *testing.T, res response, kind string) imagePage {
	t.Helper()
	if res.status != http.StatusOK {
		t.Fatalf("want a %s challenge page, got %d: %.300s", kind, res.status, res.body)
	}
	m := ctPattern.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("%s page without ct: %.300s", kind, res.body)
	}
	p := imagePage{res: res, kind: kind, ct: m[1]}
	r := refPattern.FindStringSubmatch(res.body)
	if r == nil {
		t.Fatalf("%s page without a reference image", kind)
	}
	p.ref = r[1]
	pattern := buttonPattern
	if kind == "multiclick" {
		pattern = checkboxPattern
	}
	for i, c := range pattern.FindAllStringSubmatch(res.body, -1) {
		if c[1] != strconv.Itoa(i) {
			t.Fatalf("candidate %d carries index %s", i, c[1])
		}
		p.images = append(p.images, c[2])
		p.alts = append(p.alts, html.UnescapeString(c[3]))
	}
	if len(p.images) == 0 {
		t.Fatalf("%s page without candidates: %.500s", kind, res.body)
	}
	if strings.Contains(strings.ToLower(res.body), "<script") {
		t.Errorf("%s page carries JavaScript", kind)
	}
	if res.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q, want no-store", res.header.Get("Cache-Control"))
	}
	return p
}

// info opens the page's ct as the captchaify-dev tool does.
func (p imagePage) info(t *testing.T) captchaify.ChallengeInfo {
	t.Helper()
	info, err := captchaify.OpenChallengeToken(secret, p.ct)
	if err != nil {
		t.Fatalf("open ct: %v", err)
	}
	if info.Type != p.kind {
		t.Fatalf("ct type %q, want %q", info.Type, p.kind)
	}
	return info
}

// form is the answer choosing the given candidates.
func (p imagePage) form(choice []int) url.Values {
	f := url.Values{"ct": {p.ct}}
	for _, i := range choice {
		if p.kind == "oneclick" {
			f.Add("ci", strconv.Itoa(i))
		} else {
			f.Set("ci"+strconv.Itoa(i), "1")
		}
	}
	return f
}

// solveImage answers the image challenge at target rightly; returns the 303.
func (s *site) solveImage(t *testing.T, v *visitor, target, kind string) response {
	t.Helper()
	page := mustImageChallenge(t, s.get(t, v, target), kind)
	res := s.answer(t, v, page.res, page.form(page.info(t).Indexes))
	if res.status != http.StatusSeeOther {
		t.Fatalf("solving %s: want 303, got %d: %.300s", kind, res.status, res.body)
	}
	for _, c := range res.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "captcha=") {
			v.cookie = strings.SplitN(c, ";", 2)[0]
		}
	}
	return res
}

func TestDefaultTypeIsOneclick(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := &site{}
		h, err := f.New(context.Background(), http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			io.WriteString(rw, "backend")
		}), map[string]any{"secret": secret, "defaultAction": "fight"}, uniqueName())
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		s.handler = h
		v := browser("198.51.100.150")
		page := mustImageChallenge(t, s.get(t, v, "/"), "oneclick")
		if len(page.images) != 10 {
			t.Errorf("default hardness 2: %d candidates, want 10", len(page.images))
		}
		res := s.answer(t, v, page.res, page.form(page.info(t).Indexes))
		if res.status != http.StatusSeeOther {
			t.Fatalf("want 303, got %d", res.status)
		}
	})
}

func TestOneclickByHardness(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		want := map[int]int{1: 6, 2: 10, 3: 16}
		for h := 1; h <= 3; h++ {
			s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick", "defaultHardness": h})
			v := browser(fmt.Sprintf("198.51.100.%d", 150+h))
			page := mustImageChallenge(t, s.get(t, v, "/p?x=1"), "oneclick")
			if len(page.images) != want[h] {
				t.Errorf("hardness %d: %d candidates, want %d", h, len(page.images), want[h])
			}
			info := page.info(t)
			if info.Hardness != h || len(info.Indexes) != 1 || info.Indexes[0] >= len(page.images) || info.Answer != strconv.Itoa(info.Indexes[0]) {
				t.Fatalf("hardness %d: ct holds %+v", h, info)
			}
			for i, alt := range page.alts {
				if alt != fmt.Sprintf("Picture %d of %d", i+1, len(page.images)) {
					t.Errorf("candidate %d alt %q", i, alt)
				}
			}
			res := s.answer(t, v, page.res, page.form(info.Indexes))
			if res.status != http.StatusSeeOther || res.header.Get("Location") != "/p?x=1" {
				t.Fatalf("hardness %d: want 303 to /p?x=1, got %d %q", h, res.status, res.header.Get("Location"))
			}
			for _, c := range res.header.Values("Set-Cookie") {
				if strings.HasPrefix(c, "captcha=") {
					v.cookie = strings.SplitN(c, ";", 2)[0]
				}
			}
			mustReach(t, s.get(t, v, "/p?x=1"), "backend /p?x=1")
		}
	})
}

func TestMulticlickByHardness(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		type bounds struct{ n, lo, hi int }
		want := map[int]bounds{1: {9, 2, 4}, 2: {12, 2, 5}, 3: {16, 3, 6}}
		for h := 1; h <= 3; h++ {
			s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "multiclick", "defaultHardness": h})
			v := browser(fmt.Sprintf("198.51.100.%d", 160+h))
			page := mustImageChallenge(t, s.get(t, v, "/"), "multiclick")
			info := page.info(t)
			b := want[h]
			if len(page.images) != b.n || len(info.Indexes) < b.lo || len(info.Indexes) > b.hi {
				t.Errorf("hardness %d: %d candidates, %d right; want %d and %d–%d", h, len(page.images), len(info.Indexes), b.n, b.lo, b.hi)
			}
			if !strings.Contains(page.res.body, `<button type="submit">Continue</button>`) {
				t.Errorf("multiclick page without a submit button")
			}
			res := s.answer(t, v, page.res, page.form(info.Indexes))
			if res.status != http.StatusSeeOther {
				t.Fatalf("hardness %d: want 303, got %d", h, res.status)
			}
		}
	})
}

// Every picture served is new: no two share bytes, within a page or across.
func TestImagesNeverRepeat(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick_animals", "defaultHardness": 1, "datasetSize": "little"})
		seen := map[string]bool{}
		for i := 0; i < 8; i++ {
			page := mustImageChallenge(t, s.get(t, browser("198.51.100.170"), "/"), "oneclick")
			for _, img := range append([]string{page.ref}, page.images...) {
				if seen[img] {
					t.Fatalf("page %d: an image was served twice", i)
				}
				seen[img] = true
				raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(img, "data:image/jpeg;base64,"))
				if err != nil {
					t.Fatal(err)
				}
				m, err := jpeg.Decode(bytes.NewReader(raw))
				if err != nil {
					t.Fatalf("served image is no JPEG: %v", err)
				}
				if w := m.Bounds().Dx(); w < 64 {
					t.Errorf("image %d px wide", w)
				}
			}
		}
	})
}

func TestImageWrongChoicesCounted(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick"})
		v := browser("198.51.100.171")
		// fight allows two failures; the third locks the client out.
		for i := 1; i <= 3; i++ {
			page := mustImageChallenge(t, s.get(t, v, "/"), "oneclick")
			right := page.info(t).Indexes[0]
			res := s.answer(t, v, page.res, page.form([]int{(right + i) % len(page.images)}))
			if i < 3 {
				mustImageChallenge(t, res, "oneclick")
				if !strings.Contains(res.body, "not right") {
					t.Errorf("attempt %d: want the error line", i)
				}
				continue
			}
			if res.status != http.StatusForbidden {
				t.Fatalf("third wrong choice: want 403, got %d", res.status)
			}
		}

		m := newSite(t, f, map[string]any{"defaultAction": "captcha", "defaultCaptchaType": "multiclick", "defaultHardness": 1})
		bot := &visitor{ip: "198.51.100.172"} // no user agent: suspicious, so challenged
		page := mustImageChallenge(t, m.get(t, bot, "/"), "multiclick")
		right := page.info(t).Indexes
		wrong := [][]int{right[1:], append(append([]int{}, right...), otherIndex(right, len(page.images))), nil}
		for i, choice := range wrong {
			res := m.answer(t, bot, page.res, page.form(choice))
			if res.status == http.StatusSeeOther {
				t.Fatalf("wrong choice %d (%v, right %v) accepted", i, choice, right)
			}
			page = mustImageChallenge(t, res, "multiclick")
			right = page.info(t).Indexes
		}
		// Three failures counted: the fourth locks out (captcha allows three).
		res := m.answer(t, bot, page.res, page.form([]int{otherIndex(right, len(page.images))}))
		if res.status != http.StatusForbidden {
			t.Fatalf("fourth wrong answer: want 403, got %d", res.status)
		}
	})
}

func otherIndex(right []int, n int) int {
next:
	for i := 0; i < n; i++ {
		for _, r := range right {
			if r == i {
				continue next
			}
		}
		return i
	}
	return n
}

func TestImageSpentAndGarbledAnswers(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick"})
		v := browser("198.51.100.173")
		page := mustImageChallenge(t, s.get(t, v, "/"), "oneclick")
		form := page.form(page.info(t).Indexes)
		if res := s.answer(t, v, page.res, form); res.status != http.StatusSeeOther {
			t.Fatalf("first answer: %d", res.status)
		}
		res := s.answer(t, &visitor{ip: v.ip, ua: v.ua}, page.res, form)
		if res.status == http.StatusSeeOther || !strings.Contains(res.body, "already used") {
			t.Fatalf("replayed ct: got %d, want a new challenge saying it was used", res.status)
		}
		// Two answers at once, or garbage, are wrong answers, never a 500.
		for i, bad := range []url.Values{
			{"ci": {"0", "1"}},
			{"ci": {"-1"}},
			{"ci": {"x"}},
			{"ci": {"99999999999999999999"}},
			{"ci0": {"1"}},
			{},
		} {
			w := browser(fmt.Sprintf("198.51.100.%d", 210+i)) // one each: stay under the lockout
			page := mustImageChallenge(t, s.get(t, w, "/"), "oneclick")
			bad.Set("ct", page.ct)
			res := s.answer(t, w, page.res, bad)
			if res.status == http.StatusSeeOther {
				t.Fatalf("%v accepted", bad)
			}
			mustImageChallenge(t, res, "oneclick")
		}
	})
}

// A challenge solved at a lower hardness than the route asks for does not
// pass, even when the answer is right.
func TestImageLowerHardnessRefused(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		easy := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick", "defaultHardness": 1})
		hard := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick", "defaultHardness": 3})
		v := browser("198.51.100.180")
		page := mustImageChallenge(t, easy.get(t, v, "/x"), "oneclick")
		res := hard.answer(t, v, page.res, page.form(page.info(t).Indexes))
		if res.status == http.StatusSeeOther {
			t.Fatal("a hardness-1 answer passed a hardness-3 route")
		}
		next := mustImageChallenge(t, res, "oneclick")
		if !strings.Contains(res.body, "harder challenge") || next.info(t).Hardness != 3 || len(next.images) != 16 {
			t.Errorf("want a hardness-3 challenge with the 'harder' message")
		}
		// A multiclick route does not take a oneclick answer.
		multi := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "multiclick", "defaultHardness": 1})
		page = mustImageChallenge(t, easy.get(t, v, "/x"), "oneclick")
		if res := multi.answer(t, v, page.res, page.form(page.info(t).Indexes)); res.status == http.StatusSeeOther {
			t.Fatal("a oneclick answer passed a multiclick route")
		}
	})
}

func TestBuiltinDatasetsAndSizes(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for i, c := range []struct{ typ, kind, size string }{
			{"oneclick_emojis", "oneclick", ""},
			{"multiclick_keys", "multiclick", "small"},
			{"oneclick_animals", "oneclick", "2,3"},
			{"multiclick_emojis", "multiclick", "little"},
			{"multiclick", "multiclick", "largest"},
		} {
			cfg := map[string]any{"defaultAction": "fight", "defaultCaptchaType": c.typ, "defaultHardness": 3}
			if c.size != "" {
				cfg["datasetSize"] = c.size
			}
			s := newSite(t, f, cfg)
			v := browser(fmt.Sprintf("198.51.100.%d", 190+i))
			s.solveImage(t, v, "/", c.kind)
			mustReach(t, s.get(t, v, "/"), "backend /?")
		}
		// Route maps choose types and datasets per path.
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "text",
			"captchaTypes": map[string]any{"/shop/*": "multiclick_emojis", "/blog/*": "oneclick"}})
		v := browser("198.51.100.199")
		mustImageChallenge(t, s.get(t, v, "/shop/a"), "multiclick")
		mustImageChallenge(t, s.get(t, v, "/blog/a"), "oneclick")
		mustChallenge(t, s.get(t, v, "/"))
	})
}

// customDataset writes <dir>/<name>.json (gzip-compressed when zipped) with
// keywords of solid-colour pictures in PNG, JPEG and GIF.
func customDataset(t *testing.T, dir, name string, zipped bool) {
	t.Helper()
	colours := map[string]color.RGBA{
		"red": {220, 30, 30, 255}, "green": {30, 200, 60, 255}, "blue": {30, 60, 220, 255},
		"yellow": {240, 220, 30, 255}, "black": {10, 10, 10, 255},
	}
	data := map[string][]string{}
	for kw, c := range colours {
		m := image.NewRGBA(image.Rect(0, 0, 48, 40))
		for i := 0; i < len(m.Pix); i += 4 {
			m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = c.R, c.G, c.B, 255
		}
		var p, j, g bytes.Buffer
		if err := png.Encode(&p, m); err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(&j, m, nil); err != nil {
			t.Fatal(err)
		}
		if err := gif.Encode(&g, m, nil); err != nil {
			t.Fatal(err)
		}
		for _, b := range []bytes.Buffer{p, j, g} {
			data[kw] = append(data[kw], base64.StdEncoding.EncodeToString(b.Bytes()))
		}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		t.Fatal(err)
	}
	if zipped {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write(raw)
		zw.Close()
		raw = z.Bytes()
	}
	if err := os.WriteFile(filepath.Join(dir, name+".json"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCustomDatasets(t *testing.T) {
	dir := t.TempDir()
	customDataset(t, dir, "colours", false)
	customDataset(t, dir, "zipped", true)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick_colours", "datasetDir": dir,
			"captchaTypes": map[string]any{"/z/*": "multiclick_zipped", "/k/*": "oneclick_keys"}})
		v := browser("198.51.100.200")
		s.solveImage(t, v, "/", "oneclick")
		w := browser("198.51.100.201")
		s.solveImage(t, w, "/z/1", "multiclick")
		mustImageChallenge(t, s.get(t, browser("198.51.100.202"), "/k/1"), "oneclick")
	})
}

func TestBadDatasetsFailNew(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("broken.json", `{"cat": ["AAAA"`)
	write("notimage.json", `{"cat": ["`+base64.StdEncoding.EncodeToString([]byte("hello, not a picture"))+`"], "dog": []}`)
	write("badb64.json", `{"cat": ["***"], "dog": ["***"]}`)
	write("onekw.json", `{"cat": []}`)
	write("badgzip.json", "\x1f\x8b\x08\x00garbage")
	cases := []struct {
		cfg  map[string]any
		want []string
	}{
		{map[string]any{"defaultCaptchaType": "oneclick_broken", "datasetDir": dir}, []string{filepath.Join(dir, "broken.json"), "not a JSON object"}},
		{map[string]any{"defaultCaptchaType": "oneclick_notimage", "datasetDir": dir}, []string{"notimage.json", `keyword "cat", image 0: not a PNG, JPEG or GIF`}},
		{map[string]any{"defaultCaptchaType": "multiclick_badb64", "datasetDir": dir}, []string{"badb64.json", "not base64"}},
		{map[string]any{"defaultCaptchaType": "oneclick_onekw", "datasetDir": dir}, []string{"onekw.json", "at least 2 keywords"}},
		{map[string]any{"defaultCaptchaType": "oneclick_badgzip", "datasetDir": dir}, []string{"badgzip.json", "gzip"}},
		{map[string]any{"defaultCaptchaType": "oneclick_missing", "datasetDir": dir}, []string{"missing.json"}},
		{map[string]any{"defaultCaptchaType": "oneclick_custom"}, []string{`dataset "custom"`, "datasetDir"}},
		{map[string]any{"datasetDir": filepath.Join(dir, "nope")}, []string{"datasetDir"}},
		{map[string]any{"defaultCaptchaType": "oneclick", "datasetSize": "huge"}, []string{`datasetSize: "huge"`}},
		{map[string]any{"defaultCaptchaType": "oneclick", "datasetSize": "5,1"}, []string{"datasetSize"}},
		{map[string]any{"defaultCaptchaType": "oneclick_../etc"}, []string{"defaultCaptchaType"}},
		{map[string]any{"captchaTypes": map[string]any{"/x": "twoclick"}}, []string{`captchaTypes[/x]: "twoclick"`}},
		{map[string]any{"captchaTypes": map[string]any{"/x": "multiclick_nothere"}}, []string{`dataset "nothere"`}},
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, c := range cases {
			_, err := build(f, c.cfg, uniqueName())
			if err == nil {
				t.Errorf("%v: New succeeded", c.cfg)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v: error %q does not name %q", c.cfg, err, w)
				}
			}
		}
	})
}

// The answer endpoint reads ci from the form body only; a ci in the URL is
// ignored (the site's own arguments are never taken for an answer).
func TestImageAnswerFromBodyOnly(t *testing.T) {
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := newSite(t, f, map[string]any{"defaultAction": "fight", "defaultCaptchaType": "oneclick"})
		v := browser("198.51.100.205")
		page := mustImageChallenge(t, s.get(t, v, "/"), "oneclick")
		right := page.info(t).Indexes[0]
		r := httptest.NewRequest(http.MethodPost, "/?captchaify-answer=1&ci="+strconv.Itoa(right), strings.NewReader("ct="+url.QueryEscape(page.ct)))
		r.RemoteAddr = v.ip + ":40000"
		r.Header.Set("User-Agent", v.ua)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		s.handler.ServeHTTP(rec, r)
		if rec.Code == http.StatusSeeOther {
			t.Fatal("an answer in the URL was taken")
		}
	})
}
