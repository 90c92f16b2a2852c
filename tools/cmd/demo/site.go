package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"time"
)

// site is the small sample site the demo puts behind Traefik and the plugin.
func site(configYAML string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			w.WriteHeader(http.StatusNotFound)
			page(w, "Not found", "<p>There is no page at <code>"+html.EscapeString(r.URL.Path)+"</code>.</p>")
			return
		}
		page(w, "Welcome", `<p>This sample site sits behind Traefik with the captchaify plugin.</p>
<ul>
<li>Ordinary pages such as this one use the <b>captcha</b> action: people pass, suspicious
clients (crawler user agents, clients over half of the rate limit) get a captcha first.
Try <code>curl -A Googlebot http://127.0.0.1:8080/</code>.</li>
<li><a href="/login">/login</a> uses <b>fight</b>: everyone solves a captcha once, then a cookie lets them through.</li>
<li><a href="/api/hello">/api/hello</a> uses <b>allow</b>: never challenged, only rate limited.</li>
<li><a href="/docs">/docs</a> is an ordinary page.</li>
</ul>`)
	})
	mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			_ = r.ParseForm()
			page(w, "Logged in", "<p>Welcome, <b>"+html.EscapeString(r.PostForm.Get("user"))+
				"</b>. (This is a demo: any name works.)</p><p><a href=\"/\">Home</a></p>")
			return
		}
		page(w, "Log in", `<p>You got here, so you solved the captcha (or hold a valid pass cookie).</p>
<form method="post" action="/login">
<label>Name <input name="user" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button>Log in</button>
</form>`)
	})
	mux.HandleFunc("/api/hello", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"message": "hello from the demo API",
			"time":    time.Now().UTC().Format(time.RFC3339),
		})
	})
	mux.HandleFunc("/docs", func(w http.ResponseWriter, r *http.Request) {
		page(w, "Docs", "<p>The demo's dynamic configuration (file provider):</p>\n<pre>"+html.EscapeString(configYAML)+"</pre>\n"+
			`<p>See the project README for every option.</p>`)
	})
	return mux
}

func page(w http.ResponseWriter, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s · captchaify demo</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
nav a{margin-right:1rem}label{display:block;margin:.5rem 0}pre{background:#f4f4f4;padding:1rem;overflow:auto}</style>
</head><body>
<nav><a href="/">Home</a><a href="/login">Log in</a><a href="/api/hello">API</a><a href="/docs">Docs</a></nav>
<h1>%s</h1>
%s
</body></html>
`, html.EscapeString(title), html.EscapeString(title), body)
}
