package captchaify

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"
)

// Config is what Traefik decodes the middleware's options into. Traefik uses
// mapstructure with WeaklyTypedInput, so every value may also arrive as a
// string (Docker labels) and "a,b" becomes a list. Durations are seconds.
type Config struct {
	DefaultAction       string            `json:"defaultAction,omitempty"`
	Actions             map[string]string `json:"actions,omitempty"`
	DefaultHardness     int               `json:"defaultHardness,omitempty"`
	Hardness            map[string]int    `json:"hardness,omitempty"`
	DefaultRateLimit    int               `json:"defaultRateLimit,omitempty"`
	DefaultMaxRateLimit int               `json:"defaultMaxRateLimit,omitempty"`
	RateLimits          map[string][]int  `json:"rateLimits,omitempty"`
	DefaultCaptchaType  string            `json:"defaultCaptchaType,omitempty"`
	CaptchaTypes        map[string]string `json:"captchaTypes,omitempty"`
	VerificationAge     int               `json:"verificationAge,omitempty"`
	WithoutCookies      bool              `json:"withoutCookies,omitempty"`
	BlockCrawler        bool              `json:"blockCrawler,omitempty"`
	Secret              string            `json:"-"`
	IPStrategy          IPStrategy        `json:"ipStrategy,omitempty"`
	TokenBinding        string            `json:"tokenBinding,omitempty"`
	ChallengeTTL        int               `json:"challengeTTL,omitempty"`
	ChallengeStatus     int               `json:"challengeStatus,omitempty"`
	RoutePrefix         string            `json:"routePrefix,omitempty"`
	MaxTrackedClients   int               `json:"maxTrackedClients,omitempty"`
	SoftRateLimit       int               `json:"softRateLimit,omitempty"`
	LogLevel            string            `json:"logLevel,omitempty"`
	CookieName          string            `json:"cookieName,omitempty"`
	Redis               RedisConfig       `json:"redis,omitempty"`
	MetricsPath         string            `json:"metricsPath,omitempty"`
	MetricsAllowedIPs   []string          `json:"metricsAllowedIPs,omitempty"`
	PreviousSecrets     []string          `json:"-"`

	// Image challenges (datasets.go, README "Image challenges"): how much of
	// each dataset is used, and where custom datasets are.
	DatasetSize string `json:"datasetSize,omitempty"`
	DatasetDir  string `json:"datasetDir,omitempty"`

	// Rules change the preferences by what is known of the client (README
	// "Rules"); verified search-engine crawlers may pass (README "Crawlers").
	Rules                 []RuleConfig `json:"rules,omitempty"`
	AllowVerifiedCrawlers bool         `json:"allowVerifiedCrawlers,omitempty"`
	DNSResolver           string       `json:"dnsResolver,omitempty"`

	// Client intelligence (intel.go, README "Client intelligence"): offline
	// databases and third parties. LookupTimeout is in milliseconds.
	GeoIPDatabase    string   `json:"geoipDatabase,omitempty"`
	ASNDatabase      string   `json:"asnDatabase,omitempty"`
	ThirdParties     []string `json:"thirdParties,omitempty"`
	LookupTimeout    int      `json:"lookupTimeout,omitempty"`
	TorExitListURL   string   `json:"torExitListURL,omitempty"`
	TorExitListFile  string   `json:"torExitListFile,omitempty"`
	IPAPIURL         string   `json:"ipapiURL,omitempty"`
	StopForumSpamURL string   `json:"stopForumSpamURL,omitempty"`

	// Pages (asroute.go, linkrewrite.go, crawlerhints.go): pages under
	// routePrefix, link rewriting without cookies, hints for crawlers.
	AsRoute          bool `json:"asRoute,omitempty"`
	WithoutOtherArgs bool `json:"withoutOtherArgs,omitempty"`
	CrawlerHints     bool `json:"crawlerHints,omitempty"`

	// Languages and templates of the pages (language.go, templatedirs.go,
	// README "Languages" and "Templates").
	DefaultLanguage    string            `json:"defaultLanguage,omitempty"`
	DefaultTemplateDir string            `json:"defaultTemplateDir,omitempty"`
	TemplateDirs       map[string]string `json:"templateDirs,omitempty"`

	// Unknown collects options this version does not know, so that a typo
	// fails at start-up instead of being silently ignored.
	Unknown map[string]interface{} `json:"-" mapstructure:",remain"`
}

// IPStrategy says where the client address comes from, like Traefik's own
// ipStrategy: by default the connection's address.
type IPStrategy struct {
	// Depth takes the n-th address from the right of X-Forwarded-For.
	Depth int `json:"depth,omitempty"`
	// ExcludedIPs are proxies (addresses or CIDRs) skipped from the right.
	ExcludedIPs []string `json:"excludedIPs,omitempty"`
	// IPv6Subnet groups IPv6 clients by this prefix length for counting.
	IPv6Subnet int `json:"ipv6Subnet,omitempty"`

	Unknown map[string]interface{} `json:"-" mapstructure:",remain"`
}

// CreateConfig returns the defaults; Traefik decodes the user's options on top.
func CreateConfig() *Config {
	return &Config{
		DefaultAction:       actionCaptcha,
		DefaultHardness:     2,
		DefaultRateLimit:    120,
		DefaultMaxRateLimit: 1200,
		DefaultCaptchaType:  typeOneclick,
		VerificationAge:     3600,
		BlockCrawler:        true,
		TokenBinding:        bindSubnet,
		ChallengeTTL:        300,
		ChallengeStatus:     200,
		RoutePrefix:         "/_captchaify/",
		MaxTrackedClients:   100000,
		SoftRateLimit:       50,
		LogLevel:            "info",
		CookieName:          "captcha",
		Redis:               RedisConfig{KeyPrefix: defaultRedisPrefix, Timeout: defaultRedisTimeout, SyncInterval: defaultSyncInterval},

		AllowVerifiedCrawlers: true, // verified search engines pass (README "Crawlers")

		ThirdParties:     []string{thirdPartyTor, thirdPartyIPAPI, thirdPartyStopForumSpam},
		LookupTimeout:    800,
		TorExitListURL:   DefaultTorExitListURL,
		IPAPIURL:         DefaultIPAPIURL,
		StopForumSpamURL: DefaultStopForumSpamURL,

		WithoutOtherArgs: true,
		CrawlerHints:     true,
	}
}

const (
	actionAllow   = "allow"
	actionBlock   = "block"
	actionCaptcha = "captcha"
	actionFight   = "fight"

	typeText = "text"

	bindIP     = "ip"
	bindSubnet = "subnet"
	bindNone   = "none"
)

// prefs are the effective choices for one request: defaults, then the most
// specific route pattern of each map, then (later) rules.
type prefs struct {
	action       string
	captchaType  string
	hardness     int
	rateLimit    int
	maxRateLimit int
	templateDir  string // from a rule's template_dir change, for the pages
	dataset      string // from a rule's dataset change, for the image challenges
}

// settings is the validated, ready-to-use form of Config.
type settings struct {
	rules                 ruleSet
	allowVerifiedCrawlers bool
	crawlerDNS            *crawlerVerifier

	defaults        prefs
	routes          routeTables
	verificationAge time.Duration
	challengeTTL    time.Duration
	withoutCookies  bool
	blockCrawler    bool
	secret          string
	secretGenerated bool
	ips             ipResolver
	tokenBinding    string
	challengeStatus int
	routePrefix     string
	maxTracked      int
	softPercent     int
	logLevel        int
	cookieName      string
	tokenArg        string // cookieName + "=": how the pass shows in a query
	datasetSize     datasetSize
	datasetDir      string
	redis           redisSettings
	metrics         metricsSettings
	previousSecrets []string
	intel           intelSettings

	asRoute          bool
	withoutOtherArgs bool
	crawlerHints     bool
	pageHooks        bool // any of them: a passing request goes through passOn (respfilter.go)
	// preferenceArgs are the visitor's choices that travel in the URL
	// (language, theme, once they exist): carried by link rewriting,
	// dropped from the post-solve redirect by withoutOtherArgs.
	preferenceArgs []string
	pageOpts       pageSettings // languages and template directories (templatedirs.go)
}

// parseSettings validates every option; errors name the option and value.
func parseSettings(c *Config) (*settings, error) {
	if c == nil {
		c = CreateConfig()
	}
	if err := unknownOption("", c.Unknown); err != nil {
		return nil, err
	}
	if err := unknownOption("ipStrategy.", c.IPStrategy.Unknown); err != nil {
		return nil, err
	}
	s := &settings{
		withoutCookies: c.WithoutCookies,
		blockCrawler:   c.BlockCrawler,

		asRoute:          c.AsRoute,
		withoutOtherArgs: c.WithoutOtherArgs,
		crawlerHints:     c.CrawlerHints,
		pageHooks:        c.AsRoute || c.WithoutCookies || c.CrawlerHints,
	}
	var err error
	if s.defaults.action, err = parseAction("defaultAction", c.DefaultAction); err != nil {
		return nil, err
	}
	if s.defaults.captchaType, err = parseCaptchaType("defaultCaptchaType", c.DefaultCaptchaType); err != nil {
		return nil, err
	}
	if s.defaults.hardness, err = parseHardness("defaultHardness", c.DefaultHardness); err != nil {
		return nil, err
	}
	if s.defaults.rateLimit, err = nonNegative("defaultRateLimit", c.DefaultRateLimit); err != nil {
		return nil, err
	}
	if s.defaults.maxRateLimit, err = nonNegative("defaultMaxRateLimit", c.DefaultMaxRateLimit); err != nil {
		return nil, err
	}
	if s.routes, err = compileRouteTables(c); err != nil {
		return nil, err
	}
	if s.rules, err = compileRules(c.Rules, c.DefaultMaxRateLimit); err != nil {
		return nil, err
	}
	s.allowVerifiedCrawlers = c.AllowVerifiedCrawlers
	if s.crawlerDNS, err = newCrawlerVerifier(c.DNSResolver); err != nil {
		return nil, err
	}
	if c.VerificationAge <= 0 {
		return nil, fmt.Errorf("verificationAge: %d must be a positive number of seconds", c.VerificationAge)
	}
	s.verificationAge = time.Duration(c.VerificationAge) * time.Second
	if c.ChallengeTTL <= 0 {
		return nil, fmt.Errorf("challengeTTL: %d must be a positive number of seconds", c.ChallengeTTL)
	}
	s.challengeTTL = time.Duration(c.ChallengeTTL) * time.Second
	if s.secret, s.secretGenerated, err = parseSecret(c.Secret); err != nil {
		return nil, err
	}
	if s.ips, err = newIPResolver(c.IPStrategy); err != nil {
		return nil, err
	}
	switch strings.ToLower(strings.TrimSpace(c.TokenBinding)) {
	case bindIP, bindSubnet, bindNone:
		s.tokenBinding = strings.ToLower(strings.TrimSpace(c.TokenBinding))
	default:
		return nil, fmt.Errorf("tokenBinding: %q is not one of ip, subnet, none", c.TokenBinding)
	}
	if c.ChallengeStatus < 200 || c.ChallengeStatus > 599 || (c.ChallengeStatus >= 300 && c.ChallengeStatus < 400) {
		return nil, fmt.Errorf("challengeStatus: %d is not a 2xx, 4xx or 5xx HTTP status", c.ChallengeStatus)
	}
	s.challengeStatus = c.ChallengeStatus
	if s.routePrefix, err = parseRoutePrefix(c.RoutePrefix); err != nil {
		return nil, err
	}
	if c.MaxTrackedClients < 100 {
		return nil, fmt.Errorf("maxTrackedClients: %d must be at least 100", c.MaxTrackedClients)
	}
	s.maxTracked = c.MaxTrackedClients
	if c.SoftRateLimit < 0 || c.SoftRateLimit > 100 {
		return nil, fmt.Errorf("softRateLimit: %d is not a percentage between 0 and 100", c.SoftRateLimit)
	}
	s.softPercent = c.SoftRateLimit
	if s.logLevel, err = parseLogLevel(c.LogLevel); err != nil {
		return nil, err
	}
	if s.cookieName, err = parseCookieName(c.CookieName); err != nil {
		return nil, err
	}
	s.tokenArg = s.cookieName + "="
	if s.datasetSize, err = parseDatasetSize(c.DatasetSize); err != nil {
		return nil, err
	}
	if s.datasetDir, err = parseDatasetDir(c.DatasetDir); err != nil {
		return nil, err
	}
	if s.redis, err = parseRedis(c.Redis); err != nil {
		return nil, err
	}
	if s.metrics, err = parseMetrics(c.MetricsPath, c.MetricsAllowedIPs); err != nil {
		return nil, err
	}
	if s.previousSecrets, err = parsePreviousSecrets(c.PreviousSecrets, s.secret, s.secretGenerated); err != nil {
		return nil, err
	}
	if s.intel, err = parseIntelSettings(c); err != nil {
		return nil, err
	}
	if err = parsePageSettings(c, s); err != nil {
		return nil, err
	}
	s.preferenceArgs = []string{languageArg, themeArg}
	return s, nil
}

// unknownOption names the first option this version does not know.
func unknownOption(prefix string, unknown map[string]interface{}) error {
	if len(unknown) == 0 {
		return nil
	}
	names := make([]string, 0, len(unknown))
	for k := range unknown {
		names = append(names, k)
	}
	sort.Strings(names)
	return fmt.Errorf("unknown option %q", prefix+names[0])
}

func parseAction(option, v string) (string, error) {
	switch a := strings.ToLower(strings.TrimSpace(v)); a {
	case actionAllow, "let":
		return actionAllow, nil
	case actionBlock, actionCaptcha, actionFight:
		return a, nil
	}
	return "", fmt.Errorf("%s: %q is not one of allow, let, block, captcha, fight", option, v)
}

// parseCaptchaType returns the canonical type: "text", "audio", or an image type
// with its dataset ("oneclick_keys", "multiclick_animals", "oneclick_<name>"
// for <name>.json in datasetDir). Datasets are checked in New.
func parseCaptchaType(option, v string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(v))
	base, name := splitCaptchaType(t)
	switch {
	case t == typeText || t == typeAudio:
		return t, nil
	case t == typeOneclick || t == typeMulticlick:
		return base + typeSeparator + defaultDataset(base), nil
	case (base == typeOneclick || base == typeMulticlick) && validDatasetName(name):
		return t, nil
	}
	return "", fmt.Errorf("%s: %q is not a known captcha type (known: oneclick, multiclick, oneclick_<dataset>, multiclick_<dataset>, text, audio)", option, v)
}

func parseHardness(option string, v int) (int, error) {
	if v < 1 || v > 3 {
		return 0, fmt.Errorf("%s: %d is not a hardness of 1, 2 or 3", option, v)
	}
	return v, nil
}

func nonNegative(option string, v int) (int, error) {
	if v < 0 {
		return 0, fmt.Errorf("%s: %d must be 0 (off) or more", option, v)
	}
	return v, nil
}

func parseSecret(v string) (string, bool, error) {
	if v == "" {
		return processSecret(), true, nil
	}
	if len(v) < 32 {
		return "", false, fmt.Errorf("secret: must be at least 32 characters (got %d)", len(v))
	}
	return v, false, nil
}

func parseRoutePrefix(v string) (string, error) {
	p := strings.TrimSpace(v)
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || len(p) < 2 ||
		strings.ContainsAny(p, "*?# ") {
		return "", fmt.Errorf("routePrefix: %q must be a path such as /_captchaify/", v)
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p, nil
}

func parseCookieName(v string) (string, error) {
	if v == "" || strings.IndexFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-')
	}) >= 0 {
		return "", fmt.Errorf("cookieName: %q must be letters, digits, _ or -", v)
	}
	return v, nil
}

func parsePrefix(option, v string) (netip.Prefix, error) {
	v = strings.TrimSpace(v)
	if strings.Contains(v, "/") {
		p, err := netip.ParsePrefix(v)
		if err != nil {
			return netip.Prefix{}, fmt.Errorf("%s: %q is not an address or CIDR", option, v)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(v)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%s: %q is not an address or CIDR", option, v)
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}
