package traefiktest

import (
	"fmt"
	"html"
	"net/http"
	"strings"
)

// BackendHeader is set on every answer of the default backend.
const BackendHeader = "X-Traefiktest-Backend"

// BackendBodyPrefix starts every plain-text answer of the default backend, which is
// followed by the request URI: "hello from backend /page?a=1".
const BackendBodyPrefix = "hello from backend "

// Backend is the default site behind Traefik. Paths ending in ".html" (and "/html")
// get a small HTML page; everything else gets text/plain
// "hello from backend <request URI>". Every answer has the header
// X-Traefiktest-Backend: 1, so a test can tell it reached the site.
func Backend() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(BackendHeader, "1")
		w.Header().Set("Cache-Control", "no-cache")
		if strings.HasSuffix(r.URL.Path, ".html") || r.URL.Path == "/html" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Backend page</title></head>\n"+
				"<body><h1>%s</h1><p>A page from the backend behind Traefik.</p><p><a href=\"/\">home</a></p></body></html>\n",
				html.EscapeString(BackendBodyPrefix+r.URL.RequestURI()))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(w, "%s%s\n", BackendBodyPrefix, r.URL.RequestURI())
	})
}
