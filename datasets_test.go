package captchaify

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
)

func TestBuiltinDatasetsMeetTheirSizes(t *testing.T) {
	want := map[string]int{"keys": 140, "animals": 50, "emojis": 1000}
	for _, name := range builtinDatasetNames() {
		d, err := loadBuiltinDataset(name)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.keywords) < want[name] {
			t.Errorf("%s: %d keywords, want at least %d", name, len(d.keywords), want[name])
		}
		for _, k := range d.keywords {
			if len(k.images) == 0 {
				t.Fatalf("%s: keyword %q without pictures", name, k.name)
			}
			for _, img := range k.images {
				if _, err := img.rgba(); err != nil {
					t.Fatalf("%s: %q: %v", name, k.name, err)
				}
			}
		}
	}
}

func TestDatasetSizePresetsAndSubsets(t *testing.T) {
	mk := func(kws, imgs int) *dataset {
		d := &dataset{name: "t"}
		for i := 0; i < kws; i++ {
			k := &datasetKeyword{name: "k" + strconv.Itoa(i), group: "g" + strconv.Itoa(i)}
			for j := 0; j < imgs; j++ {
				k.images = append(k.images, &datasetImage{data: []byte{byte(j)}})
			}
			d.keywords = append(d.keywords, k)
		}
		return d
	}
	cases := []struct {
		in         string
		img, kw    int
		kwsIn      int
		wantKw     int
		wantImages int
	}{
		{"little", 6, 8, 20, 8, 6},
		{"smaller", 20, 8, 20, 8, 12},
		{"small", 20, 36, 20, 20, 12},
		{"normal", 20, 100, 200, 100, 12},
		{"medium", 100, 100, 100, 100, 12}, // exactly as many keywords: all kept (the seed's bug gave none)
		{"large", 20, 140, 10, 10, 12},
		{"largest", 200, 140, 150, 140, 12},
		{" 3 , 5 ", 3, 5, 9, 5, 3},
		{"", 0, 0, 30, 30, 12},
		{"full", 0, 0, 30, 30, 12},
	}
	for _, c := range cases {
		size, err := parseDatasetSize(c.in)
		if err != nil {
			t.Fatalf("%q: %v", c.in, err)
		}
		if size.images != c.img || size.keywords != c.kw {
			t.Errorf("%q = %+v, want %d images, %d keywords", c.in, size, c.img, c.kw)
		}
		sub := mk(c.kwsIn, 12).subset(size)
		if len(sub.keywords) != c.wantKw {
			t.Errorf("%q of %d keywords: %d kept, want %d", c.in, c.kwsIn, len(sub.keywords), c.wantKw)
		}
		for _, k := range sub.keywords {
			if len(k.images) != c.wantImages || k.images[0].data[0] != 0 {
				t.Errorf("%q: keyword keeps %d images (first %d), want the first %d", c.in, len(k.images), k.images[0].data[0], c.wantImages)
			}
		}
	}
	for _, bad := range []string{"huge", "1", "0,5", "3,1", "a,b", "1,2,3"} {
		if _, err := parseDatasetSize(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// buildImageChallenge: the right candidates show the target's motif (another
// picture of it when there is one), the others come from other groups; in
// multiclick wrong keywords come in pairs too, so groups alone say nothing.
func TestImageChallengeComposition(t *testing.T) {
	d, err := datasetFor("animals", "", datasetSize{})
	if err != nil {
		t.Fatal(err)
	}
	repeats := map[string]int{}
	for _, base := range []string{typeOneclick, typeMulticlick} {
		for h := 1; h <= 3; h++ {
			for i := 0; i < 200; i++ {
				ref, cands, right := buildImageChallenge(d, base, h)
				n := oneclickCandidates[h]
				lo, hi := 1, 1
				if base == typeMulticlick {
					n, lo, hi = multiclickCandidates[h], multiclickMinRight[h], multiclickMaxRight[h]
				}
				if len(cands) != n || len(right) < lo || len(right) > hi {
					t.Fatalf("%s h%d: %d candidates, %d right", base, h, len(cands), len(right))
				}
				wrongSeen := map[*datasetKeyword]bool{}
				for _, c := range cands {
					if c.kw != ref.kw && wrongSeen[c.kw] {
						repeats[base]++
						break
					}
					wrongSeen[c.kw] = true
				}
				isRight := map[int]bool{}
				for _, r := range right {
					isRight[r] = true
				}
				for j, c := range cands {
					switch {
					case isRight[j] && c.kw != ref.kw:
						t.Fatalf("right candidate %d shows %q, not %q", j, c.kw.name, ref.kw.name)
					case isRight[j] && len(ref.kw.images) > 1 && c.img == ref.img:
						t.Fatalf("right candidate %d is the reference picture although %q has others", j, ref.kw.name)
					case !isRight[j] && c.kw.group == ref.kw.group:
						t.Fatalf("wrong candidate %d (%q) looks like the target %q", j, c.kw.name, ref.kw.name)
					}
				}
			}
		}
	}
	if repeats[typeOneclick] != 0 || repeats[typeMulticlick] < 300 {
		t.Errorf("wrong keywords shown twice: oneclick %d, multiclick %d of 600 challenges", repeats[typeOneclick], repeats[typeMulticlick])
	}
}

func TestImageAnswerChecks(t *testing.T) {
	form := func(kv ...string) url.Values {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v
	}
	cases := []struct {
		kind, answer string
		form         url.Values
		want         bool
	}{
		{typeOneclick, "3", form("ci", "3"), true},
		{typeOneclick, "3", form("ci", " 3 "), true},
		{typeOneclick, "3", form("ci", "4"), false},
		{typeOneclick, "3", form("ci", "3", "ci", "4"), false},
		{typeOneclick, "3", form("ci3", "1"), false},
		{typeOneclick, "3", form(), false},
		{typeOneclick, "", form("ci", "0"), false},
		{typeMulticlick, "1,4,7", form("ci1", "1", "ci4", "1", "ci7", "1"), true},
		{typeMulticlick, "1,4,7", form("ci7", "on", "ci1", "1", "ci4", "x"), true},
		{typeMulticlick, "1,4,7", form("ci1", "1", "ci4", "1"), false},
		{typeMulticlick, "1,4,7", form("ci1", "1", "ci4", "1", "ci7", "1", "ci8", "1"), false},
		{typeMulticlick, "1,4,7", form("ci1", "1", "ci4", "1", "ci07", "1"), false},
		{typeMulticlick, "1,4,7", form("ci1", "1", "ci4", "1", "ci7", "1", "ci99", "1"), false},
		{typeMulticlick, "1,4,7", form("ci", "1"), false},
		{typeMulticlick, "1,4", form(), false},
	}
	for _, c := range cases {
		if got := imageAnswerRight(c.kind, c.answer, c.form); got != c.want {
			t.Errorf("%s %q %v: %v, want %v", c.kind, c.answer, c.form, got, c.want)
		}
	}
}

func TestParseCaptchaTypes(t *testing.T) {
	for in, want := range map[string]string{
		"oneclick": "oneclick_keys", "Multiclick": "multiclick_animals", "text": "text",
		"oneclick_emojis": "oneclick_emojis", "multiclick_my-set_2": "multiclick_my-set_2",
	} {
		got, err := parseCaptchaType("t", in)
		if err != nil || got != want {
			t.Errorf("%q = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "audio2", "oneclick_", "oneclick_../x", "oneclick_a/b", "text_keys", fmt.Sprintf("oneclick_%070d", 1)} {
		if _, err := parseCaptchaType("t", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
