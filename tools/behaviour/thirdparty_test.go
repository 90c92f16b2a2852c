package behaviour

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/captchaify/captchaify"
	"github.com/captchaify/captchaify/tools/pluginload"
)

// Third parties (Tor exit list, ip-api, StopForumSpam) stood in for by
// loopback servers, well-behaved and not: slow, 500s, malformed JSON, huge
// bodies. Every server counts the requests it got.

type fakeService struct {
	*httptest.Server
	hits int64
	mu   sync.Mutex
	reqs []string // request URIs
	stop chan struct{}
}

func newFake(t *testing.T, h http.HandlerFunc) *fakeService {
	t.Helper()
	f := &fakeService{stop: make(chan struct{})}
	f.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		atomic.AddInt64(&f.hits, 1)
		f.mu.Lock()
		f.reqs = append(f.reqs, r.URL.RequestURI())
		f.mu.Unlock()
		h(rw, r)
	}))
	t.Cleanup(func() {
		close(f.stop) // release slow handlers, or Close would wait for them
		f.Close()
	})
	return f
}

func (f *fakeService) count() int64 { return atomic.LoadInt64(&f.hits) }

// sleep waits d unless the test or the request ends first.
func (f *fakeService) sleep(r *http.Request, d time.Duration) {
	select {
	case <-time.After(d):
	case <-r.Context().Done():
	case <-f.stop:
	}
}

// settle waits for lookups started in the background to reach the server.
func settle() { time.Sleep(50 * time.Millisecond) }

const (
	torExit  = "185.220.101.7"
	torExit6 = "2a0b:f4c2::7" // listed; visitors use it bracketed, the helpers append ":port"
	plainIP  = "8.8.4.4"
	proxyIP  = "5.5.5.5"
	hostIP   = "6.6.6.6"
	spamIP   = "7.7.7.7"
)

func torServer(t *testing.T) *fakeService {
	return newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(rw, "%s\n%s\n", torExit, torExit6)
	})
}

func ipapiServer(t *testing.T) *fakeService {
	return newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		ip := strings.TrimPrefix(r.URL.Path, "/json/")
		proxy, hosting := ip == proxyIP, ip == hostIP
		fmt.Fprintf(rw, `{"status":"success","continent":"North America","continentCode":"NA","country":"Canada",
			"countryCode":"CA","region":"QC","regionName":"Quebec","city":"Montreal","district":"Plateau","zip":"H2X",
			"lat":45.5,"lon":-73.6,"timezone":"America/Toronto","offset":-18000,"currency":"CAD","isp":"Example ISP",
			"org":"Example Org","as":"AS64496 Example Networks","asname":"EXAMPLE-NET","mobile":true,
			"proxy":%v,"hosting":%v}`, proxy, hosting)
	})
}

func sfsServer(t *testing.T) *fakeService {
	return newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		appears := 0
		if r.URL.Query().Get("ip") == spamIP {
			appears = 1
		}
		fmt.Fprintf(rw, `{"success":1,"ip":{"frequency":%d,"appears":%d}}`, appears*9, appears)
	})
}

func TestTorExitIsSuspicious(t *testing.T) {
	tor := torServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		cfg := func(action string) map[string]any {
			return map[string]any{"defaultAction": action, "thirdParties": "tor", "torExitListURL": tor.URL}
		}
		s := textSite(t, f, cfg("captcha"))
		mustChallenge(t, s.get(t, browser(torExit), "/"))
		mustChallenge(t, s.get(t, browser("["+torExit6+"]"), "/"))
		mustReach(t, s.get(t, browser(plainIP), "/"), "backend /?")
		// A Tor user who solves the challenge passes.
		v := browser(torExit)
		s.solve(t, v, "/page")
		mustReach(t, s.get(t, v, "/page"), "backend /page?")

		b := textSite(t, f, cfg("block"))
		if res := b.get(t, browser(torExit), "/"); res.status != http.StatusForbidden {
			t.Errorf("Tor exit under block: %d, want 403", res.status)
		}
		mustReach(t, b.get(t, browser(plainIP), "/"), "backend /?")
	})
	if n := tor.count(); n == 0 || n > 2 {
		t.Errorf("the exit list was fetched %d times, want once per mode", n)
	}
}

func TestTorExitListFromFile(t *testing.T) {
	path := t.TempDir() + "/exits.txt"
	if err := writeFile(path, "# exits\n"+torExit+"\n"); err != nil {
		t.Fatal(err)
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "tor", "torExitListFile": path})
		mustChallenge(t, s.get(t, browser(torExit), "/"))
		mustReach(t, s.get(t, browser(plainIP), "/"), "backend /?")
		if _, err := build(f, map[string]any{"thirdParties": "tor", "torExitListFile": path + ".missing"}, uniqueName()); err == nil ||
			!strings.Contains(err.Error(), "torExitListFile") {
			t.Errorf("missing list file: %v", err)
		}
	})
}

func TestIPAPIProxyAndHostingAreSuspicious(t *testing.T) {
	api := ipapiServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "ipapi", "ipapiURL": api.URL + "/json/"})
		mustChallenge(t, s.get(t, browser(proxyIP), "/"))
		mustChallenge(t, s.get(t, browser(hostIP), "/"))
		before := api.count()
		mustReach(t, s.get(t, browser(plainIP), "/"), "backend /?")
		mustReach(t, s.get(t, browser(plainIP), "/again"), "backend /again?")
		if n := api.count() - before; n != 1 {
			t.Errorf("ip-api asked %d times for one address, want 1 (cached)", n)
		}
	})
	api.mu.Lock()
	defer api.mu.Unlock()
	for _, uri := range api.reqs {
		if !strings.HasPrefix(uri, "/json/") || !strings.Contains(uri, "fields=") || !strings.Contains(uri, "proxy") ||
			!strings.Contains(uri, "hosting") {
			t.Errorf("ip-api request %q", uri)
		}
	}
}

// The ip-api fields a rule can read, and the geo fields from ip-api when no
// database is configured (with one, ip-api is not asked for them).
func TestIPAPIFieldsInRules(t *testing.T) {
	api := ipapiServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		opts := map[string]any{"thirdParties": "ipapi", "ipapiURL": api.URL + "/json/"}
		for _, rule := range []string{
			"isp == Example ISP",
			"org contains Example and district == Plateau and currency == CAD",
			"mobile is true and proxy is false and hosting == false",
			"offset == -18000",
			"country_code == CA and region_code == QC and city == Montreal and zip == H2X",
			"lat > 45 and lon < -73 and timezone == America/Toronto and continent_code == NA",
			"as_code == 64496 and as == EXAMPLE-NET",
		} {
			mustMatch(t, geoSite(t, f, rule, opts), plainIP, rule)
		}
		mustNotMatch(t, geoSite(t, f, "country_code == FR", opts), plainIP, "another country")
	})
}

func TestStopForumSpamListingIsSuspicious(t *testing.T) {
	sfs := sfsServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "stopforumspam", "stopForumSpamURL": sfs.URL + "/api"})
		mustChallenge(t, s.get(t, browser(spamIP), "/"))
		mustReach(t, s.get(t, browser(plainIP), "/"), "backend /?")
		mustMatch(t, geoSite(t, f, "forum_spammer is true", map[string]any{"thirdParties": "stopforumspam",
			"stopForumSpamURL": sfs.URL + "/api"}), spamIP, "forum_spammer")
	})
	sfs.mu.Lock()
	defer sfs.mu.Unlock()
	for _, uri := range sfs.reqs {
		if !strings.HasPrefix(uri, "/api?ip=") || !strings.HasSuffix(uri, "&json") {
			t.Errorf("StopForumSpam request %q", uri)
		}
	}
}

// Lookups happen only when they can change the verdict: never under allow
// or fight, never for a client with a valid pass, never for an address that
// is already suspicious for a cheap reason.
func TestThirdPartiesAskedOnlyWhenTheyMatter(t *testing.T) {
	tor, api, sfs := torServer(t), ipapiServer(t), sfsServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		cfg := func(action string) map[string]any {
			return map[string]any{"defaultAction": action, "torExitListURL": tor.URL,
				"ipapiURL": api.URL + "/json/", "stopForumSpamURL": sfs.URL + "/api"}
		}
		before := tor.count() + api.count() + sfs.count()
		allow := textSite(t, f, cfg("allow"))
		mustReach(t, allow.get(t, browser(proxyIP), "/"), "backend /?")
		fight := textSite(t, f, cfg("fight"))
		mustChallenge(t, fight.get(t, browser(proxyIP), "/"))
		captcha := textSite(t, f, cfg("captcha"))
		tok, err := captchaify.IssueClearanceToken(secret, hostIP, browserUA, 2, "")
		if err != nil {
			t.Fatal(err)
		}
		mustReach(t, captcha.get(t, &visitor{ip: hostIP, ua: browserUA, cookie: "captcha=" + tok}, "/"), "backend /?")
		crawler := &visitor{ip: spamIP, ua: "Googlebot/2.1"}
		mustChallenge(t, captcha.get(t, crawler, "/"))
		settle()
		if n := tor.count() + api.count() + sfs.count() - before; n != 0 {
			t.Errorf("%d third-party requests where none could change the verdict", n)
		}
		// The default seeds every third party; a plain visitor is looked up
		// by each of them once.
		mustReach(t, captcha.get(t, browser(plainIP), "/"), "backend /?")
		settle()
		if tor.count() == 0 || api.count() == 0 || sfs.count() == 0 {
			t.Errorf("a plain visitor under captcha: tor %d, ip-api %d, StopForumSpam %d requests", tor.count(), api.count(), sfs.count())
		}
	})
}

// Private, loopback and documentation addresses never leave the machine.
func TestPrivateAddressesAreNeverSent(t *testing.T) {
	api, sfs := ipapiServer(t), sfsServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "ipapi,stopforumspam",
			"ipapiURL": api.URL + "/json/", "stopForumSpamURL": sfs.URL + "/api"})
		for _, ip := range []string{"10.0.0.1", "127.0.0.1", "192.168.1.1", "172.16.5.5", "100.64.0.1",
			"198.51.100.1", "203.0.113.1", "[::1]", "[fd00::1]", "[fe80::1]", "[2001:db8::1]"} {
			mustReach(t, s.get(t, browser(ip), "/"), "backend /?")
		}
		settle()
	})
	if n := api.count() + sfs.count(); n != 0 {
		t.Errorf("%d requests to third parties for private or reserved addresses", n)
	}
}

// Slow, failing, malformed and oversized answers fail open: the visitor is
// served within lookupTimeout, as if the service were not configured.
func TestMisbehavingThirdPartiesFailOpen(t *testing.T) {
	var slow *fakeService
	slow = newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		slow.sleep(r, 3*time.Second)
		fmt.Fprint(rw, `{"status":"success","proxy":true,"hosting":true}`)
	})
	broken := newFake(t, func(rw http.ResponseWriter, r *http.Request) { http.Error(rw, "oops", http.StatusInternalServerError) })
	malformed := newFake(t, func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, `{"status":"success","proxy":tru`) })
	huge := newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprint(rw, `{"status":"success","proxy":true,"x":"`)
		chunk := strings.Repeat("x", 64<<10)
		for i := 0; i < 160; i++ { // 10 MiB
			if _, err := fmt.Fprint(rw, chunk); err != nil {
				return
			}
		}
		fmt.Fprint(rw, `"}`)
	})
	html := newFake(t, func(rw http.ResponseWriter, r *http.Request) { fmt.Fprint(rw, "<html><body>maintenance</body></html>") })
	const timeout = 200 // ms
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, c := range []struct {
			name string
			cfg  map[string]any
		}{
			{"slow ip-api", map[string]any{"thirdParties": "ipapi", "ipapiURL": slow.URL + "/json/"}},
			{"slow StopForumSpam", map[string]any{"thirdParties": "stopforumspam", "stopForumSpamURL": slow.URL + "/api"}},
			{"slow Tor list", map[string]any{"thirdParties": "tor", "torExitListURL": slow.URL + "/tor"}},
			{"ip-api 500", map[string]any{"thirdParties": "ipapi", "ipapiURL": broken.URL + "/json/"}},
			{"StopForumSpam 500", map[string]any{"thirdParties": "stopforumspam", "stopForumSpamURL": broken.URL + "/api"}},
			{"Tor list 500", map[string]any{"thirdParties": "tor", "torExitListURL": broken.URL + "/tor"}},
			{"ip-api malformed", map[string]any{"thirdParties": "ipapi", "ipapiURL": malformed.URL + "/json/"}},
			{"StopForumSpam malformed", map[string]any{"thirdParties": "stopforumspam", "stopForumSpamURL": malformed.URL + "/api"}},
			{"Tor list as HTML", map[string]any{"thirdParties": "tor", "torExitListURL": html.URL + "/tor"}},
			{"ip-api huge", map[string]any{"thirdParties": "ipapi", "ipapiURL": huge.URL + "/json/"}},
			{"StopForumSpam huge", map[string]any{"thirdParties": "stopforumspam", "stopForumSpamURL": huge.URL + "/api"}},
			{"Tor list huge", map[string]any{"thirdParties": "tor", "torExitListURL": huge.URL + "/tor"}},
		} {
			c.cfg["lookupTimeout"] = timeout
			s := textSite(t, f, c.cfg)
			for i, ip := range []string{"9.9.9.1", "9.9.9.1", "9.9.9.2"} {
				start := time.Now()
				res := s.get(t, browser(ip), "/")
				// The slow service takes 3 s: a bound well under that proves the
				// timeout, with room for a loaded machine and the race detector.
				if d := time.Since(start); d > timeout*time.Millisecond+1500*time.Millisecond {
					t.Errorf("%s: request %d took %v with lookupTimeout %d ms", c.name, i, d, timeout)
				}
				if res.status != http.StatusOK || !strings.HasPrefix(res.body, "backend") {
					t.Errorf("%s: request %d not served (fail open): %d %.100s", c.name, i, res.status, res.body)
				}
			}
		}
	})
}

// Many requests from one new address at once make one lookup.
func TestLookupsAreCoalescedPerAddress(t *testing.T) {
	var api *fakeService
	api = newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		api.sleep(r, 300*time.Millisecond)
		fmt.Fprint(rw, `{"status":"success","proxy":false,"hosting":false}`)
	})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		s := textSite(t, f, map[string]any{"thirdParties": "ipapi", "ipapiURL": api.URL + "/json/", "defaultRateLimit": 0})
		before := api.count()
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mustReach(t, s.get(t, browser("9.9.8.1"), "/"), "backend /?")
			}()
		}
		wg.Wait()
		if n := api.count() - before; n != 1 {
			t.Errorf("20 concurrent requests of one address made %d lookups, want 1", n)
		}
	})
}

// ip-api's free tier: 45 requests a minute per process, and a pause when it
// says no requests are left (X-Rl: 0, X-Ttl seconds).
func TestIPAPIFreeTierRespected(t *testing.T) {
	api := ipapiServer(t)
	var tired *fakeService
	tired = newFake(t, func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("X-Rl", "0")
		rw.Header().Set("X-Ttl", "60")
		fmt.Fprint(rw, `{"status":"success","proxy":false,"hosting":false}`)
	})
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		// Each mode has its own interpreter state; the servers are shared, so
		// count this mode's requests only.
		before, beforeTired := api.count(), tired.count()
		s := textSite(t, f, map[string]any{"thirdParties": "ipapi", "ipapiURL": api.URL + "/json/", "defaultRateLimit": 0})
		for i := 0; i < 50; i++ {
			mustReach(t, s.get(t, browser(fmt.Sprintf("9.9.7.%d", i+1)), "/"), "backend /?")
		}
		settle()
		if n := api.count() - before; n != 45 {
			t.Errorf("50 new addresses within a minute: %d ip-api requests, want 45", n)
		}
		s = textSite(t, f, map[string]any{"thirdParties": "ipapi", "ipapiURL": tired.URL + "/json/"})
		for i := 0; i < 5; i++ {
			mustReach(t, s.get(t, browser(fmt.Sprintf("9.9.6.%d", i+1)), "/"), "backend /?")
		}
		settle()
		if n := tired.count() - beforeTired; n != 1 {
			t.Errorf("after X-Rl: 0, %d requests, want 1", n)
		}
	})
}

func TestThirdPartiesOption(t *testing.T) {
	tor := torServer(t)
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		for _, off := range []any{"none", "", []any{}} {
			s := textSite(t, f, map[string]any{"thirdParties": off, "torExitListURL": tor.URL})
			mustReach(t, s.get(t, browser(torExit), "/"), "backend /?")
		}
		s := textSite(t, f, map[string]any{"thirdParties": []any{"tor"}, "torExitListURL": tor.URL})
		mustChallenge(t, s.get(t, browser(torExit), "/"))
		for _, c := range []struct {
			cfg  map[string]any
			want string
		}{
			{map[string]any{"thirdParties": "tor,ipinfo"}, `thirdParties: "ipinfo"`},
			{map[string]any{"lookupTimeout": 0}, "lookupTimeout"},
			{map[string]any{"lookupTimeout": "-5"}, "lookupTimeout"},
			{map[string]any{"ipapiURL": "ftp://example.com/"}, "ipapiURL"},
			{map[string]any{"stopForumSpamURL": "not a url"}, "stopForumSpamURL"},
			{map[string]any{"torExitListURL": "/relative"}, "torExitListURL"},
		} {
			_, err := build(f, c.cfg, uniqueName())
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%v: error %v, want one naming %s", c.cfg, err, c.want)
			}
		}
	})
	if n := tor.count(); n > 2 {
		t.Errorf("exit list fetched %d times", n)
	}
}

func writeFile(path, content string) error { return os.WriteFile(path, []byte(content), 0o644) }

// textSite is newSite with the text challenge, which the helpers solve.
func textSite(t *testing.T, f pluginload.Factory, cfg map[string]any) *site {
	t.Helper()
	if _, ok := cfg["defaultCaptchaType"]; !ok {
		cfg["defaultCaptchaType"] = "text"
	}
	return newSite(t, f, cfg)
}
