//go:build ignore

// This file is not built with tools/geobench: the benchmark copies it next to
// the plugin's sources (package captchaify) in a temporary GOPATH, so that
// Yaegi times the unexported geo lookup itself, inside the interpreter.

package captchaify

import (
	"net/netip"
	"time"
)

// GeoBenchLookups opens the database at path (shared, as New does) and times
// n lookups inside the interpreter, returning the nanoseconds of the loop
// alone and the country of the first address. Modes:
//   - "cold": n new addresses, and no record read before (a tree walk, a
//     record decode, two cache inserts);
//   - "known-record": n new addresses whose records were read before (for
//     other addresses of the same networks): a tree walk and a map read;
//   - "cached": one address n times (the answer cache).
func GeoBenchLookups(path string, n int, mode string, seed uint32) (int64, string, error) {
	d, err := openGeoDatabase("geoipDatabase", path, logger{})
	if err != nil {
		return 0, "", err
	}
	addrs := make([]netip.Addr, n)
	for i := range addrs {
		v := seed + uint32(i)*2654435761 // spread over the IPv4 space, distinct
		if mode == "cached" {
			v = 0x59a01470 // 89.160.20.112
		}
		addrs[i] = netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
	}
	now := time.Now()
	forget := func(records bool) {
		d.mu.Lock()
		if records {
			d.reader.records = make(map[int]*geoInfo)
		}
		d.cache = make(map[netip.Addr]*geoInfo)
		d.mu.Unlock()
	}
	switch mode {
	case "cold":
		forget(true)
	case "known-record":
		for _, a := range addrs {
			d.lookup(a, now)
		}
		forget(false)
	}
	start := time.Now()
	for _, a := range addrs {
		geoLookup(d, a, now) // as clientFacts asks
	}
	elapsed := time.Since(start).Nanoseconds()
	g, _ := d.lookup(addrs[0], now)
	cc := ""
	if g != nil {
		cc = g.countryCode
	}
	return elapsed, cc, nil
}
