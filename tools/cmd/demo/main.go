// Command demo runs a real Traefik with the captchaify plugin (installed as a local
// plugin from this repository) in front of a small sample site, until Ctrl-C.
//
//	scripts/demo.sh            # or: make demo
//	cd tools && go run ./cmd/demo -addr 127.0.0.1:8080
//
// Routes: /login* fight, /api/* allow, everything else captcha.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/captchaify/captchaify/tools/traefiktest"
)

func main() {
	home, _ := os.UserHomeDir()
	addr := flag.String("addr", "127.0.0.1:8080", "address Traefik's web entrypoint listens on")
	workDir := flag.String("workdir", filepath.Join(home, ".cache", "captchaify", "demo"), "Traefik's working directory (plugins-local/, configuration)")
	traefik := flag.String("traefik", "", "Traefik binary (default: $CAPTCHAIFY_TRAEFIK or scripts/build-traefik.sh)")
	secret := flag.String("secret", "", "plugin secret, at least 32 characters (default: a random one kept in <workdir>/secret)")
	logLevel := flag.String("log-level", "INFO", "Traefik log level")
	accessLog := flag.Bool("access-log", true, "print Traefik's access log")
	flag.Parse()

	plugin := map[string]any{
		"defaultAction": "captcha",
		"actions": map[string]any{
			"/login*": "fight",
			"/api/*":  "allow",
		},
	}
	configYAML := describe(plugin)
	if *secret == "" {
		s, err := demoSecret(*workDir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
			os.Exit(1)
		}
		*secret = s
	}
	plugin["secret"] = *secret
	cfg := traefiktest.Config{Routes: []traefiktest.Route{{Name: "site", Rule: "PathPrefix(`/`)", Plugin: plugin}}}

	fmt.Fprintln(os.Stderr, "demo: starting Traefik with the captchaify plugin (the first start builds Traefik: a few minutes)")
	inst, err := traefiktest.Launch(traefiktest.Options{
		Config:      cfg,
		Traefik:     *traefik,
		WorkDir:     *workDir,
		WebAddr:     *addr,
		Backend:     site(configYAML),
		LogLevel:    *logLevel,
		LogToStdout: true,
		AccessLog:   *accessLog,
		Output:      os.Stdout,
		Progress:    os.Stderr,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}

	fmt.Fprintf(os.Stderr, `
  Captchaify demo is running: %s/
    /          captcha (only suspicious clients are challenged; try curl -A Googlebot)
    /login     fight   (everyone solves a captcha once)
    /api/hello allow   (never challenged, only rate limited)
  Traefik's working directory: %s
  Press Ctrl-C to stop.

`, inst.BaseURL, inst.WorkDir)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	select {
	case <-sigs:
		fmt.Fprintln(os.Stderr, "\ndemo: stopping Traefik")
	case <-inst.Done():
		fmt.Fprintln(os.Stderr, "demo: Traefik exited:", inst.ExitErr())
	}
	done := make(chan error, 1)
	go func() { done <- inst.Close() }()
	select {
	case err := <-done:
		if err != nil {
			fmt.Fprintln(os.Stderr, "demo:", err)
		}
	case <-sigs:
		fmt.Fprintln(os.Stderr, "demo: second interrupt, quitting")
	case <-time.After(15 * time.Second):
	}
}

// demoSecret returns the secret kept in workDir/secret, creating a random one the
// first time, so that passes survive restarts of the demo.
func demoSecret(workDir string) (string, error) {
	file := filepath.Join(workDir, "secret")
	if data, err := os.ReadFile(file); err == nil && len(strings.TrimSpace(string(data))) >= 32 {
		return strings.TrimSpace(string(data)), nil
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	s := hex.EncodeToString(b)
	if err := os.MkdirAll(workDir, 0o755); err != nil {
		return "", err
	}
	return s, os.WriteFile(file, []byte(s+"\n"), 0o600)
}

// describe renders the plugin's middleware as Traefik dynamic configuration, for the
// /docs page.
func describe(plugin map[string]any) string {
	data, err := traefiktest.MarshalYAML(map[string]any{"http": map[string]any{"middlewares": map[string]any{
		traefiktest.PluginMiddlewareName("site"): traefiktest.PluginMiddleware(plugin),
	}}})
	if err != nil {
		return err.Error()
	}
	return string(data)
}
