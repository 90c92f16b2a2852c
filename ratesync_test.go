package captchaify

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Unit tests of the local windows behind Redis (ratesync.go). The flush
// against a real redis-server is tested in tools/behaviour and tools/e2e.

// testSync is a rateSync without a flusher: the tests flush by hand.
func testSync(limit int) *rateSync {
	return &rateSync{limit: limit, windows: make(map[string]*syncWindow), interval: 50 * time.Millisecond, running: true, globalWatch: 1201}
}

func TestSyncedCountsAcrossABucketEdge(t *testing.T) {
	rs := testSync(100)
	b := int64(28333333)
	at := func(bucket int64, s int) time.Time {
		return time.Unix(0, bucket*int64(rateWindow)+int64(s)*int64(time.Second))
	}
	for i := 0; i < 3; i++ {
		countSynced(rs, "c", true, at(b, 10))
	}
	items := takeSyncItems(rs)
	if len(items) != 2 || items[0].pending != 3 || items[1].pending != 3 || items[0].w.key != "" || items[1].w.key != "c" {
		t.Fatalf("items = %+v", items)
	}
	// Two more while the flush is on its way: they stay pending here.
	countSynced(rs, "c", true, at(b, 11))
	countSynced(rs, "c", false, at(b, 11))
	// Redis: the client has 10 in b (3 of them ours), 4 in b-1; everyone 50 and 40.
	if err := applySyncReplies(rs, items, []string{"+50 40 10 4"}); err != nil {
		t.Fatal(err)
	}
	c, g := countSynced(rs, "c", true, at(b, 12))
	if c.current != 13 || c.previous != 4 || g.current != 52 || g.previous != 40 {
		t.Fatalf("after the flush: client %+v, global %+v; want 10+2+1 / 4 and 50+1+1 / 40", c, g)
	}
	// The next bucket: what is still pending belongs to b and goes as late.
	c, _ = countSynced(rs, "c", false, at(b+1, 1))
	if c.current != 1 || c.previous != 13 {
		t.Fatalf("next bucket: %+v", c)
	}
	items = takeSyncItems(rs)
	var ci syncItem
	for _, it := range items {
		if it.w.key == "c" {
			ci = it
		}
	}
	if ci.bucket != b+1 || ci.pending != 1 || ci.late != 3 {
		t.Fatalf("client item = %+v, want bucket b+1, pending 1, late 3", ci)
	}
	reps := make([]string, 0)
	var totals []string
	for range items {
		totals = append(totals, "5 20")
	}
	reps = append(reps, "+"+strings.Join(totals, " "))
	if err := applySyncReplies(rs, items, reps); err != nil {
		t.Fatal(err)
	}
	if c, _ := countSynced(rs, "c", false, at(b+1, 2)); c.current != 6 || c.previous != 20 {
		t.Fatalf("after the second flush: %+v", c)
	}
	// Two buckets later nothing is left of the old counts.
	if c, _ := countSynced(rs, "c", false, at(b+3, 0)); c.current != 1 || c.previous != 0 {
		t.Fatalf("two buckets later: %+v", c)
	}
}

func TestSyncRepliesAreChecked(t *testing.T) {
	rs := testSync(10)
	countSynced(rs, "c", false, time.Now())
	items := takeSyncItems(rs)
	for _, bad := range []string{"+1", "+1 2 3", "+1 x", "+1 -2", ":3", "-ERR oops", "$-1"} {
		if err := applySyncReplies(rs, items, []string{bad}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	restoreSyncItems(rs, items) // a failed flush gives its counts back
	again := takeSyncItems(rs)
	if len(again) != 1 || again[0].pending != 1 {
		t.Errorf("after a failed flush: %+v, want the request again", again)
	}
}

// A flood of new addresses: windows, queue and flush stay bounded, the
// global window counts everything.
func TestSyncIsBounded(t *testing.T) {
	const limit = 1000
	rs := testSync(limit)
	now := time.Now()
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		g := g
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5000; i++ {
				countSynced(rs, "10."+itoa(g)+"."+itoa(i/256)+"."+itoa(i%256), true, now)
			}
		}()
	}
	wg.Wait()
	rs.mu.Lock()
	windows, queued, global := len(rs.windows), len(rs.queue), rs.global.current
	rs.mu.Unlock()
	if windows > limit {
		t.Errorf("%d windows, limit %d", windows, limit)
	}
	if queued > 2*limit+17 {
		t.Errorf("%d windows queued, limit %d", queued, limit)
	}
	if global != 20000 {
		t.Errorf("global count %d, want 20000", global)
	}
	items := takeSyncItems(rs)
	if len(items) > maxSyncWindows || len(items) == 0 {
		t.Errorf("one flush carries %d windows, at most %d", len(items), maxSyncWindows)
	}
	hasGlobal := false
	for _, it := range items {
		hasGlobal = hasGlobal || it.w == &rs.global
	}
	if !hasGlobal {
		t.Errorf("the global window was not in the first flush")
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

// The fast path's counting (syncQuick, memQuick: the weighted total in
// integers, only near the limit) answers as countRequest and
// windowCount.total do: over a limit one under the total, not over the total.
func TestQuickCountsMatchTheWindows(t *testing.T) {
	b := int64(28333333)
	start := time.Unix(0, b*int64(rateWindow))
	quickSync, slowSync := testSync(100), testSync(100)
	quickMem, slowMem := newMemoryStore(100), newMemoryStore(100)
	// 37 requests in bucket b, then requests through b+1.
	for i := 0; i < 37; i++ {
		at := start.Add(time.Duration(i) * time.Second)
		for _, rs := range []*rateSync{quickSync, slowSync} {
			countSynced(rs, "c", true, at)
		}
		quickMem.countRequest("c", true, at, rateWindow)
		slowMem.countRequest("c", true, at, rateWindow)
	}
	for i := 0; i < 120; i++ {
		at := start.Add(rateWindow + time.Duration(i)*499*time.Millisecond + time.Duration(i)*7919)
		c, _ := countSynced(slowSync, "c", true, at)
		limit, want := c.total()-i%2, i%2 == 1 // alternately just under and at the total
		p := &prefs{rateLimit: limit, maxRateLimit: 1000}
		if got, _ := syncQuick(quickSync, "c", at.UnixNano(), p, false); got != want {
			t.Fatalf("%v into b+1: syncQuick over %d = %v, total %d", at.Sub(start)-rateWindow, limit, got, c.total())
		}
		m, _ := slowMem.countRequest("c", true, at, rateWindow)
		if got, _ := memQuick(quickMem, "c", at.UnixNano(), p, false); got != want || m.total() != c.total() {
			t.Fatalf("%v into b+1: memQuick over %d = %v, totals %d and %d", at.Sub(start)-rateWindow, limit, got, m.total(), c.total())
		}
		if got := quickTotal(c.current, c.previous, at.UnixNano()); got != c.total() {
			t.Fatalf("%v into b+1: quickTotal %d, total %d", at.Sub(start)-rateWindow, got, c.total())
		}
	}
	if quickSync.global.current != slowSync.global.current || quickSync.global.pending != slowSync.global.pending {
		t.Errorf("global windows differ: %+v %+v", quickSync.global, slowSync.global)
	}
	if quickMem.global.current != slowMem.global.current {
		t.Errorf("global windows differ: %+v %+v", quickMem.global, slowMem.global)
	}
	if over, _ := syncQuick(quickSync, "c", start.Add(rateWindow+time.Minute/2).UnixNano(), &prefs{maxRateLimit: 1000}, false); over {
		t.Error("limit 0 (no client limit) reported over")
	}
}

// Many clients go in one pipelined round trip: one script call per
// syncChunk windows, all written before the first answer is read. The
// server here reads all three calls before it answers any: a client that
// waited for an answer between calls would never get one.
func TestSyncFlushIsOneRoundTrip(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	calls := make(chan int, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		r := bufio.NewReader(c)
		var replies []string
		for len(replies) < 3 {
			args, err := readCommand(r)
			if err != nil || args[0] != "EVALSHA" {
				break
			}
			var totals []string
			for i := 5; i+3 < len(args); i += 4 {
				totals = append(totals, "7 2")
			}
			replies = append(replies, "+"+strings.Join(totals, " ")+"\r\n")
		}
		calls <- len(replies)
		for _, rep := range replies {
			_, _ = io.WriteString(c, rep)
		}
		time.Sleep(time.Second)
	}()
	set := &redisSettings{address: ln.Addr().String(), keyPrefix: "rt:", timeout: 2 * time.Second, interval: time.Hour}
	st := newRedisStore("mw-rt", set, newMemoryStore(1000), metricsFor("unit-rt"), logger{name: "mw", level: levelError})
	now := time.Now()
	for i := 0; i < 400; i++ {
		countSynced(st.sync, "10.1."+itoa(i/256)+"."+itoa(i%256), true, now)
	}
	flushRateSync(st.sync, now)
	if n := <-calls; n != 3 { // the global window and 400 clients: 150 + 150 + 101
		t.Fatalf("the server read %d script calls before answering, want 3", n)
	}
	if c, g := countSynced(st.sync, "10.1.0.5", true, now); c.current != 8 || c.previous != 2 || g.current != 8 {
		t.Errorf("after the flush: %+v %+v, want Redis's 7 (+1) and 2", c, g)
	}
	if st.breakerOpen() {
		t.Errorf("breaker open")
	}
}

// Credit is a small part of what is left under each limit, counted in the
// windows when it is granted, and none when the request is over the limit.
func TestCreditIsCountedAhead(t *testing.T) {
	n := int64(28333333)*int64(rateWindow) + int64(30*time.Second)
	cases := []struct {
		cur, gcur int
		p         prefs
		want      int
	}{
		{1, 1, prefs{rateLimit: 1000000000, maxRateLimit: 1000000000}, creditMax},
		{1, 1, prefs{rateLimit: 120, maxRateLimit: 1200}, 1}, // 119/32 = 3; 1199/1024 = 1
		{1, 1, prefs{rateLimit: 120}, 3},
		{100, 1, prefs{rateLimit: 120}, 0}, // within 32 of the limit: none
		{1, 5000, prefs{rateLimit: 1000, maxRateLimit: 4000}, 0},
		{1, 1, prefs{}, creditMax},
	}
	for _, tc := range cases {
		if got := creditAhead(tc.cur, 0, tc.gcur, 0, n, &tc.p); got != tc.want {
			t.Errorf("creditAhead(%d, global %d, %+v) = %d, want %d", tc.cur, tc.gcur, tc.p, got, tc.want)
		}
	}

	at := time.Unix(0, n)
	p := &prefs{rateLimit: 1600, maxRateLimit: 1000000}
	mem, rs := newMemoryStore(100), testSync(100)
	mem.countRequest("c", true, at, rateWindow) // the window exists: the quick path applies
	countSynced(rs, "c", true, at)
	over, credit := memQuick(mem, "c", n, p, true)
	if over || credit != (1600-2)/creditShareClient {
		t.Fatalf("memQuick: over %v, credit %d, want %d", over, credit, (1600-2)/creditShareClient)
	}
	if c := mem.peek("c", at); c.current != 2+credit || mem.global.current != 2+credit {
		t.Errorf("memory windows hold %d and %d, want %d: the credit is counted", c.current, mem.global.current, 2+credit)
	}
	over, credit = syncQuick(rs, "c", n, p, true)
	if over || credit != (1600-2)/creditShareClient {
		t.Fatalf("syncQuick: over %v, credit %d", over, credit)
	}
	if w := rs.windows["c"]; w.current != 2+credit || w.pending != 2+credit || rs.global.pending != 2+credit {
		t.Errorf("synced window %+v, global %+v: the credit is not counted and queued", *w, rs.global)
	}
	// Over the limit: no credit, nothing counted ahead.
	tight := &prefs{rateLimit: 2, maxRateLimit: 1000000}
	if over, credit := memQuick(mem, "c", n, tight, true); !over || credit != 0 {
		t.Errorf("over the limit: over %v, credit %d", over, credit)
	}
	if over, credit := syncQuick(rs, "c", n, tight, true); !over || credit != 0 {
		t.Errorf("synced, over the limit: over %v, credit %d", over, credit)
	}
}
