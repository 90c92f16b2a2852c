package traefiktest

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDynamicYAML(t *testing.T) {
	cfg := Config{
		Routes: []Route{
			{Name: "site", Rule: "PathPrefix(`/`)", Plugin: map[string]any{"defaultAction": "fight", "secret": "s"}},
			{Name: "bare", Rule: "PathPrefix(`/bare/`)", Priority: 50},
			{Name: "limited", Rule: "PathPrefix(`/rl/`)", Middlewares: []string{"limit"}},
		},
		Middlewares: map[string]map[string]any{"limit": RateLimit(100, 50)},
	}
	data, err := DynamicYAML(cfg, "http://127.0.0.1:1234", 7)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		HTTP struct {
			Routers map[string]struct {
				Rule        string   `yaml:"rule"`
				Middlewares []string `yaml:"middlewares"`
				Service     string   `yaml:"service"`
				Priority    int      `yaml:"priority"`
				EntryPoints []string `yaml:"entryPoints"`
			} `yaml:"routers"`
			Middlewares map[string]map[string]any `yaml:"middlewares"`
			Services    map[string]struct {
				LoadBalancer struct {
					Servers []struct {
						URL string `yaml:"url"`
					} `yaml:"servers"`
				} `yaml:"loadBalancer"`
			} `yaml:"services"`
		} `yaml:"http"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	site := doc.HTTP.Routers["site"]
	if site.Rule != "PathPrefix(`/`)" || site.Service != BackendService || len(site.Middlewares) != 1 || site.Middlewares[0] != "site-captchaify" {
		t.Errorf("site router = %+v", site)
	}
	if len(site.EntryPoints) != 1 || site.EntryPoints[0] != "web" {
		t.Errorf("site entrypoints = %v", site.EntryPoints)
	}
	if r := doc.HTTP.Routers["bare"]; len(r.Middlewares) != 0 || r.Priority != 50 {
		t.Errorf("bare router = %+v", r)
	}
	if r := doc.HTTP.Routers["limited"]; len(r.Middlewares) != 1 || r.Middlewares[0] != "limit" {
		t.Errorf("limited router = %+v", r)
	}
	plugin, _ := doc.HTTP.Middlewares["site-captchaify"]["plugin"].(map[string]any)
	conf, _ := plugin[PluginAlias].(map[string]any)
	if conf["defaultAction"] != "fight" || conf["secret"] != "s" {
		t.Errorf("plugin middleware = %v", doc.HTTP.Middlewares["site-captchaify"])
	}
	if _, ok := doc.HTTP.Middlewares["limit"]["rateLimit"]; !ok {
		t.Errorf("rateLimit middleware missing: %v", doc.HTTP.Middlewares)
	}
	if _, ok := doc.HTTP.Routers["traefiktest-gen7"]; !ok {
		t.Errorf("marker router missing: %v", doc.HTTP.Routers)
	}
	if got := doc.HTTP.Services[BackendService].LoadBalancer.Servers; len(got) != 1 || got[0].URL != "http://127.0.0.1:1234" {
		t.Errorf("backend service = %+v", got)
	}

	if _, err := DynamicYAML(Config{Routes: []Route{{Name: "a", Rule: "Path(`/`)"}, {Name: "a", Rule: "Path(`/b`)"}}}, "http://x", 1); err == nil {
		t.Error("duplicate route names accepted")
	}
}

func TestInstallPlugin(t *testing.T) {
	root, err := FindRepoRoot("")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(root) == "tools" {
		t.Fatalf("FindRepoRoot stopped in the tools module: %s", root)
	}
	dir, err := InstallPlugin(filepath.Join("testdata", "fakeplugin"), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(filepath.ToSlash(dir), "/plugins-local/src/github.com/captchaify/captchaify") {
		t.Errorf("plugin dir = %s", dir)
	}
	for _, name := range []string{"go.mod", ".traefik.yml", "plugin.go", "assets/assets.go"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s not installed: %v", name, err)
		}
	}
	for _, name := range []string{"plugin_test.go", "tools"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s installed", name)
		}
	}
}

// TestFakePlugin runs real Traefik with a stand-in plugin: startup, several routes,
// reload with package state kept, a failing plugin configuration reported, logs.
func TestFakePlugin(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik tests skipped")
	}
	root, err := FindRepoRoot("")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := TraefikBinary(root, tbWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{
		Routes: []Route{
			{Name: "site", Rule: "PathPrefix(`/`)", Plugin: map[string]any{"greeting": "one"}},
			{Name: "bare", Rule: "PathPrefix(`/bare/`)"},
			{Name: "limited", Rule: "PathPrefix(`/rl/`)", Middlewares: []string{"limit"}},
			{Name: "extra", Rule: "PathPrefix(`/extra/`)", Middlewares: []string{"extra-mw"}},
		},
		Middlewares: map[string]map[string]any{
			"limit":    RateLimit(1, 1),
			"extra-mw": {"plugin": map[string]any{"extra": map[string]any{}}},
		},
	}
	inst := Start(t, Options{
		Config:       cfg,
		Traefik:      bin,
		RepoRoot:     filepath.Join("testdata", "fakeplugin"),
		ExtraPlugins: []LocalPlugin{{Alias: "extra", ModuleName: "example.com/extra", Install: installExtra}},
	})
	client := Client("")

	get := func(path string) *http.Response {
		t.Helper()
		resp, err := client.Get(inst.URL(path))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		resp.Header.Set("X-Body", string(body))
		return resp
	}
	resp := get("/page.html?x=1")
	if resp.Header.Get("X-Fake-Greeting") != "one!" || resp.Header.Get(BackendHeader) != "1" {
		t.Errorf("site: headers %v", resp.Header)
	}
	if !strings.Contains(resp.Header.Get("X-Body"), "hello from backend /page.html?x=1") {
		t.Errorf("site body: %q", resp.Header.Get("X-Body"))
	}
	n1, _ := strconv.Atoi(resp.Header.Get("X-Fake-Requests"))
	resp = get("/bare/x?y=2")
	if resp.Header.Get("X-Fake-Greeting") != "" || resp.Header.Get("X-Body") != "hello from backend /bare/x?y=2\n" {
		t.Errorf("bare: %v", resp.Header)
	}
	if resp := get("/extra/z"); resp.Header.Get("X-Extra") != "yes" || resp.Header.Get(BackendHeader) != "1" {
		t.Errorf("extra plugin: headers %v", resp.Header)
	}
	codes := []int{get("/rl/a").StatusCode, get("/rl/a").StatusCode, get("/rl/a").StatusCode}
	if codes[len(codes)-1] != http.StatusTooManyRequests {
		t.Errorf("rateLimit route: statuses %v", codes)
	}

	cfg.Routes[0].Plugin = map[string]any{"greeting": "two"}
	if err := inst.Reload(cfg); err != nil {
		t.Fatal(err)
	}
	resp = get("/p")
	if resp.Header.Get("X-Fake-Greeting") != "two!" {
		t.Errorf("after reload: greeting %q", resp.Header.Get("X-Fake-Greeting"))
	}
	if n2, _ := strconv.Atoi(resp.Header.Get("X-Fake-Requests")); n2 <= n1 {
		t.Errorf("package state lost on reload: request counter %d then %d", n1, n2)
	}

	// A plugin that fails in New disables its router; Reload reports it.
	bad := cfg
	bad.Routes = append([]Route{}, cfg.Routes...)
	bad.Routes[0].Plugin = map[string]any{"fail": true}
	err = inst.Reload(bad)
	if err == nil || !strings.Contains(err.Error(), "fake plugin asked to fail") {
		t.Errorf("failing plugin: Reload error = %v", err)
	}
	if len(inst.PluginErrors()) == 0 {
		t.Error("PluginErrors found nothing after a failing New")
	}
	if !strings.Contains(inst.Log(), "Configuration received") {
		t.Errorf("Log() does not look like Traefik's debug log: %.500s", inst.Log())
	}
}

// TestBrokenPlugin checks that a plugin Yaegi cannot load makes Launch fail at once
// with Traefik's reason, instead of running Traefik without plugins.
func TestBrokenPlugin(t *testing.T) {
	if os.Getenv("CAPTCHAIFY_SKIP_TRAEFIK") == "1" {
		t.Skip("CAPTCHAIFY_SKIP_TRAEFIK=1: real-Traefik tests skipped")
	}
	root, err := FindRepoRoot("")
	if err != nil {
		t.Fatal(err)
	}
	bin, err := TraefikBinary(root, tbWriter{t})
	if err != nil {
		t.Fatal(err)
	}
	broken := t.TempDir()
	if err := copyTree(filepath.Join("testdata", "fakeplugin"), broken); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(broken, "broken.go"), []byte("package captchaify\n\nvar broken int = \"not an int\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	inst, err := Launch(Options{
		Config:   Config{Routes: []Route{{Name: "site", Rule: "PathPrefix(`/`)", Plugin: map[string]any{}}}},
		Traefik:  bin,
		RepoRoot: broken,
	})
	if err == nil {
		inst.Close()
		t.Fatal("Launch succeeded with a plugin that does not compile")
	}
	if !strings.Contains(err.Error(), "broken.go") {
		t.Errorf("Launch error does not name the broken file:\n%v", err)
	}
}

// installExtra writes a second, trivial plugin for Options.ExtraPlugins.
func installExtra(dir string) error {
	files := map[string]string{
		"go.mod": "module example.com/extra\n\ngo 1.22\n",
		".traefik.yml": "displayName: Extra\ntype: middleware\nimport: example.com/extra\n" +
			"summary: A second plugin.\ntestData: {}\n",
		"extra.go": `package extra

import (
	"context"
	"net/http"
)

type Config struct{}

func CreateConfig() *Config { return &Config{} }

func New(ctx context.Context, next http.Handler, _ *Config, _ string) (http.Handler, error) {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Extra", "yes")
		next.ServeHTTP(w, r)
	}), nil
}
`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}
