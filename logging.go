package captchaify

import (
	"fmt"
	"log"
	"strings"
)

// Log levels. Traefik shows a plugin's fmt output as DEBUG lines and its log
// output as ERROR lines, so debug and info go to fmt, warn and error to log.
const (
	levelDebug = iota
	levelInfo
	levelWarn
	levelError
)

func parseLogLevel(v string) (int, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "debug":
		return levelDebug, nil
	case "info", "":
		return levelInfo, nil
	case "warn", "warning":
		return levelWarn, nil
	case "error":
		return levelError, nil
	}
	return 0, fmt.Errorf("logLevel: %q is not one of debug, info, warn, error", v)
}

// errorLog writes warnings and errors without a timestamp of its own:
// Traefik stamps every line (and Yaegi's log adds one otherwise).
var errorLog = log.New(log.Writer(), "", 0)

// logger prefixes every line with the middleware name.
type logger struct {
	name  string
	level int
}

func (l *logger) logf(level int, format string, args ...interface{}) {
	if level < l.level {
		return
	}
	line := "captchaify[" + l.name + "]: " + fmt.Sprintf(format, args...)
	if level >= levelWarn {
		errorLog.Println(line)
		return
	}
	fmt.Println(line)
}
