package behaviour

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// Requests that wait for third-party lookups at the same time must each get
// their own answer, or their own timeout. Under Yaegi v0.16.1 a select
// statement keeps one table of cases for every goroutine running it, so
// concurrent waiters in one select wait on each other's channels: one
// reads an answer not yet there, or sleeps past its deadline on a timer
// that another request already took.

// lookupOutcome is what one concurrent request saw.
type lookupOutcome struct {
	ip         string
	challenged bool
	reached    bool
	took       time.Duration
	status     int
	body       string
}

// concurrentGets sends one request per address at once.
func concurrentGets(t *testing.T, s *site, ips []string) []lookupOutcome {
	out := make([]lookupOutcome, len(ips))
	var wg sync.WaitGroup
	for i, ip := range ips {
		wg.Add(1)
		go func(i int, ip string) {
			defer wg.Done()
			start := time.Now()
			res := s.get(t, browser(ip), "/")
			_, challenged := isChallenge(res)
			out[i] = lookupOutcome{ip: ip, challenged: challenged, reached: res.status == http.StatusOK && res.body == "backend /?",
				took: time.Since(start), status: res.status, body: res.body}
		}(i, ip)
	}
	wg.Wait()
	return out
}

// 40 new addresses at once, each needing its own ip-api lookup: quick ones
// answer within lookupTimeout (odd addresses are proxies, so challenged),
// the others hang past it (fail open, served at the deadline).
func TestThirdPartyConcurrentLookupsGetTheirOwnAnswers(t *testing.T) {
	const timeout = 1000 * time.Millisecond
	var api *fakeService
	api = newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		ip := strings.TrimPrefix(r.URL.Path, "/json/")
		i, _ := strconv.Atoi(ip[strings.LastIndexByte(ip, '.')+1:])
		if i%4 == 0 {
			api.sleep(r, 8*time.Second) // past the deadline
		} else {
			api.sleep(r, time.Duration(i%5)*50*time.Millisecond)
		}
		fmt.Fprintf(rw, `{"status":"success","proxy":%v,"hosting":false}`, i%2 == 1)
	})
	var ips []string
	for i := 1; i <= 40; i++ { // under ip-api's 45 a minute
		ips = append(ips, fmt.Sprintf("20.0.1.%d", i))
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "ipapi", "ipapiURL": api.URL + "/json/",
			"lookupTimeout": int(timeout / time.Millisecond), "defaultRateLimit": 0})
		for i, o := range concurrentGets(t, s, ips) {
			n := i + 1
			switch {
			case n%4 == 0:
				if !o.reached {
					t.Errorf("%s (no answer in time): not served (fail open): %d %.100s", o.ip, o.status, o.body)
				}
				if o.took < timeout-100*time.Millisecond {
					t.Errorf("%s (no answer in time): served after %v, before its %v deadline", o.ip, o.took, timeout)
				}
			case n%2 == 1:
				if !o.challenged {
					t.Errorf("%s (a proxy): not challenged: %d %.100s", o.ip, o.status, o.body)
				}
			default:
				if !o.reached {
					t.Errorf("%s (not a proxy): not served: %d %.100s", o.ip, o.status, o.body)
				}
			}
			if o.took > timeout+time.Second {
				t.Errorf("%s: took %v with lookupTimeout %v", o.ip, o.took, timeout)
			}
		}
	})
}

// 30 addresses at once while the Tor exit list has never loaded (the server
// hangs): every request times out on its own deadline and is served.
func TestTorConcurrentWaitersEachTimeOut(t *testing.T) {
	const timeout = 400 * time.Millisecond
	var tor *fakeService
	tor = newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		tor.sleep(r, 8*time.Second)
		fmt.Fprintln(rw, torExit)
	})
	var ips []string
	for i := 1; i <= 30; i++ {
		ips = append(ips, fmt.Sprintf("20.0.2.%d", i))
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "tor", "torExitListURL": tor.URL + "/tor",
			"lookupTimeout": int(timeout / time.Millisecond), "defaultRateLimit": 0})
		for _, o := range concurrentGets(t, s, ips) {
			if !o.reached {
				t.Errorf("%s: not served (fail open): %d %.100s", o.ip, o.status, o.body)
			}
			if o.took > timeout+time.Second {
				t.Errorf("%s: took %v with lookupTimeout %v", o.ip, o.took, timeout)
			}
		}
	})
}
