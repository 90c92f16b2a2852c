package bench

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/pluginload"
)

const browserUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"

// TestCrawlerListBuildTime measures, in a fresh Yaegi interpreter, what the
// first request that checks a user agent pays for building the crawler
// matcher (1 500 patterns), against the second request.
//
//	cd tools && go test -run CrawlerListBuildTime -v ./bench/
func TestCrawlerListBuildTime(t *testing.T) {
	root, err := pluginload.PluginRoot()
	if err != nil {
		t.Fatal(err)
	}
	p, err := pluginload.Yaegi(root)
	if err != nil {
		t.Fatal(err)
	}
	cfg := PluginConfig("captcha", 2)
	cfg["thirdParties"] = "none"
	h, err := p.New(context.Background(), &NopNext{}, cfg, "b-crawler-build")
	if err != nil {
		t.Fatal(err)
	}
	req := func() *http.Request {
		r := httptest.NewRequest(http.MethodGet, "http://bench.test/page", nil)
		r.RemoteAddr = ClientIP + ":40000"
		r.Header.Set("User-Agent", browserUA)
		return r
	}
	var d [3]time.Duration
	for i := range d {
		start := time.Now()
		h.ServeHTTP(httptest.NewRecorder(), req())
		d[i] = time.Since(start)
	}
	t.Logf("first request (builds the crawler matcher): %v; second: %v; third: %v", d[0], d[1], d[2])
}

// BenchmarkCrawlerCheck times a browser's request on a captcha route (the
// suspicion check runs the crawler matcher) with blockCrawler on and off.
//
//	cd tools && go test -run '^$' -bench CrawlerCheck ./bench/
func BenchmarkCrawlerCheck(b *testing.B) {
	for _, mode := range modes {
		for _, block := range []bool{false, true} {
			name := mode + "/blockCrawler-off"
			if block {
				name = mode + "/blockCrawler-on"
			}
			cfg := PluginConfig("captcha", 2)
			cfg["thirdParties"] = "none"
			cfg["blockCrawler"] = block
			mode := mode
			b.Run(name, func(b *testing.B) {
				next := &NopNext{}
				h, err := handlers(b, mode).Plugin(next, cfg, "b-crawler-"+name)
				if err != nil {
					b.Fatal(err)
				}
				r := ChallengeGet("/page")
				r.Header.Set("User-Agent", browserUA)
				benchPass(b, h, next, r)
			})
		}
	}
}
