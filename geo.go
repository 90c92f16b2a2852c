package captchaify

import (
	"fmt"
	"net/netip"
	"os"
	"sync"
	"time"
)

// geoInfo is what the offline databases know about one address. Empty
// strings and has* false mean "not in the database".
type geoInfo struct {
	continent, continentCode string
	country, countryCode     string
	region, regionCode       string
	city, zip, timezone      string
	lat, lon                 float64
	hasLocation              bool
	asName                   string
	asNumber                 float64
	hasAS                    bool
}

// geoDatabase is one .mmdb file, shared by every middleware that names the
// same path, with a bounded cache of answers. It is read again when the
// file changes on disk.
type geoDatabase struct {
	path string
	log  logger

	mu      sync.RWMutex
	reader  *mmdbReader
	modTime time.Time
	size    int64
	cache   map[netip.Addr]*geoInfo // nil: no data for the address
	checked time.Time               // last look at the file's modification time
	loading bool
}

const (
	geoCacheSize     = 20000
	geoCheckInterval = time.Minute
	// geoMaxFileSize bounds what is read into memory (GeoLite2 City is ~60 MiB).
	geoMaxFileSize = 1 << 30
)

var (
	geoDatabasesMu sync.Mutex
	geoDatabases   = make(map[string]*geoDatabase)
)

// openGeoDatabase returns the shared database for path, reading the file
// unless it is already loaded and unchanged. Errors name the option and path.
func openGeoDatabase(option, path string, log logger) (*geoDatabase, error) {
	geoDatabasesMu.Lock()
	defer geoDatabasesMu.Unlock()
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", option, err)
	}
	if d := geoDatabases[path]; d != nil {
		d.mu.RLock()
		same := d.modTime.Equal(st.ModTime()) && d.size == st.Size()
		d.mu.RUnlock()
		if same {
			return d, nil
		}
		if err := d.reload(); err != nil {
			return nil, fmt.Errorf("%s: %s: %v", option, path, err)
		}
		return d, nil
	}
	d := &geoDatabase{path: path, log: log}
	if err := d.reload(); err != nil {
		return nil, fmt.Errorf("%s: %s: %v", option, path, err)
	}
	geoDatabases[path] = d
	return d, nil
}

// reload reads and checks the file, and swaps it in when it is good.
func (d *geoDatabase) reload() error {
	st, err := os.Stat(d.path)
	if err != nil {
		return err
	}
	if st.Size() > geoMaxFileSize {
		return fmt.Errorf("%d bytes is larger than the %d bytes allowed", st.Size(), geoMaxFileSize)
	}
	buf, err := os.ReadFile(d.path)
	if err != nil {
		return err
	}
	r, err := parseMMDB(buf)
	if err != nil {
		return err
	}
	d.mu.Lock()
	// One field per statement: Yaegi v0.16.1 loses the other fields of a
	// tuple assignment that holds a compiled struct value (time.Time).
	d.reader = r
	d.modTime = st.ModTime()
	d.size = st.Size()
	d.cache = make(map[netip.Addr]*geoInfo)
	d.checked = time.Now()
	d.mu.Unlock()
	return nil
}

// lookup returns what the database knows of addr (nil: nothing), and how
// it went for the metrics: "cached", "ok", "not_found" or "error".
// geoLookup is lookup for the common case, an address asked before: a
// plain function with a small frame (under Yaegi a method call and every
// value of the called body cost on each call); a miss goes on to lookup.
func geoLookup(d *geoDatabase, addr netip.Addr, now time.Time) (*geoInfo, string) {
	d.mu.RLock()
	g, hit := d.cache[addr]
	d.mu.RUnlock()
	if hit {
		return g, "cached"
	}
	return d.lookup(addr, now)
}

func (d *geoDatabase) lookup(addr netip.Addr, now time.Time) (*geoInfo, string) {
	d.mu.RLock()
	g, hit := d.cache[addr]
	r := d.reader
	d.mu.RUnlock()
	if hit {
		return g, "cached"
	}
	// Misses (a busy site has them all the time) look at the file now and
	// then; a hit stays a map read.
	d.mu.RLock()
	stale := now.Sub(d.checked) > geoCheckInterval && !d.loading
	d.mu.RUnlock()
	if stale {
		d.watch(now)
	}
	pos, found, err := r.lookup(addr)
	if err == nil && found {
		g, err = r.geo(pos)
	}
	result := "ok"
	switch {
	case err != nil:
		result = "error"
		d.log.logf(levelDebug, "%s: no answer for %s: %v", d.path, addr, err)
	case g == nil:
		result = "not_found"
	}
	d.mu.Lock()
	if d.reader == r {
		if len(d.cache) >= geoCacheSize {
			evictSome(d.cache)
		}
		d.cache[addr] = g
	}
	d.mu.Unlock()
	return g, result
}

// evictSome frees a sixteenth of a full cache: Go's random map order makes
// the victims a random sample.
func evictSome(cache map[netip.Addr]*geoInfo) {
	n := len(cache)/16 + 1
	for k := range cache {
		delete(cache, k)
		n--
		if n <= 0 {
			return
		}
	}
}

// watch looks at the file's modification time (at most once a minute) and
// reads a changed file again in the background; a bad new file keeps the
// old data and is logged.
func (d *geoDatabase) watch(now time.Time) {
	d.mu.Lock()
	if d.loading || now.Sub(d.checked) <= geoCheckInterval {
		d.mu.Unlock()
		return
	}
	d.loading = true
	d.checked = now
	d.mu.Unlock()
	go d.refresh()
}

func (d *geoDatabase) refresh() {
	defer func() {
		if p := recover(); p != nil {
			d.log.logf(levelError, "%s: reloading stopped: %v", d.path, p)
		}
		d.mu.Lock()
		d.loading = false
		d.mu.Unlock()
	}()
	st, err := os.Stat(d.path)
	if err != nil {
		d.log.logf(levelWarn, "%s: %v; keeping the data loaded before", d.path, err)
		return
	}
	d.mu.RLock()
	same := d.modTime.Equal(st.ModTime()) && d.size == st.Size()
	d.mu.RUnlock()
	if same {
		return
	}
	if err := d.reload(); err != nil {
		d.log.logf(levelWarn, "%s changed but cannot be read: %v; keeping the data loaded before", d.path, err)
		return
	}
	d.log.logf(levelInfo, "%s changed on disk: reloaded", d.path)
}
