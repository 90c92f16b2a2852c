package traefiktest

import (
	"bytes"
	"fmt"
	"sort"

	"gopkg.in/yaml.v3"
)

// Route is one Traefik router on the web entrypoint.
type Route struct {
	// Name of the router; it must be unique. Middlewares generated for the route are
	// named after it ("<name>-captchaify").
	Name string
	// Rule is a Traefik rule, for example "PathPrefix(`/login`)" or "Host(`a.test`)".
	Rule string
	// Priority overrides Traefik's default priority (the rule's length) when > 0.
	Priority int
	// Plugin is the captchaify configuration (the map under plugin.captchaify). Nil
	// means the route has no captchaify middleware; an empty map means the plugin's
	// defaults.
	Plugin map[string]any
	// Middlewares are names of entries of Config.Middlewares (or other Traefik
	// middlewares, e.g. "name@file"), applied before the plugin.
	Middlewares []string
	// Service is the target service; empty means the loopback backend ("backend").
	Service string
}

// Config is the part of Traefik's dynamic configuration a test controls.
type Config struct {
	Routes []Route
	// Middlewares are extra raw Traefik middleware definitions by name, for example
	// {"limit": RateLimit(100, 50)}.
	Middlewares map[string]map[string]any
	// Services are extra raw Traefik services by name, for example
	// {"other": {"loadBalancer": {"servers": []any{map[string]any{"url": "http://…"}}}}}.
	Services map[string]map[string]any
}

// BackendService is the name of the service pointing at the instance's backend.
const BackendService = "backend"

// markerPath is answered by a router whose response header carries the configuration
// generation; Reload uses it to see when Traefik serves a new configuration.
const (
	markerPath   = "/__traefiktest/generation"
	markerHeader = "X-Traefiktest-Generation"
)

// PluginMiddleware returns the raw Traefik definition of a captchaify middleware.
func PluginMiddleware(pluginConfig map[string]any) map[string]any {
	if pluginConfig == nil {
		pluginConfig = map[string]any{}
	}
	return map[string]any{"plugin": map[string]any{PluginAlias: pluginConfig}}
}

// RateLimit returns the raw definition of Traefik's built-in rateLimit middleware
// (average requests per second, burst), for comparisons in benchmarks.
func RateLimit(average, burst int) map[string]any {
	return map[string]any{"rateLimit": map[string]any{"average": average, "burst": burst, "period": "1s"}}
}

// PluginMiddlewareName is the name of the captchaify middleware generated for a route.
func PluginMiddlewareName(route string) string { return route + "-captchaify" }

// DynamicYAML renders the dynamic configuration for Traefik's file provider.
// backendURL is the loopback backend's URL; generation is served by the marker router.
func DynamicYAML(cfg Config, backendURL string, generation int) ([]byte, error) {
	routers := map[string]any{}
	middlewares := map[string]any{}
	services := map[string]any{
		BackendService: map[string]any{
			"loadBalancer": map[string]any{"servers": []any{map[string]any{"url": backendURL}}},
		},
	}
	for name, mw := range cfg.Middlewares {
		middlewares[name] = mw
	}
	for name, svc := range cfg.Services {
		if name == BackendService {
			return nil, fmt.Errorf("traefiktest: service name %q is reserved", name)
		}
		services[name] = svc
	}
	for i, r := range cfg.Routes {
		name := r.Name
		if name == "" {
			name = fmt.Sprintf("route%d", i)
		}
		if _, dup := routers[name]; dup {
			return nil, fmt.Errorf("traefiktest: duplicate route name %q", name)
		}
		if r.Rule == "" {
			return nil, fmt.Errorf("traefiktest: route %q has no rule", name)
		}
		mws := append([]string(nil), r.Middlewares...)
		if r.Plugin != nil {
			mwName := PluginMiddlewareName(name)
			if _, dup := middlewares[mwName]; dup {
				return nil, fmt.Errorf("traefiktest: middleware name %q is taken", mwName)
			}
			middlewares[mwName] = PluginMiddleware(r.Plugin)
			mws = append(mws, mwName)
		}
		svc := r.Service
		if svc == "" {
			svc = BackendService
		}
		router := map[string]any{
			"rule":        r.Rule,
			"entryPoints": []string{"web"},
			"service":     svc,
		}
		if len(mws) > 0 {
			router["middlewares"] = mws
		}
		if r.Priority > 0 {
			router["priority"] = r.Priority
		}
		routers[name] = router
	}
	marker := markerRouter(generation)
	if _, dup := routers[marker]; dup {
		return nil, fmt.Errorf("traefiktest: route name %q is reserved", marker)
	}
	routers[marker] = map[string]any{
		"rule":        "Path(`" + markerPath + "`)",
		"entryPoints": []string{"web"},
		"service":     "noop@internal", // answers 418 without bothering the backend
		"priority":    1 << 30,
		"middlewares": []string{marker},
	}
	middlewares[marker] = map[string]any{
		"headers": map[string]any{"customResponseHeaders": map[string]any{markerHeader: fmt.Sprint(generation)}},
	}
	doc := map[string]any{"http": map[string]any{
		"routers":     routers,
		"middlewares": middlewares,
		"services":    services,
	}}
	return MarshalYAML(doc)
}

func markerRouter(generation int) string { return fmt.Sprintf("traefiktest-gen%d", generation) }

// StaticOptions are the knobs of Traefik's static configuration.
type StaticOptions struct {
	WebAddr     string // web entrypoint address, e.g. 127.0.0.1:8080
	APIAddr     string // "traefik" entrypoint (API, ping), e.g. 127.0.0.1:8081
	DynamicFile string // absolute path of the dynamic configuration file
	LogLevel    string // DEBUG, INFO, …
	LogFile     string // empty: Traefik logs to stdout
	AccessLog   bool   // access log to stdout
	// TrustForwardedHeaders makes the web entrypoint keep clients' X-Forwarded-*
	// headers (forwardedHeaders.insecure), to test ipStrategy.
	TrustForwardedHeaders bool
	// ExtraLocalPlugins declares more local plugins: alias → module name.
	ExtraLocalPlugins map[string]string
}

// StaticYAML renders Traefik's static configuration with captchaify as a local plugin.
func StaticYAML(o StaticOptions) ([]byte, error) {
	if o.LogLevel == "" {
		o.LogLevel = "DEBUG"
	}
	web := map[string]any{
		"address": o.WebAddr,
		"transport": map[string]any{"lifeCycle": map[string]any{
			"requestAcceptGraceTimeout": "0s",
			"graceTimeOut":              "1s",
		}},
	}
	if o.TrustForwardedHeaders {
		web["forwardedHeaders"] = map[string]any{"insecure": true}
	}
	logCfg := map[string]any{"level": o.LogLevel, "noColor": true}
	if o.LogFile != "" {
		logCfg["filePath"] = o.LogFile
	}
	localPlugins := map[string]any{PluginAlias: map[string]any{"moduleName": ModuleName}}
	for alias, module := range o.ExtraLocalPlugins {
		if alias == PluginAlias {
			return nil, fmt.Errorf("traefiktest: plugin alias %q is taken", alias)
		}
		localPlugins[alias] = map[string]any{"moduleName": module}
	}
	doc := map[string]any{
		"global":      map[string]any{"checkNewVersion": false, "sendAnonymousUsage": false},
		"entryPoints": map[string]any{"web": web, "traefik": map[string]any{"address": o.APIAddr}},
		"api":         map[string]any{"insecure": true, "dashboard": false},
		"ping":        map[string]any{"entryPoint": "traefik"},
		"log":         logCfg,
		"providers": map[string]any{
			"providersThrottleDuration": "500ms",
			"file":                      map[string]any{"filename": o.DynamicFile, "watch": true},
		},
		"experimental": map[string]any{
			// A plugin that fails to load stops Traefik instead of leaving it running
			// without plugins.
			"abortOnPluginFailure": true,
			"localPlugins":         localPlugins,
		},
	}
	if o.AccessLog {
		doc["accessLog"] = map[string]any{}
	}
	return MarshalYAML(doc)
}

// MarshalYAML renders v as YAML indented by two spaces.
func MarshalYAML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// routerNames lists the @file router names a configuration produces.
func routerNames(cfg Config) []string {
	var names []string
	for i, r := range cfg.Routes {
		name := r.Name
		if name == "" {
			name = fmt.Sprintf("route%d", i)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
