package captchaify

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func storedPasses(c *passCache) int {
	n := 0
	c.entries.Range(func(_, _ any) bool { n++; return true })
	return n
}

// The pass cache holds at most maxTrackedClients passes; storing a known
// key again replaces it without using room.
func TestPassCacheIsBounded(t *testing.T) {
	c := &passCache{entries: &sync.Map{}, mu: &sync.Mutex{}, limit: 3}
	for i := 0; i < 10; i++ {
		putPass(c, "k"+strconv.Itoa(i), &passEntry{hardness: i})
		if n := storedPasses(c); n > 3 || n != c.count {
			t.Fatalf("after %d puts: %d stored, count %d, limit 3", i+1, n, c.count)
		}
	}
	if v, ok := c.entries.Load("k9"); !ok || v.(*passEntry).hardness != 9 {
		t.Fatal("the newest pass was not kept")
	}
	putPass(c, "k9", &passEntry{hardness: 1})
	if v, _ := c.entries.Load("k9"); storedPasses(c) != 3 || v.(*passEntry).hardness != 1 {
		t.Errorf("storing k9 again: %d stored, want 3 with the new entry", storedPasses(c))
	}
}

// Credit is good only in the rate window it was granted in: a connection
// with credit left from an earlier window is counted again.
func TestCreditEndsWithItsWindow(t *testing.T) {
	cfg := CreateConfig()
	cfg.Secret = strings.Repeat("k", 32)
	cfg.DefaultAction = actionFight
	cfg.DefaultRateLimit = 1600
	cfg.DefaultMaxRateLimit = 1000000
	cfg.LogLevel = "error"
	h, err := New(context.Background(), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}), cfg, "credit-window")
	if err != nil {
		t.Fatal(err)
	}
	m := h.(*Middleware)
	r := httptest.NewRequest(http.MethodGet, "/page", nil)
	r.RemoteAddr = "198.51.100.9:4000"
	r.Header.Set("User-Agent", "test")
	r.Header.Set("Cookie", cfg.CookieName+"=tok")
	if left := rateWindow - time.Duration(time.Now().UnixNano()%int64(rateWindow)); left < 2*time.Second {
		time.Sleep(left) // not across a window's end
	}
	now := time.Now()
	expires := now.Add(time.Hour)
	window := now.UnixNano() / int64(rateWindow)
	m.limiter.mem.countRequest("198.51.100.9", true, now, rateWindow) // the window exists
	for _, tc := range []struct {
		name    string
		credit  int64
		counted bool
	}{
		{"credit of this window", window*creditScale + 10, false},
		{"credit of the last window", (window-1)*creditScale + 10, true},
		{"no credit", window*creditScale - 1, true},
	} {
		e := &passEntry{clientKey: "198.51.100.9", hardness: 3, expires: expires, expiresNs: expires.UnixNano(), credit: tc.credit}
		putPass(m.passes, passKey("tok", r), e)
		before := m.limiter.mem.peek("198.51.100.9", time.Now()).current
		m.ServeHTTP(httptest.NewRecorder(), r)
		after := m.limiter.mem.peek("198.51.100.9", time.Now()).current
		if counted := after > before; counted != tc.counted {
			t.Errorf("%s: counted %v (%d → %d), want %v", tc.name, counted, before, after, tc.counted)
		}
		if tc.counted && atomic.LoadInt64(&e.credit) < window*creditScale {
			t.Errorf("%s: no new credit for this window (%d)", tc.name, e.credit)
		}
	}
}
