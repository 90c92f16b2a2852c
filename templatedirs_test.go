package captchaify

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A page a template directory lacks falls back to the built-in one, with
// one warning naming the directory and the missing files.
func TestTemplateDirFallbackWarns(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileBlocked), []byte(`{{template "head" .}}<main>MINE{{template "footer" .}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	old := errorLog.Writer()
	errorLog.SetOutput(&buf)
	defer errorLog.SetOutput(old)

	builtin, err := builtinPages()
	if err != nil {
		t.Fatal(err)
	}
	sets, err := loadTemplateDirs(map[string]string{dir: "defaultTemplateDir"}, builtin, logger{name: "t", level: levelInfo})
	if err != nil {
		t.Fatal(err)
	}
	ps := sets[dir]
	if ps.blocked == builtin.blocked {
		t.Errorf("blocked.html not loaded")
	}
	if ps.challengeText != builtin.challengeText || ps.rateLimited != builtin.rateLimited {
		t.Errorf("missing pages do not fall back to the built-in ones")
	}
	log := buf.String()
	for _, want := range []string{"defaultTemplateDir", dir, fileText, fileRateLimited, fileChangeLanguage, "built-in"} {
		if !strings.Contains(log, want) {
			t.Errorf("warning %q lacks %q", log, want)
		}
	}
	if strings.Contains(log, fileBlocked) {
		t.Errorf("warning names %s, which is there", fileBlocked)
	}
}
