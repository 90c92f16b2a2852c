package captchaify

import (
	"errors"
	"fmt"
	"net/netip"
	"sync"
	"testing"
	"time"
)

// Many requests wait at once, each for its own lookup (and some for the same
// one): every waiter gets its own answer, failure or timeout, on time. The
// waiters used to share a select statement, which Yaegi runs with one table
// of cases for all goroutines; tools/behaviour runs the same under Yaegi.
func TestLookupWaitersGetTheirOwnResults(t *testing.T) {
	c := newLookupCache(1000, time.Hour, time.Minute)
	hang := make(chan struct{})
	defer close(hang)
	const keys, perKey = 60, 3
	const wait = 300 * time.Millisecond
	fetch := func(i int) func() (interface{}, error) {
		return func() (interface{}, error) {
			switch {
			case i%3 == 0:
				<-hang // never answers in time
				return nil, errors.New("late")
			case i%5 == 0:
				time.Sleep(time.Duration(i%7) * 5 * time.Millisecond)
				return nil, errors.New("broken")
			}
			time.Sleep(time.Duration(i%7) * 10 * time.Millisecond)
			return fmt.Sprintf("answer-%d", i), nil
		}
	}
	var wg sync.WaitGroup
	errs := make(chan string, keys*perKey)
	for i := 0; i < keys; i++ {
		for j := 0; j < perKey; j++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				start := time.Now()
				v, res := c.start(fmt.Sprint("key-", i), start, fetch(i), nil).waitResult(start.Add(wait))
				took := time.Since(start)
				want, wantRes := interface{}(fmt.Sprintf("answer-%d", i)), "ok"
				switch {
				case i%3 == 0:
					want, wantRes = nil, "timeout"
					if took < wait-20*time.Millisecond {
						errs <- fmt.Sprintf("key %d: timed out after %v, before its deadline", i, took)
					}
				case i%5 == 0:
					want, wantRes = nil, "error"
				}
				if v != want || (res != wantRes && !(wantRes == "ok" && res == "cached")) {
					errs <- fmt.Sprintf("key %d: got %v %s, want %v %s", i, v, res, want, wantRes)
				}
				if took > wait+250*time.Millisecond {
					errs <- fmt.Sprintf("key %d: waited %v with a %v deadline", i, took, wait)
				}
			}(i)
		}
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// Waiters that gave up are forgotten by the lookups still in flight.
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		e.mu.Lock()
		if n := len(e.waiters); n != 0 {
			t.Errorf("%s: %d waiters left", k, n)
		}
		e.mu.Unlock()
	}
}

// Requests waiting for the Tor list's first load: those whose deadline comes
// first time out, the others get the list's answer for their own address.
func TestTorWaitersGetTheirOwnResults(t *testing.T) {
	l := &torList{source: "test", running: true} // no refresher: the test loads it
	listed := netip.MustParseAddr("185.220.101.7")
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	start := time.Now()
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			addr := netip.AddrFrom4([4]byte{8, 8, 8, byte(i)})
			if i%2 == 0 {
				addr = listed
			}
			deadline := start.Add(2 * time.Second)
			if i%5 == 0 {
				deadline = start.Add(50 * time.Millisecond) // before the load
			}
			got, res := l.contains(addr, time.Now(), deadline)
			took := time.Since(start)
			switch {
			case i%5 == 0 && (res != "timeout" || took > 250*time.Millisecond):
				errs <- fmt.Sprintf("waiter %d: %v %s after %v, want a timeout at 50ms", i, got, res, took)
			case i%5 != 0 && (res != "ok" || got != (i%2 == 0) || took > time.Second):
				errs <- fmt.Sprintf("waiter %d: %v %s after %v, want %v ok at 150ms", i, got, res, took, i%2 == 0)
			}
		}(i)
	}
	time.Sleep(150 * time.Millisecond)
	l.mu.Lock()
	l.addrs = map[netip.Addr]struct{}{listed: {}}
	l.mu.Unlock()
	l.markLoaded()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if len(l.waiters) != 0 {
		t.Errorf("%d waiters left after the load", len(l.waiters))
	}
}
