package captchaify

import (
	"bytes"
	"fmt"
	"net/http"
	"net/netip"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Prometheus metrics, text format 0.0.4. Counters are package-level per
// middleware name, so they only grow across configuration reloads. The hot
// path does one atomic add on a counter found by array index.

// Decisions: what happened to a request (captchaify_requests_total).
const (
	decisionPass        = iota // reached the site
	decisionChallenge          // got a challenge page
	decisionSolved             // answered correctly, got a pass (303)
	decisionBlock              // blocked page (403), lockouts included
	decisionRateLimited        // 429
	decisionOwnRoute           // a path under routePrefix
	decisionError              // the challenge could not be drawn (503)
	numDecisions
)

var decisionNames = [numDecisions]string{"pass", "challenge", "solved", "block", "rate_limited", "own_route", "error"}

// Why an answer did not earn a pass (captchaify_challenges_failed_total).
const (
	failWrong   = iota // wrong answer
	failInvalid        // unreadable or forged token, or one for another path, address or browser
	failExpired        // older than challengeTTL
	failSpent          // already answered
	failTooEasy        // the route now needs a harder challenge
	failOther
	numFailReasons
)

var failReasonNames = [numFailReasons]string{"wrong", "invalid", "expired", "spent", "too_easy", "other"}

// Redis error kinds (captchaify_redis_errors_total).
const (
	redisErrConnect  = iota // could not connect or log in
	redisErrTimeout         // no answer within redis.timeout
	redisErrProtocol        // the answer was not Redis speaking
	redisErrReply           // Redis refused (an error reply)
	redisErrIO              // the connection broke
	numRedisErrKinds
)

var redisErrNames = [numRedisErrKinds]string{"connect", "timeout", "protocol", "reply", "io"}

// maxLabelValues bounds the distinct reasons, sources and results one
// middleware reports; later ones are counted as "other".
const maxLabelValues = 64

// metricSet holds one middleware's counters.
type metricSet struct {
	name     string
	requests [numDecisions]uint64
	// issued and solved: [kind*4 + hardness]; failed: [(kind*4+hardness)*numFailReasons + reason]
	issued         []uint64
	solved         []uint64
	failed         []uint64
	redisErrors    [numRedisErrKinds]uint64
	redisFallbacks uint64

	mu      sync.Mutex
	blocks  map[string]*uint64 // reason
	lookups map[string]*uint64 // source + "\x00" + result
	store   stateStore         // the latest, for the gauges
}

var (
	metricSetsMu sync.Mutex
	metricSets   = make(map[string]*metricSet)
)

// metricsFor returns the counters of the middleware name.
func metricsFor(name string) *metricSet {
	metricSetsMu.Lock()
	defer metricSetsMu.Unlock()
	s := metricSets[name]
	if s == nil {
		n := len(challengeKinds) * 4
		s = &metricSet{
			name:    name,
			issued:  make([]uint64, n),
			solved:  make([]uint64, n),
			failed:  make([]uint64, n*numFailReasons),
			blocks:  make(map[string]*uint64),
			lookups: make(map[string]*uint64),
		}
		metricSets[name] = s
	}
	return s
}

func (s *metricSet) setStore(st stateStore) {
	s.mu.Lock()
	s.store = st
	s.mu.Unlock()
}

// countDecision records the decision taken for a request. A function,
// not a method: under Yaegi a method call costs twice as much (about 3.4
// against 1.3 µs), and this runs on every request.
func countDecision(s *metricSet, decision int) {
	atomic.AddUint64(&s.requests[decision], 1)
}

// count is countDecision as a method, for code off the hot path.
func (s *metricSet) count(decision int) { countDecision(s, decision) }

// challengeIndex is the counter slot of a challenge type and hardness.
func challengeIndex(kind string, hardness int) int {
	if hardness < 1 || hardness > 3 {
		hardness = 0
	}
	return int(kindByte(kind))*4 + hardness
}

func (s *metricSet) issuedChallenge(kind string, hardness int) {
	atomic.AddUint64(&s.issued[challengeIndex(kind, hardness)], 1)
}

// answered records the outcome of a posted answer. Failures are counted
// under the route's type and hardness: the token may be unreadable.
func (s *metricSet) answered(res *answerResult, p *prefs) {
	if res.solved {
		atomic.AddUint64(&s.solved[challengeIndex(p.captchaType, res.hardness)], 1)
		return
	}
	reason := failOther
	switch res.message {
	case msgWrong:
		reason = failWrong
	case msgBadInput:
		reason = failInvalid
	case msgExpired:
		reason = failExpired
	case msgSpent:
		reason = failSpent
	case msgHarder:
		reason = failTooEasy
	}
	atomic.AddUint64(&s.failed[challengeIndex(p.captchaType, p.hardness)*numFailReasons+reason], 1)
}

// block records a blocked request and its reason (a short text such as
// suspicion() returns; it becomes a label like "crawler_user_agent").
func (s *metricSet) block(reason string) {
	s.add(s.blocks, labelValue(reason))
}

// metricLookup counts one lookup of client information (a database, a third
// party, DNS): source such as "ipapi", result such as "hit", "miss",
// "error", "timeout".
func (m *Middleware) metricLookup(source, result string) {
	m.metrics.add(m.metrics.lookups, labelValue(source)+"\x00"+labelValue(result))
}

func (s *metricSet) add(family map[string]*uint64, key string) {
	s.mu.Lock()
	c := family[key]
	if c == nil {
		if len(family) >= maxLabelValues {
			if strings.Contains(key, "\x00") {
				key = "other\x00other"
			} else {
				key = "other"
			}
			c = family[key]
		}
		if c == nil {
			c = new(uint64)
			family[key] = c
		}
	}
	s.mu.Unlock()
	atomic.AddUint64(c, 1)
}

// labelValue turns a short text into a label value: lower case, runs of
// other characters as one underscore, at most 40 characters.
func labelValue(v string) string {
	v = strings.ToLower(strings.TrimSpace(v))
	f := strings.FieldsFunc(v, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	v = strings.Join(f, "_")
	if len(v) > 40 {
		v = v[:40]
	}
	if v == "" {
		v = "unknown"
	}
	return v
}

// metricsSettings: where the metrics are served and to whom.
type metricsSettings struct {
	path    string // "" = off
	allowed []netip.Prefix
}

func parseMetrics(path string, allowedIPs []string) (metricsSettings, error) {
	var s metricsSettings
	p := strings.TrimSpace(path)
	if p != "" && (!strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || p == "/" ||
		strings.ContainsAny(p, "*?# \\")) {
		return s, fmt.Errorf("metricsPath: %q must be a path such as /_captchaify/metrics", path)
	}
	s.path = p
	for i, v := range allowedIPs {
		if strings.TrimSpace(v) == "" {
			continue
		}
		pr, err := parsePrefix("metricsAllowedIPs["+strconv.Itoa(i)+"]", v)
		if err != nil {
			return s, err
		}
		s.allowed = append(s.allowed, pr)
	}
	if len(s.allowed) == 0 {
		// Loopback only: a Prometheus on the same host, or a port-forward.
		s.allowed = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	}
	return s, nil
}

func (s *metricsSettings) allows(c clientAddr) bool {
	if !c.valid {
		return false
	}
	for _, p := range s.allowed {
		if p.Contains(c.addr) {
			return true
		}
	}
	return false
}

// serveMetrics writes every middleware's metrics of this process.
func (m *Middleware) serveMetrics(rw http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rw.Header().Set("Allow", "GET, HEAD")
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var b bytes.Buffer
	writeMetrics(&b)
	h := rw.Header()
	h.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(b.Len()))
	rw.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = rw.Write(b.Bytes())
	}
}

// metricsSnapshot is one middleware's values, read once per scrape.
type metricsSnapshot struct {
	name        string
	labels      string // middleware="..."
	set         *metricSet
	blocks      map[string]uint64
	lookups     map[string]uint64
	tracked     int
	redis       bool
	breakerOpen bool
}

func writeMetrics(b *bytes.Buffer) {
	metricSetsMu.Lock()
	sets := make([]*metricSet, 0, len(metricSets))
	for _, s := range metricSets {
		sets = append(sets, s)
	}
	metricSetsMu.Unlock()
	sort.Slice(sets, func(i, j int) bool { return sets[i].name < sets[j].name })

	snaps := make([]metricsSnapshot, 0, len(sets))
	for _, s := range sets {
		snaps = append(snaps, s.snapshot())
	}

	family(b, "captchaify_requests_total", "counter", "Requests handled, by the decision taken.")
	for _, sn := range snaps {
		for d := 0; d < numDecisions; d++ {
			sample(b, "captchaify_requests_total", sn.labels+`,decision="`+decisionNames[d]+`"`, atomic.LoadUint64(&sn.set.requests[d]))
		}
	}
	family(b, "captchaify_challenges_issued_total", "counter", "Challenge pages shown, by challenge type and hardness.")
	writeChallengeCounts(b, "captchaify_challenges_issued_total", snaps, false)
	family(b, "captchaify_challenges_solved_total", "counter", "Correct answers (passes issued), by challenge type and hardness.")
	writeChallengeCounts(b, "captchaify_challenges_solved_total", snaps, true)
	family(b, "captchaify_challenges_failed_total", "counter", "Answers that earned no pass, by the route's challenge type and hardness, and the reason.")
	for _, sn := range snaps {
		for k := 1; k < len(challengeKinds); k++ {
			for h := 1; h <= 3; h++ {
				for f := 0; f < numFailReasons; f++ {
					v := atomic.LoadUint64(&sn.set.failed[(k*4+h)*numFailReasons+f])
					sample(b, "captchaify_challenges_failed_total", sn.labels+`,type="`+challengeKinds[k]+`",hardness="`+strconv.Itoa(h)+`",reason="`+failReasonNames[f]+`"`, v)
				}
			}
		}
	}
	family(b, "captchaify_blocks_total", "counter", "Blocked-page answers, by reason.")
	for _, sn := range snaps {
		for _, k := range sortedKeys(sn.blocks) {
			sample(b, "captchaify_blocks_total", sn.labels+`,reason="`+escapeLabel(k)+`"`, sn.blocks[k])
		}
	}
	family(b, "captchaify_lookups_total", "counter", "Client information lookups, by source and result.")
	for _, sn := range snaps {
		for _, k := range sortedKeys(sn.lookups) {
			parts := strings.SplitN(k, "\x00", 2)
			if len(parts) != 2 {
				continue
			}
			sample(b, "captchaify_lookups_total", sn.labels+`,source="`+escapeLabel(parts[0])+`",result="`+escapeLabel(parts[1])+`"`, sn.lookups[k])
		}
	}
	family(b, "captchaify_tracked_clients", "gauge", "Clients with a request counter: in this process, or seen by all replicas in the last one to two minutes with Redis.")
	for _, sn := range snaps {
		sample(b, "captchaify_tracked_clients", sn.labels, uint64(sn.tracked))
	}
	family(b, "captchaify_redis_breaker_open", "gauge", "1 while Redis is considered down and state is kept in this process only.")
	for _, sn := range snaps {
		if sn.redis {
			v := uint64(0)
			if sn.breakerOpen {
				v = 1
			}
			sample(b, "captchaify_redis_breaker_open", sn.labels, v)
		}
	}
	family(b, "captchaify_redis_errors_total", "counter", "Failed Redis operations, by kind.")
	for _, sn := range snaps {
		if sn.redis {
			for k := 0; k < numRedisErrKinds; k++ {
				sample(b, "captchaify_redis_errors_total", sn.labels+`,kind="`+redisErrNames[k]+`"`, atomic.LoadUint64(&sn.set.redisErrors[k]))
			}
		}
	}
	family(b, "captchaify_redis_fallbacks_total", "counter", "Operations answered from this process's state because the Redis breaker was open.")
	for _, sn := range snaps {
		if sn.redis {
			sample(b, "captchaify_redis_fallbacks_total", sn.labels, atomic.LoadUint64(&sn.set.redisFallbacks))
		}
	}
}

func (s *metricSet) snapshot() metricsSnapshot {
	sn := metricsSnapshot{name: s.name, labels: `middleware="` + escapeLabel(s.name) + `"`, set: s,
		blocks: map[string]uint64{}, lookups: map[string]uint64{}}
	s.mu.Lock()
	for k, c := range s.blocks {
		sn.blocks[k] = atomic.LoadUint64(c)
	}
	for k, c := range s.lookups {
		sn.lookups[k] = atomic.LoadUint64(c)
	}
	st := s.store
	s.mu.Unlock()
	if st != nil {
		sn.tracked = st.trackedClients()
		if rs, ok := st.(*redisStore); ok {
			sn.redis = true
			sn.breakerOpen = rs.breakerOpen()
		}
	}
	return sn
}

func writeChallengeCounts(b *bytes.Buffer, name string, snaps []metricsSnapshot, solved bool) {
	for _, sn := range snaps {
		counts := sn.set.issued
		if solved {
			counts = sn.set.solved
		}
		for k := 1; k < len(challengeKinds); k++ {
			for h := 1; h <= 3; h++ {
				sample(b, name, sn.labels+`,type="`+challengeKinds[k]+`",hardness="`+strconv.Itoa(h)+`"`, atomic.LoadUint64(&counts[k*4+h]))
			}
		}
	}
}

func family(b *bytes.Buffer, name, kind, help string) {
	b.WriteString("# HELP " + name + " " + help + "\n# TYPE " + name + " " + kind + "\n")
}

func sample(b *bytes.Buffer, name, labels string, v uint64) {
	b.WriteString(name + "{" + labels + "} " + strconv.FormatUint(v, 10) + "\n")
}

// escapeLabel escapes a label value as the text format requires.
func escapeLabel(v string) string {
	if !strings.ContainsAny(v, "\\\"\n") {
		return v
	}
	v = strings.ReplaceAll(v, `\`, `\\`)
	v = strings.ReplaceAll(v, `"`, `\"`)
	return strings.ReplaceAll(v, "\n", `\n`)
}

func sortedKeys(m map[string]uint64) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
