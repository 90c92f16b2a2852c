package traefiktest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ModuleName is the plugin's Go module path, as Traefik's localPlugins expects it.
const ModuleName = "github.com/captchaify/captchaify"

// PluginAlias is the name the plugin is declared under in Traefik's static configuration.
const PluginAlias = "captchaify"

// FindRepoRoot walks up from dir (the working directory when dir is empty) to the
// directory whose go.mod declares the plugin module.
func FindRepoRoot(dir string) (string, error) {
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		dir = wd
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if modulePath(filepath.Join(dir, "go.mod")) == ModuleName {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("traefiktest: no directory with a go.mod for %s above the working directory", ModuleName)
		}
		dir = parent
	}
}

func modulePath(goMod string) string {
	f, err := os.Open(goMod)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "module ") {
			return strings.Trim(strings.TrimSpace(strings.TrimPrefix(line, "module")), `"`)
		}
	}
	return ""
}

// InstallPlugin lays the plugin out under workDir the way a user installs a local
// plugin: workDir/plugins-local/src/<module>/ holding the repository root's go.mod,
// go.sum, .traefik.yml and non-test .go files, plus the subdirectories that belong to
// the root module and hold Go code or are assets/ or vendor/ (without _test.go files
// and testdata/). Nested modules (tools/), hidden directories and everything else are
// left out. Any previous copy is replaced. It returns the plugin directory.
func InstallPlugin(repoRoot, workDir string) (string, error) {
	dst := filepath.Join(workDir, "plugins-local", "src", filepath.FromSlash(ModuleName))
	if err := os.RemoveAll(dst); err != nil {
		return "", err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	entries, err := os.ReadDir(repoRoot)
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		name := e.Name()
		src := filepath.Join(repoRoot, name)
		switch {
		case e.IsDir():
			if strings.HasPrefix(name, ".") || name == "testdata" || isFile(filepath.Join(src, "go.mod")) {
				continue
			}
			if name == "assets" || name == "vendor" || hasGoFiles(src) {
				if err := copyTree(src, filepath.Join(dst, name)); err != nil {
					return "", err
				}
			}
		case name == "go.mod" || name == "go.sum" || name == ".traefik.yml" || isPluginSource(name):
			if err := copyFile(src, filepath.Join(dst, name)); err != nil {
				return "", err
			}
		}
	}
	if !isFile(filepath.Join(dst, ".traefik.yml")) {
		return "", fmt.Errorf("traefiktest: %s has no .traefik.yml manifest; Traefik refuses a local plugin without it", repoRoot)
	}
	return dst, nil
}

func isPluginSource(name string) bool {
	return strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go")
}

func isFile(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// hasGoFiles reports whether dir (recursively, outside nested modules) holds Go code.
func hasGoFiles(dir string) bool {
	found := false
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || found {
			return filepath.SkipDir
		}
		if d.IsDir() && path != dir && isFile(filepath.Join(path, "go.mod")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && isPluginSource(d.Name()) {
			found = true
		}
		return nil
	})
	return found
}

// copyTree copies a package directory without tests, testdata and nested modules.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			if path != src && (d.Name() == "testdata" || isFile(filepath.Join(path, "go.mod"))) {
				return filepath.SkipDir
			}
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() || strings.HasSuffix(d.Name(), "_test.go") {
			return nil
		}
		return copyFile(path, target)
	})
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// TraefikBinary returns the path of a Traefik binary: $CAPTCHAIFY_TRAEFIK when set,
// otherwise the one scripts/build-traefik.sh prints, building it on first use (a few
// minutes). Concurrent callers (parallel test packages) wait for a single build.
// progress receives the build script's messages; it may be nil.
func TraefikBinary(repoRoot string, progress io.Writer) (string, error) {
	if bin := os.Getenv("CAPTCHAIFY_TRAEFIK"); bin != "" {
		if _, err := os.Stat(bin); err != nil {
			return "", fmt.Errorf("traefiktest: CAPTCHAIFY_TRAEFIK: %w", err)
		}
		return bin, nil
	}
	script := filepath.Join(repoRoot, "scripts", "build-traefik.sh")
	if _, err := os.Stat(script); err != nil {
		return "", fmt.Errorf("traefiktest: %w", err)
	}
	cache := os.Getenv("CAPTCHAIFY_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		cache = filepath.Join(home, ".cache", "captchaify")
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	unlock, err := lockFile(filepath.Join(cache, "build.lock"))
	if err != nil {
		return "", err
	}
	defer unlock()

	if progress == nil {
		progress = io.Discard
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command("bash", script)
	cmd.Dir = repoRoot
	cmd.Stdout = &stdout
	cmd.Stderr = io.MultiWriter(&stderr, progress)
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("traefiktest: %s failed: %v\n%s", script, err, tail(stderr.String(), 4000))
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	bin := strings.TrimSpace(lines[len(lines)-1])
	if bin == "" {
		return "", errors.New("traefiktest: build-traefik.sh printed no binary path")
	}
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("traefiktest: build-traefik.sh printed %q: %w", bin, err)
	}
	return bin, nil
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
