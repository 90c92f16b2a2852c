package captchaify

import (
	"bufio"
	"bytes"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"sync"
	"time"
)

// torList is the set of Tor exit addresses from one source (a URL or a
// file), shared by every middleware naming it. A background goroutine
// refreshes it while it is used and stops when nobody has asked for an hour;
// the next question starts it again.
type torList struct {
	source string // URL or path
	isFile bool
	log    logger
	health serviceHealth

	mu       sync.Mutex
	addrs    map[netip.Addr]struct{}
	loaded   bool        // after the first attempt, good or bad
	waiters  []chan bool // requests waiting for the first attempt (see lookupEntry: no select)
	running  bool
	lastUsed time.Time
	modTime  time.Time // of the file source
}

const (
	torRefreshInterval = 30 * time.Minute // the bulk exit list changes about hourly
	torRetryInterval   = time.Minute
	torFileCheck       = time.Minute
	torIdleStop        = time.Hour
	torMaxListSize     = 8 << 20
	torMaxEntries      = 200000
)

// DefaultTorExitListURL is the Tor Project's bulk exit list: one address per line.
const DefaultTorExitListURL = "https://check.torproject.org/torbulkexitlist"

var (
	torListsMu sync.Mutex
	torLists   = make(map[string]*torList)
)

// torListFor returns the shared list for a source. A file is read at once,
// so that a bad path fails New.
func torListFor(source string, isFile bool, log logger) (*torList, error) {
	torListsMu.Lock()
	defer torListsMu.Unlock()
	key := source
	if isFile {
		key = "file:" + source
	}
	if l := torLists[key]; l != nil {
		if isFile {
			if _, err := os.Stat(source); err != nil {
				return nil, fmt.Errorf("torExitListFile: %v", err)
			}
		}
		return l, nil
	}
	l := &torList{source: source, isFile: isFile, log: log}
	if isFile {
		if err := l.readFile(); err != nil {
			return nil, fmt.Errorf("torExitListFile: %v", err)
		}
	}
	torLists[key] = l
	return l, nil
}

// contains reports whether addr is a Tor exit, and how the lookup went:
// "ok", or "timeout"/"error" (unknown) while the list has never loaded.
func (l *torList) contains(addr netip.Addr, now, deadline time.Time) (bool, string) {
	l.mu.Lock()
	l.lastUsed = now
	if !l.running {
		l.running = true
		go l.refreshLoop()
	}
	if !l.loaded {
		d := time.Until(deadline)
		if d <= 0 {
			l.mu.Unlock()
			return false, "timeout"
		}
		// Its own channel, which the first load and the timer both send
		// into: a select here would cross waiters under Yaegi.
		w := make(chan bool, 2)
		l.waiters = append(l.waiters, w)
		l.mu.Unlock()
		t := time.AfterFunc(d, func() { w <- false })
		loaded := <-w
		t.Stop()
		if !loaded {
			l.dropWaiter(w)
			return false, "timeout"
		}
		l.mu.Lock()
	}
	set := l.addrs
	l.mu.Unlock()
	if set == nil {
		return false, "error"
	}
	_, listed := set[addr]
	return listed, "ok"
}

func (l *torList) refreshLoop() {
	defer func() {
		if p := recover(); p != nil {
			l.log.logf(levelError, "Tor exit list refresher stopped: %v", p)
		}
		l.mu.Lock()
		l.running = false
		l.mu.Unlock()
	}()
	for {
		wait := torRefreshInterval
		var err error
		if l.isFile {
			wait = torFileCheck
			err = l.readFile()
		} else {
			err = l.fetch()
		}
		if err != nil {
			l.health.failed(l.log, "Tor exit list ("+l.source+")", err)
			if !l.isFile {
				wait = torRetryInterval
			}
		} else {
			l.health.succeeded(l.log, "Tor exit list ("+l.source+")")
		}
		l.markLoaded()
		time.Sleep(wait)
		l.mu.Lock()
		idle := time.Since(l.lastUsed) > torIdleStop
		if idle {
			l.running = false
		}
		l.mu.Unlock()
		if idle {
			return
		}
	}
}

func (l *torList) markLoaded() {
	l.mu.Lock()
	l.loaded = true
	waiters := l.waiters
	l.waiters = nil
	l.mu.Unlock()
	for i := 0; i < len(waiters); i++ { // see withoutWaiter: no range here
		waiters[i] <- true // buffered for two: never blocks
	}
}

// dropWaiter forgets a request that stopped waiting for the first load.
func (l *torList) dropWaiter(w chan bool) {
	l.mu.Lock()
	l.waiters = withoutWaiter(l.waiters, w)
	l.mu.Unlock()
}

func (l *torList) fetch() error {
	body, status, _, err := httpGetCapped(l.source, torMaxListSize, "text/plain")
	if err != nil {
		return err
	}
	if status != 200 {
		return fmt.Errorf("HTTP status %d", status)
	}
	set, err := parseTorList(body)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.addrs = set
	l.mu.Unlock()
	return nil
}

// readFile reads the file source when it changed since the last read.
func (l *torList) readFile() error {
	st, err := os.Stat(l.source)
	if err != nil {
		return err
	}
	l.mu.Lock()
	same := l.addrs != nil && l.modTime.Equal(st.ModTime())
	l.mu.Unlock()
	if same {
		return nil
	}
	if st.Size() > torMaxListSize {
		return fmt.Errorf("%s: larger than %d bytes", l.source, torMaxListSize)
	}
	body, err := os.ReadFile(l.source)
	if err != nil {
		return err
	}
	set, err := parseTorList(body)
	if err != nil {
		return fmt.Errorf("%s: %v", l.source, err)
	}
	l.mu.Lock()
	l.addrs = set
	l.modTime = st.ModTime() // apart: see geoDatabase.reload
	l.mu.Unlock()
	l.markLoaded()
	return nil
}

// parseTorList reads one address per line (the bulk exit list), also the
// "ExitAddress <ip> <date>" lines of the detailed list; # starts a comment.
// A body that holds no address at all is an error (an HTML error page, say).
func parseTorList(body []byte) (map[netip.Addr]struct{}, error) {
	set := make(map[netip.Addr]struct{})
	bad := 0
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		if strings.HasPrefix(line, "ExitAddress ") {
			line = strings.Fields(line)[1]
		} else if !strings.ContainsAny(line[:1], "0123456789abcdefABCDEF:") {
			continue // other lines of the detailed list
		}
		a, err := netip.ParseAddr(line)
		if err != nil {
			bad++
			continue
		}
		set[a.Unmap()] = struct{}{}
		if len(set) > torMaxEntries {
			return nil, fmt.Errorf("more than %d addresses", torMaxEntries)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("no address in the list (%d unreadable lines)", bad)
	}
	return set, nil
}
