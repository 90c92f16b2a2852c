package bench

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/captchaify/captchaify/tools/pluginload"
)

// The do-nothing plugin is the floor of every Yaegi middleware: its ServeHTTP only
// calls next, so what it costs is Traefik's call into the interpreter and back.
const (
	// NoopModule is its Go module path.
	NoopModule = "github.com/captchaify/benchnoop"
	// NoopAlias is the name it is declared under in Traefik's localPlugins.
	NoopAlias = "benchnoop"

	noopGoMod = "module " + NoopModule + "\n\ngo 1.22\n"

	noopManifest = `displayName: Bench no-op
type: middleware
import: ` + NoopModule + `
summary: Calls the next handler and does nothing else (benchmark floor).
testData: {}
`

	noopSource = `// Package benchnoop is a Traefik middleware plugin that only calls next.
package benchnoop

import (
	"context"
	"net/http"
)

// Config has no options.
type Config struct{}

// CreateConfig returns the empty configuration.
func CreateConfig() *Config { return &Config{} }

type noop struct{ next http.Handler }

// New returns the middleware.
func New(ctx context.Context, next http.Handler, config *Config, name string) (http.Handler, error) {
	return &noop{next: next}, nil
}

func (n *noop) ServeHTTP(rw http.ResponseWriter, r *http.Request) { n.next.ServeHTTP(rw, r) }
`
)

// WriteNoopPlugin writes the do-nothing plugin's module (go.mod, .traefik.yml,
// benchnoop.go) into dir.
func WriteNoopPlugin(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{"go.mod": noopGoMod, ".traefik.yml": noopManifest, "benchnoop.go": noopSource}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

var noopOnce struct {
	sync.Once
	p   *pluginload.YaegiPlugin
	err error
}

// yaegiNoop loads the do-nothing plugin under Yaegi with pluginload (as Traefik
// does), once per process.
func yaegiNoop() (*pluginload.YaegiPlugin, error) {
	noopOnce.Do(func() {
		dir, err := os.MkdirTemp("", "benchnoop-")
		if err != nil {
			noopOnce.err = err
			return
		}
		defer os.RemoveAll(dir)
		if noopOnce.err = WriteNoopPlugin(dir); noopOnce.err != nil {
			return
		}
		noopOnce.p, noopOnce.err = pluginload.Yaegi(dir)
	})
	return noopOnce.p, noopOnce.err
}
