package pluginload_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/captchaify/captchaify/tools/pluginload"
	"gopkg.in/yaml.v3"
)

const secret = "0123456789abcdefghij0123456789abcdefghij" // 40 characters

var next = http.HandlerFunc(func(rw http.ResponseWriter, _ *http.Request) { rw.WriteHeader(http.StatusTeapot) })

func pluginRoot(t *testing.T) string {
	t.Helper()
	root, err := pluginload.PluginRoot()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestManifest runs Traefik's local plugin checks and piceus' go.mod check.
func TestManifest(t *testing.T) {
	root := pluginRoot(t)
	module, err := pluginload.ModuleName(root)
	if err != nil {
		t.Fatal(err)
	}
	if module != "github.com/captchaify/captchaify" {
		t.Errorf("module = %q", module)
	}
	m, err := pluginload.ReadManifest(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := pluginload.CheckManifest(m, module); err != nil {
		t.Error(err)
	}
	gomod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range []string{"github.com/traefik/yaegi", "github.com/traefik/traefik", "github.com/traefik/mesh", "github.com/containous/"} {
		if strings.Contains(string(gomod), dep) {
			t.Errorf("go.mod must not depend on %s (piceus refuses it)", dep)
		}
	}
}

// TestTestData does what the catalog analyzer does: New on the manifest's testData.
func TestTestData(t *testing.T) {
	root := pluginRoot(t)
	testData, err := pluginload.Manifest(root)
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, f pluginload.Factory) {
		start := time.Now()
		h, err := f.New(context.Background(), next, testData, "captchaify@file")
		d := time.Since(start)
		t.Logf("New on testData took %v", d)
		if err != nil {
			t.Fatalf("New(testData): %v", err)
		}
		if d > time.Second {
			t.Errorf("New took %v, want < 1s", d)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		t.Logf("GET / -> %d", rec.Code)
	}
	t.Run("compiled", func(t *testing.T) { check(t, pluginload.Compiled()) })
	t.Run("yaegi", func(t *testing.T) {
		p, err := pluginload.Yaegi(root) // a fresh interpreter, to time the import
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("import under Yaegi took %v", p.ImportDuration())
		check(t, p)
		if panics := pluginload.Panics(p.Stderr()); len(panics) > 0 {
			t.Errorf("panic under Yaegi: %v", panics)
		}
		t.Logf("stderr under Yaegi (Traefik logs it at ERROR): %q", p.Stderr())
	})
}

// TestLabelStyleConfig feeds every value as a string, as Docker labels do.
func TestLabelStyleConfig(t *testing.T) {
	config := map[string]any{
		"defaultAction":   "fight",
		"defaultHardness": "3",
		"withoutCookies":  "true",
		"verificationAge": "600",
		"secret":          secret,
		"blockCrawler":    "false",
		"ipStrategy":      map[string]any{"depth": "1", "excludedIPs": "10.0.0.0/8,192.168.0.0/16"},
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		if _, err := f.New(context.Background(), next, config, "captchaify@docker"); err != nil {
			t.Fatal(err)
		}
	})
}

// TestInvalidValues checks that a bad value is refused, the error names the option, and the
// compiled and interpreted plugins say the same thing.
func TestInvalidValues(t *testing.T) {
	yaegi, err := pluginload.Shared(pluginRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ key, value string }{
		{"defaultAction", "explode"},
		{"defaultHardness", "9"},
		{"secret", "short"},
		{"verificationAge", "soon"}, // a mapstructure error: names the Go field
		{"defaultActoin", "fight"},  // a typo: unknown options are refused
	} {
		t.Run(c.key, func(t *testing.T) {
			config := map[string]any{"secret": secret, c.key: c.value}
			var msgs []string
			for _, f := range []pluginload.Factory{pluginload.Compiled(), yaegi} {
				_, err := f.New(context.Background(), next, config, "captchaify@docker")
				if err == nil {
					t.Fatalf("%T: %s=%q accepted", f, c.key, c.value)
				}
				if !strings.Contains(strings.ToLower(err.Error()), strings.ToLower(c.key)) {
					t.Errorf("%T: error does not name %s: %v", f, c.key, err)
				}
				msgs = append(msgs, err.Error())
			}
			t.Logf("error: %s", msgs[0])
			if msgs[0] != msgs[1] {
				t.Errorf("compiled and Yaegi errors differ:\n compiled: %s\n yaegi:    %s", msgs[0], msgs[1])
			}
		})
	}
	if panics := pluginload.Panics(yaegi.Stderr()); len(panics) > 0 {
		t.Errorf("panic under Yaegi: %v", panics)
	}
}

// TestYAMLConfig feeds typed values, as the file provider does.
func TestYAMLConfig(t *testing.T) {
	var config map[string]any
	err := yaml.Unmarshal([]byte(`
defaultAction: fight
defaultHardness: 1
verificationAge: 1800
withoutCookies: false
blockCrawler: true
secret: `+secret+`
ipStrategy:
  depth: 0
  excludedIPs:
    - 10.0.0.0/8
    - 2001:db8::/32
`), &config)
	if err != nil {
		t.Fatal(err)
	}
	pluginload.Run(t, func(t *testing.T, f pluginload.Factory) {
		h, err := f.New(context.Background(), next, config, "captchaify@file")
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/page?q=1", nil))
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `name="ct"`) {
			t.Errorf("fight: GET -> %d, want 200 with a challenge form", rec.Code)
		}
	})
}
