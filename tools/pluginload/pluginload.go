// Package pluginload builds Captchaify middleware handlers the way Traefik v3 does, so that
// behaviour tests run against both the compiled plugin and the plugin interpreted by Yaegi.
//
// It mirrors Traefik v3.6 pkg/plugins:
//   - plugins.go checkLocalPluginManifest and manager.go ReadManifest (see CheckManifest);
//   - middlewareyaegi.go newInterpreter (GoPath, os.Environ, stdout/stderr writers,
//     stdlib.Symbols only, `import "<manifest.import>"`), newYaegiMiddlewareBuilder
//     (Eval <basePkg>.New and .CreateConfig), createConfig (mapstructure with
//     StringToSliceHookFunc(",") and WeaklyTypedInput, skipped for an empty map) and
//     newHandler (New called through reflect);
//
// and the catalog analyzer traefik/piceus (yaegiMiddlewareCheck): the import and New must each
// finish within 10 s. Traefik's ppSymbols (provider plugins) and useUnsafe are left out.
package pluginload

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	captchaify "github.com/captchaify/captchaify"
	"github.com/mitchellh/mapstructure"
	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
	"gopkg.in/yaml.v3"
)

// Timeout is the limit piceus puts on the import and on each call of New.
const Timeout = 10 * time.Second

// Factory builds a middleware handler from a raw Traefik-style configuration map, as the file
// provider (typed values) or Docker labels (string values) hand it over.
type Factory interface {
	New(ctx context.Context, next http.Handler, config map[string]any, name string) (http.Handler, error)
}

// FactoryFunc adapts a function to Factory.
type FactoryFunc func(ctx context.Context, next http.Handler, config map[string]any, name string) (http.Handler, error)

// New calls f.
func (f FactoryFunc) New(ctx context.Context, next http.Handler, config map[string]any, name string) (http.Handler, error) {
	return f(ctx, next, config, name)
}

// Compiled returns a Factory that uses the plugin package compiled into the test binary.
func Compiled() Factory {
	return FactoryFunc(func(ctx context.Context, next http.Handler, config map[string]any, name string) (http.Handler, error) {
		cfg := captchaify.CreateConfig()
		if err := decodeConfig(config, cfg); err != nil {
			return nil, err
		}
		return captchaify.New(ctx, next, cfg, name)
	})
}

// decodeConfig is Traefik's createConfig minus the reflect call of CreateConfig.
func decodeConfig(config map[string]any, result any) error {
	if len(config) == 0 {
		return nil
	}
	decoder, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		DecodeHook:       mapstructure.StringToSliceHookFunc(","),
		WeaklyTypedInput: true,
		Result:           result,
	})
	if err != nil {
		return fmt.Errorf("failed to create configuration decoder: %w", err)
	}
	if err := decoder.Decode(config); err != nil {
		return fmt.Errorf("failed to decode configuration: %w", err)
	}
	return nil
}

// PluginManifest is Traefik's plugins.Manifest (the .traefik.yml file).
type PluginManifest struct {
	DisplayName   string         `yaml:"displayName"`
	Type          string         `yaml:"type"`
	Runtime       string         `yaml:"runtime"`
	WasmPath      string         `yaml:"wasmPath"`
	Import        string         `yaml:"import"`
	BasePkg       string         `yaml:"basePkg"`
	Compatibility string         `yaml:"compatibility"`
	Summary       string         `yaml:"summary"`
	UseUnsafe     bool           `yaml:"useUnsafe"`
	TestData      map[string]any `yaml:"testData"`
	IconPath      string         `yaml:"iconPath"`
	BannerPath    string         `yaml:"bannerPath"`
}

// ReadManifest decodes pluginRoot/.traefik.yml like Traefik's ReadManifest.
func ReadManifest(pluginRoot string) (*PluginManifest, error) {
	p := filepath.Join(pluginRoot, ".traefik.yml")
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("failed to open the plugin manifest %s: %w", p, err)
	}
	defer f.Close()
	m := &PluginManifest{}
	if err := yaml.NewDecoder(f).Decode(m); err != nil {
		return nil, fmt.Errorf("failed to decode the plugin manifest %s: %w", p, err)
	}
	return m, nil
}

// Manifest returns the testData of pluginRoot/.traefik.yml (what piceus passes to New).
func Manifest(pluginRoot string) (map[string]any, error) {
	m, err := ReadManifest(pluginRoot)
	if err != nil {
		return nil, err
	}
	return m.TestData, nil
}

// CheckManifest applies Traefik's checkLocalPluginManifest for a Yaegi middleware, plus the
// default useUnsafe setting (false) of newInterpreter.
func CheckManifest(m *PluginManifest, moduleName string) error {
	var errs []error
	if m.Type != "middleware" {
		errs = append(errs, fmt.Errorf("%s: unsupported type %q", moduleName, m.Type))
	}
	if m.Runtime != "yaegi" && m.Runtime != "" {
		errs = append(errs, fmt.Errorf("%s: unsupported runtime '%q'", moduleName, m.Runtime))
	}
	if m.Import == "" {
		errs = append(errs, fmt.Errorf("%s: missing import", moduleName))
	}
	if !strings.HasPrefix(m.Import, moduleName) {
		errs = append(errs, fmt.Errorf("the import %q must be related to the module name %q", m.Import, moduleName))
	}
	if m.DisplayName == "" {
		errs = append(errs, fmt.Errorf("%s: missing DisplayName", moduleName))
	}
	if m.Summary == "" {
		errs = append(errs, fmt.Errorf("%s: missing Summary", moduleName))
	}
	if m.TestData == nil {
		errs = append(errs, fmt.Errorf("%s: missing TestData", moduleName))
	}
	if m.UseUnsafe {
		errs = append(errs, errors.New("this plugin uses restricted imports. If you want to use it, you need to allow useUnsafe in the settings"))
	}
	return errors.Join(errs...)
}

// ModuleName returns the module path declared in pluginRoot/go.mod.
func ModuleName(pluginRoot string) (string, error) {
	b, err := os.ReadFile(filepath.Join(pluginRoot, "go.mod"))
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`), nil
		}
	}
	return "", fmt.Errorf("%s/go.mod: no module line", pluginRoot)
}

// YaegiPlugin is the plugin loaded into one Yaegi interpreter, as Traefik does once per
// declared plugin: package-level state is shared by every New call.
type YaegiPlugin struct {
	fnNew          reflect.Value
	fnCreateConfig reflect.Value
	stdout, stderr syncBuffer
	importTime     time.Duration
	srcDir, root   string // the GOPATH copy and the plugin it was copied from
}

// Yaegi copies the plugin at pluginRoot into a temporary GOPATH (as plugins-local/src/<module>),
// checks its manifest and imports it into a fresh Yaegi interpreter.
func Yaegi(pluginRoot string) (*YaegiPlugin, error) {
	module, err := ModuleName(pluginRoot)
	if err != nil {
		return nil, err
	}
	manifest, err := ReadManifest(pluginRoot)
	if err != nil {
		return nil, err
	}
	if err := CheckManifest(manifest, module); err != nil {
		return nil, err
	}
	goPath, err := os.MkdirTemp("", "captchaify-gopath-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(goPath) // Yaegi has read every source file once the import is done.
	p := &YaegiPlugin{srcDir: filepath.Join(goPath, "src", filepath.FromSlash(module)), root: pluginRoot}
	if err := copyPlugin(pluginRoot, p.srcDir); err != nil {
		return nil, err
	}
	i := interp.New(interp.Options{GoPath: goPath, Env: os.Environ(), Stdout: &p.stdout, Stderr: &p.stderr})
	if err := i.Use(stdlib.Symbols); err != nil {
		return nil, fmt.Errorf("failed to load symbols: %w", err)
	}
	start := time.Now()
	if _, err := withTimeout("import", func() (reflect.Value, error) {
		return i.Eval(`import "` + manifest.Import + `"`)
	}); err != nil {
		return nil, fmt.Errorf("failed to import plugin code %q: %w", manifest.Import, err)
	}
	p.importTime = time.Since(start)

	basePkg := manifest.BasePkg
	if basePkg == "" {
		basePkg = strings.ReplaceAll(path.Base(manifest.Import), "-", "_")
	}
	if p.fnNew, err = i.Eval(basePkg + `.New`); err != nil {
		return nil, fmt.Errorf("failed to eval New: %w", err)
	}
	if p.fnCreateConfig, err = i.Eval(basePkg + `.CreateConfig`); err != nil {
		return nil, fmt.Errorf("failed to eval CreateConfig: %w", err)
	}
	if t := p.fnNew.Type(); t.Kind() != reflect.Func || t.NumIn() != 4 || t.NumOut() != 2 {
		return nil, fmt.Errorf("invalid New signature: %v", t) // piceus checkFunctionNewSignature
	}
	return p, nil
}

// New decodes config into a fresh CreateConfig() and calls New, like Traefik's createConfig and
// newHandler, with piceus' 10 s limit on New.
func (p *YaegiPlugin) New(ctx context.Context, next http.Handler, config map[string]any, name string) (http.Handler, error) {
	results := p.fnCreateConfig.Call(nil)
	if len(results) != 1 {
		return nil, fmt.Errorf("invalid number of return for the CreateConfig function: %d", len(results))
	}
	vConfig := results[0]
	if err := decodeConfig(config, vConfig.Interface()); err != nil {
		return nil, err
	}
	var out []reflect.Value
	_, err := withTimeout("New", func() (reflect.Value, error) {
		args := []reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf(next), vConfig, reflect.ValueOf(name)}
		out = p.fnNew.Call(args)
		return reflect.Value{}, nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) > 1 && out[1].Interface() != nil {
		err, ok := out[1].Interface().(error)
		if !ok {
			return nil, fmt.Errorf("invalid error type: %T", out[0].Interface())
		}
		return nil, err
	}
	handler, ok := out[0].Interface().(http.Handler)
	if !ok {
		return nil, fmt.Errorf("invalid handler type: %T", out[0].Interface())
	}
	return handler, nil
}

// Stdout returns what the plugin wrote to Yaegi's stdout (fmt.Print*; Traefik logs it at DEBUG).
func (p *YaegiPlugin) Stdout() string { return strings.ReplaceAll(p.stdout.String(), p.srcDir, p.root) }

// Stderr returns what the plugin (log.Print*) or Yaegi (panics) wrote to stderr (Traefik logs it
// at ERROR). File names point into pluginRoot.
func (p *YaegiPlugin) Stderr() string { return strings.ReplaceAll(p.stderr.String(), p.srcDir, p.root) }

// panicLine is what Yaegi writes to stderr for a panic in interpreted code, before re-panicking:
// "<file>:<line>:<col>: panic: <func>(...)".
var panicLine = regexp.MustCompile(`:\d+:\d+: panic: `)

// Panics returns the Yaegi panic lines of a Stderr() text, ignoring the plugin's own log lines.
func Panics(stderr string) []string {
	var lines []string
	for _, l := range strings.Split(stderr, "\n") {
		if panicLine.MatchString(l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// ImportDuration is how long `import "<module>"` took.
func (p *YaegiPlugin) ImportDuration() time.Duration { return p.importTime }

// withTimeout runs f in a goroutine, turning a panic or a run longer than Timeout into an
// error. A panic escaping Yaegi's Eval would crash Traefik at startup (yaegi#1396).
func withTimeout(what string, f func() (reflect.Value, error)) (reflect.Value, error) {
	type result struct {
		v   reflect.Value
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("%s panicked (this crashes Traefik): %v", what, r)}
			}
		}()
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-time.After(Timeout):
		return reflect.Value{}, fmt.Errorf("%s did not finish within %v", what, Timeout)
	}
}

// copyPlugin copies what Traefik reads from plugins-local/src/<module>: the root package's
// non-test .go files, go.mod, go.sum, .traefik.yml, assets/ and vendor/.
func copyPlugin(root, dst string) error {
	entries, err := os.ReadDir(root)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir() && (name == "assets" || name == "vendor"):
			if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(filepath.Join(root, name))); err != nil {
				return err
			}
		case e.Type().IsRegular() && (strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") ||
			name == "go.mod" || name == "go.sum" || name == ".traefik.yml"):
			if err := copyFile(filepath.Join(root, name), filepath.Join(dst, name)); err != nil {
				return err
			}
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// syncBuffer is a bytes.Buffer safe for the plugin's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// PluginRoot returns $CAPTCHAIFY_PLUGIN_ROOT if set, else the nearest parent of the working
// directory whose go.mod declares github.com/captchaify/captchaify (the repository root).
// The compiled factory always uses the plugin that tools/go.mod replaces (../).
func PluginRoot() (string, error) {
	if root := os.Getenv("CAPTCHAIFY_PLUGIN_ROOT"); root != "" {
		return filepath.Abs(root)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if m, err := ModuleName(dir); err == nil && m == "github.com/captchaify/captchaify" {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("pluginload: plugin root not found above the working directory")
		}
		dir = parent
	}
}

type loaded struct {
	p   *YaegiPlugin
	err error
}

var shared struct {
	sync.Mutex
	plugins map[string]loaded
}

// Shared returns the YaegiPlugin for pluginRoot, loading it on the first call only, so all
// tests of a package share one interpreter (Traefik keeps one per plugin for its lifetime).
// A failed load is not retried.
func Shared(pluginRoot string) (*YaegiPlugin, error) {
	shared.Lock()
	defer shared.Unlock()
	l, ok := shared.plugins[pluginRoot]
	if !ok {
		l.p, l.err = Yaegi(pluginRoot)
		if shared.plugins == nil {
			shared.plugins = map[string]loaded{}
		}
		shared.plugins[pluginRoot] = l
	}
	return l.p, l.err
}

// Run runs fn twice, as the subtests "compiled" and "yaegi" (the Shared interpreter of
// PluginRoot()). The yaegi subtest fails if Yaegi reported a panic on stderr while fn ran, and
// logs any other stderr output (the plugin's warnings).
func Run(t *testing.T, fn func(t *testing.T, f Factory)) {
	t.Helper()
	t.Run("compiled", func(t *testing.T) { fn(t, Compiled()) })
	t.Run("yaegi", func(t *testing.T) {
		root, err := PluginRoot()
		if err != nil {
			t.Fatal(err)
		}
		p, err := Shared(root)
		if err != nil {
			t.Fatal(err)
		}
		before := len(p.Stderr())
		fn(t, p)
		s := p.Stderr()[before:]
		if panics := Panics(s); len(panics) > 0 {
			t.Errorf("panic under Yaegi:\n%s", strings.Join(panics, "\n"))
		} else if s != "" {
			t.Logf("stderr under Yaegi (Traefik logs it at ERROR):\n%s", s)
		}
	})
}
