package captchaify

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseTorList(t *testing.T) {
	set, err := parseTorList([]byte("# comment\n185.220.101.1\n\n2a0b:f4c2::1\n::ffff:1.2.3.4\nnot an address\n" +
		"ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\nExitAddress 171.25.193.9 2024-01-01 00:00:00\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, ip := range []string{"185.220.101.1", "2a0b:f4c2::1", "1.2.3.4", "171.25.193.9"} {
		if _, ok := set[netip.MustParseAddr(ip)]; !ok {
			t.Errorf("%s not in the list", ip)
		}
	}
	if len(set) != 4 {
		t.Errorf("%d entries, want 4", len(set))
	}
	if _, err := parseTorList([]byte("<html><body>Service unavailable</body></html>")); err == nil {
		t.Error("an HTML page parsed as an empty list")
	}
}

func TestParseIPAPI(t *testing.T) {
	info, err := parseIPAPI([]byte(`{"status":"success","continent":"Europe","continentCode":"EU","country":"Netherlands",
		"countryCode":"NL","region":"NH","regionName":"North Holland","city":"Amsterdam","district":"","zip":"1012",
		"lat":52.3759,"lon":4.8975,"timezone":"Europe/Amsterdam","offset":7200,"currency":"EUR","isp":"Datacamp Limited",
		"org":"CSNext","as":"AS212238 Datacamp Limited","asname":"CDNEXT","mobile":false,"proxy":true,"hosting":true}`))
	if err != nil {
		t.Fatal(err)
	}
	g := info.geo
	if g.countryCode != "NL" || g.region != "North Holland" || g.regionCode != "NH" || g.lat != 52.3759 ||
		g.asNumber != 212238 || g.asName != "CDNEXT" || !g.hasAS {
		t.Errorf("geo: %+v", g)
	}
	if !info.proxy || !info.hosting || info.mobile || !info.hasMobile || info.offset != 7200 || info.currency != "EUR" || info.org != "CSNext" {
		t.Errorf("info: %+v", info)
	}
	for _, bad := range []string{`{"status":"fail","message":"reserved range"}`, `{"status":"succ`, `[]`, ``} {
		if _, err := parseIPAPI([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
	// Wrong types leave the field unknown rather than failing everything.
	info, err = parseIPAPI([]byte(`{"status":"success","proxy":"yes","lat":"x"}`))
	if err != nil || info.hasProxy || info.geo.hasLocation {
		t.Errorf("wrong types: %+v %v", info, err)
	}
}

func TestParseStopForumSpam(t *testing.T) {
	cases := map[string]bool{
		`{"success":1,"ip":{"lastseen":"2024-01-01 00:00:00","frequency":12,"appears":1,"confidence":90}}`: true,
		`{"success":1,"ip":{"frequency":0,"appears":0}}`:                                                   false,
	}
	for body, want := range cases {
		got, err := parseStopForumSpam([]byte(body))
		if err != nil || got != want {
			t.Errorf("%s: %v %v", body, got, err)
		}
	}
	for _, bad := range []string{`{"success":0,"error":"rate limit"}`, `{"success":1}`, `nonsense`} {
		if _, err := parseStopForumSpam([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestPublicAddress(t *testing.T) {
	for ip, want := range map[string]bool{
		"8.8.8.8": true, "2001:4860:4860::8888": true, "185.220.101.1": true,
		"127.0.0.1": false, "10.0.0.1": false, "192.168.1.1": false, "172.16.0.1": false, "100.64.1.1": false,
		"169.254.1.1": false, "192.0.2.1": false, "198.51.100.7": false, "203.0.113.9": false, "224.0.0.1": false,
		"255.255.255.255": false, "0.1.2.3": false, "::1": false, "fe80::1": false, "fc00::1": false,
		"2001:db8::1": false, "::": false,
	} {
		if got := publicAddress(netip.MustParseAddr(ip)); got != want {
			t.Errorf("publicAddress(%s) = %v, want %v", ip, got, want)
		}
	}
}

func TestWindowLimiter(t *testing.T) {
	l := newWindowLimiter(45, time.Minute)
	now := time.Now()
	for i := 0; i < 45; i++ {
		if !l.allow(now.Add(time.Duration(i) * time.Second)) {
			t.Fatalf("call %d refused", i+1)
		}
	}
	if l.allow(now.Add(59 * time.Second)) {
		t.Error("46th call within a minute allowed")
	}
	if !l.allow(now.Add(61 * time.Second)) {
		t.Error("a call a minute after the first refused")
	}
	l.pause(now.Add(61*time.Second), 30*time.Second)
	if l.allow(now.Add(80 * time.Second)) {
		t.Error("call during a pause allowed")
	}
}

func TestLookupCacheCoalescesAndBounds(t *testing.T) {
	c := newLookupCache(100, time.Hour, time.Minute)
	var calls int32
	release := make(chan struct{})
	fetch := func() (interface{}, error) {
		atomic.AddInt32(&calls, 1)
		<-release
		return "answer", nil
	}
	now := time.Now()
	var wg sync.WaitGroup
	results := make([]string, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v, res := c.start("1.2.3.4", now, fetch, nil).waitResult(time.Now().Add(5 * time.Second))
			if v != "answer" {
				res = "wrong"
			}
			results[i] = res
		}(i)
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	if calls != 1 {
		t.Errorf("%d fetches for one key, want 1", calls)
	}
	for _, r := range results {
		if r != "ok" {
			t.Fatalf("results: %v", results)
		}
	}
	// A slow lookup: the waiter gives up at its deadline, the answer is cached.
	slow := make(chan struct{})
	e := c.start("5.6.7.8", now, func() (interface{}, error) { <-slow; return "late", nil }, nil)
	start := time.Now()
	if _, res := e.waitResult(time.Now().Add(30 * time.Millisecond)); res != "timeout" {
		t.Errorf("slow lookup: %s", res)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Errorf("waited %v past a 30 ms deadline", d)
	}
	close(slow)
	<-e.done
	if v, res := c.start("5.6.7.8", time.Now(), nil, nil).waitResult(time.Now()); v != "late" || res != "cached" {
		t.Errorf("late answer not cached: %v %s", v, res)
	}
	// Bounded: far more keys than the limit.
	for i := 0; i < 1000; i++ {
		e := c.start(netip.AddrFrom4([4]byte{9, 9, byte(i >> 8), byte(i)}).String(), now, func() (interface{}, error) { return 1, nil }, nil)
		<-e.done
	}
	c.mu.Lock()
	n := len(c.entries)
	c.mu.Unlock()
	if n > 100 {
		t.Errorf("%d entries, limit 100", n)
	}
	// A panicking lookup fails open.
	e = c.start("panic", now, func() (interface{}, error) { panic("boom") }, nil)
	if _, res := e.waitResult(time.Now().Add(time.Second)); res != "error" {
		t.Errorf("panicking lookup: %s", res)
	}
}

func TestHTTPGetCappedRefusesHugeBodies(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Write([]byte(strings.Repeat("x", 100000)))
	}))
	defer srv.Close()
	if _, _, _, err := httpGetCapped(srv.URL, 1000, "*/*"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("huge body: %v", err)
	}
	if b, status, _, err := httpGetCapped(srv.URL, 200000, "*/*"); err != nil || status != 200 || len(b) != 100000 {
		t.Errorf("body within the cap: %d %d %v", len(b), status, err)
	}
}
