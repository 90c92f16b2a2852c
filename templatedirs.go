package captchaify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Custom templates (README "Templates"): defaultTemplateDir, templateDirs
// (route pattern → directory) and a rule's template_dir name directories
// whose files replace built-in pages by file name. Every directory is read
// at New: a missing directory fails New naming the option, a file that
// does not parse fails New naming the file, a page the directory lacks
// falls back to the built-in one with a warning.

// pageSettings are the page options (validated in parsePageSettings).
type pageSettings struct {
	defaultLanguage string
	// templateDirs names each configured directory with the option that
	// set it first, for error messages.
	templateDirs map[string]string
}

// maxTemplateBytes caps a template file: pages are a few KiB.
const maxTemplateBytes = 1 << 20

// parsePageSettings validates defaultLanguage, defaultTemplateDir and
// templateDirs; it adds templateDirs to the route tables and the default
// directory to the default preferences. Call it after the route tables
// and rules are compiled: their template directories are collected too.
func parsePageSettings(c *Config, s *settings) error {
	var err error
	if s.pageOpts.defaultLanguage, err = parseDefaultLanguage(c.DefaultLanguage); err != nil {
		return err
	}
	dirs := map[string]string{}
	note := func(option, dir string) {
		if _, seen := dirs[dir]; !seen && dir != "" {
			dirs[dir] = option
		}
	}
	if c.DefaultTemplateDir != "" {
		s.defaults.templateDir = c.DefaultTemplateDir
		note("defaultTemplateDir", c.DefaultTemplateDir)
	}
	if len(c.TemplateDirs) > 0 {
		keys := sortedKeysString(c.TemplateDirs)
		t := make(routeTable, 0, len(keys))
		for _, k := range keys {
			option := "templateDirs[" + k + "]"
			pat, err := compileRoutePattern("templateDirs", k)
			if err != nil {
				return err
			}
			if c.TemplateDirs[k] == "" {
				return fmt.Errorf("%s: empty directory", option)
			}
			note(option, c.TemplateDirs[k])
			t = append(t, routeEntry{pattern: pat, patch: prefsPatch{templateDir: c.TemplateDirs[k]}})
		}
		// The most literal characters win, ties by key (as every route map).
		sort.SliceStable(t, func(i, j int) bool {
			if t[i].pattern.literal != t[j].pattern.literal {
				return t[i].pattern.literal > t[j].pattern.literal
			}
			return t[i].pattern.key < t[j].pattern.key
		})
		s.routes.tables = append(s.routes.tables, t)
	}
	for i := range s.rules.rules {
		note(fmt.Sprintf("rules[%d].change.template_dir", i), s.rules.rules[i].patch.templateDir)
	}
	for dir, option := range dirs {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return fmt.Errorf("%s: %q is not a readable directory", option, dir)
		}
	}
	s.pageOpts.templateDirs = dirs
	return nil
}

// loadTemplateDirs parses every configured directory's templates.
func loadTemplateDirs(dirs map[string]string, builtin *pageSet, log logger) (map[string]*pageSet, error) {
	if len(dirs) == 0 {
		return nil, nil
	}
	names := make([]string, 0, len(dirs))
	for d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	out := make(map[string]*pageSet, len(dirs))
	for _, dir := range names {
		ps, err := loadTemplateDir(dir, dirs[dir], builtin, log)
		if err != nil {
			return nil, err
		}
		out[dir] = ps
	}
	return out, nil
}

// loadTemplateDir reads one directory: each page file found replaces the
// built-in page.
func loadTemplateDir(dir, option string, builtin *pageSet, log logger) (*pageSet, error) {
	ps := *builtin
	var missing []string
	for _, file := range pageFiles {
		path := filepath.Join(dir, file)
		src, err := readTemplateFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, file)
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", option, path, err)
		}
		t, err := parsePage(file, src)
		if err != nil {
			return nil, fmt.Errorf("%s: template %s does not parse: %w", option, path, err)
		}
		*ps.slot(file) = t
	}
	if len(missing) > 0 {
		log.logf(levelWarn, "%s: %s has no %s: using the built-in pages instead", option, dir, strings.Join(missing, ", "))
	}
	return &ps, nil
}

func readTemplateFile(path string) (string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if st.IsDir() || st.Size() > maxTemplateBytes {
		return "", fmt.Errorf("not a template file of at most %d bytes", maxTemplateBytes)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return string(b), nil
}
