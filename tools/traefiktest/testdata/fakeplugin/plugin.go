// Package captchaify is a stand-in with the real plugin's module path, used to test
// the traefiktest harness without the real plugin.
package captchaify

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/captchaify/captchaify/assets"
)

// Config is the stand-in's configuration.
type Config struct {
	Greeting string
	Fail     bool
}

// CreateConfig returns the defaults.
func CreateConfig() *Config { return &Config{Greeting: "hello"} }

var (
	mu       sync.Mutex
	requests int
)

// New builds the middleware.
func New(ctx context.Context, next http.Handler, config *Config, name string) (http.Handler, error) {
	if config.Fail {
		return nil, fmt.Errorf("fake plugin asked to fail")
	}
	greeting := config.Greeting + assets.Suffix
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		requests++
		n := requests
		mu.Unlock()
		w.Header().Set("X-Fake-Greeting", greeting)
		w.Header().Set("X-Fake-Requests", strconv.Itoa(n))
		w.Header().Set("X-Fake-Name", name)
		next.ServeHTTP(w, r)
	}), nil
}
