package captchaify

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Tokens are AES-256-GCM sealed, versioned binary payloads, URL-safe base64:
//
//	version(1) | nonce(12) | sealed payload + tag(16)
//
// The version byte and the token kind are the additional data, so a
// challenge token can never be read as a clearance token or the reverse.
const (
	tokenVersion = 1
	nonceSize    = 12
	hashSize     = 8
	// maxTokenLength bounds what we try to decode: a cookie or form value
	// longer than any token we issue is refused before base64 work.
	maxTokenLength = 512
)

var errBadToken = errors.New("invalid token")

// keyring holds the AEADs derived from the secret, one per token kind.
type keyring struct {
	clearance cipher.AEAD
	challenge cipher.AEAD
	previous  []*keyring // previousSecrets: their tokens still open (secrets.go)
}

func newKeyring(secret string) (*keyring, error) {
	cl, err := deriveAEAD(secret, "captchaify clearance token v1")
	if err != nil {
		return nil, err
	}
	ch, err := deriveAEAD(secret, "captchaify challenge token v1")
	if err != nil {
		return nil, err
	}
	return &keyring{clearance: cl, challenge: ch}, nil
}

func deriveAEAD(secret, label string) (cipher.AEAD, error) {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(label))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func seal(aead cipher.AEAD, kind byte, payload []byte) string {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(payload)+aead.Overhead())
	out[0] = tokenVersion
	if _, err := rand.Read(out[1 : 1+nonceSize]); err != nil {
		panic("captchaify: no randomness: " + err.Error())
	}
	out = aead.Seal(out, out[1:1+nonceSize], payload, []byte{tokenVersion, kind})
	return base64.RawURLEncoding.EncodeToString(out)
}

func unseal(aead cipher.AEAD, kind byte, token string) ([]byte, error) {
	if len(token) == 0 || len(token) > maxTokenLength {
		return nil, errBadToken
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) < 1+nonceSize+aead.Overhead() || raw[0] != tokenVersion {
		return nil, errBadToken
	}
	payload, err := aead.Open(nil, raw[1:1+nonceSize], raw[1+nonceSize:], []byte{tokenVersion, kind})
	if err != nil {
		return nil, errBadToken
	}
	return payload, nil
}

const (
	kindClearance byte = 'C'
	kindChallenge byte = 'Q'
)

// shortHash is a truncated SHA-256: enough to compare bindings, and it
// keeps addresses and user agents out of the token even if a key leaks.
func shortHash(s string) [hashSize]byte {
	sum := sha256.Sum256([]byte(s))
	var h [hashSize]byte
	copy(h[:], sum[:hashSize])
	return h
}

func sameHash(a []byte, b [hashSize]byte) bool {
	return subtle.ConstantTimeCompare(a, b[:]) == 1
}

// clearance token payload: issued(8) | hardness(1) | client(8) | agent(8)
const clearanceSize = 8 + 1 + 2*hashSize

func (k *keyring) issueClearance(now time.Time, hardness int, bind, userAgent string) string {
	p := make([]byte, clearanceSize)
	binary.BigEndian.PutUint64(p[0:8], uint64(now.Unix()))
	p[8] = byte(hardness)
	c, a := shortHash(bind), shortHash(userAgent)
	copy(p[9:17], c[:])
	copy(p[17:25], a[:])
	return seal(k.clearance, kindClearance, p)
}

// checkClearance returns the hardness the token was earned at, or ok=false
// when it is forged, expired, or bound to another client or user agent.
func (k *keyring) checkClearance(token string, now time.Time, maxAge time.Duration, bind, userAgent string) (hardness int, ok bool) {
	p, err := unsealAny(k, kindClearance, token)
	if err != nil || len(p) != clearanceSize {
		return 0, false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(p[0:8])), 0)
	age := now.Sub(issued)
	if age > maxAge || age < -time.Minute {
		return 0, false
	}
	if !sameHash(p[9:17], shortHash(bind)) || !sameHash(p[17:25], shortHash(userAgent)) {
		return 0, false
	}
	return int(p[8]), true
}

// challenge describes one issued challenge; it travels inside the ct token.
type challenge struct {
	id       [16]byte
	kind     string
	hardness int
	issued   time.Time
	path     [hashSize]byte
	client   [hashSize]byte
	agent    [hashSize]byte
	answer   string
	audio    string // the spoken digits a hardness-3 text challenge also asks for
}

// challenge types on the wire: one byte each. Append only: the index is
// the wire value.
var challengeKinds = []string{"", typeText, typeOneclick, typeMulticlick, typeAudio}

// kindByte returns the wire byte of a type; a dataset suffix
// ("oneclick_keys") does not count.
func kindByte(kind string) byte {
	kind, _ = splitCaptchaType(kind)
	for i, k := range challengeKinds {
		if k == kind {
			return byte(i)
		}
	}
	return 0
}

// ct payload: id(16) | kind(1) | hardness(1) | issued(8) | path(8) | client(8)
// | agent(8) | len(1) answer | len(1) audio
const challengeFixedSize = 16 + 1 + 1 + 8 + 3*hashSize

func (k *keyring) sealChallenge(c *challenge) string {
	p := make([]byte, challengeFixedSize, challengeFixedSize+2+len(c.answer)+len(c.audio))
	copy(p[0:16], c.id[:])
	p[16] = kindByte(c.kind)
	p[17] = byte(c.hardness)
	binary.BigEndian.PutUint64(p[18:26], uint64(c.issued.Unix()))
	copy(p[26:34], c.path[:])
	copy(p[34:42], c.client[:])
	copy(p[42:50], c.agent[:])
	p = append(p, byte(len(c.answer)))
	p = append(p, c.answer...)
	p = append(p, byte(len(c.audio)))
	p = append(p, c.audio...)
	return seal(k.challenge, kindChallenge, p)
}

func (k *keyring) openChallenge(token string) (*challenge, error) {
	p, err := unsealAny(k, kindChallenge, token)
	if err != nil || len(p) < challengeFixedSize+2 {
		return nil, errBadToken
	}
	c := &challenge{hardness: int(p[17])}
	copy(c.id[:], p[0:16])
	if int(p[16]) >= len(challengeKinds) || p[16] == 0 {
		return nil, errBadToken
	}
	c.kind = challengeKinds[p[16]]
	c.issued = time.Unix(int64(binary.BigEndian.Uint64(p[18:26])), 0)
	copy(c.path[:], p[26:34])
	copy(c.client[:], p[34:42])
	copy(c.agent[:], p[42:50])
	rest := p[challengeFixedSize:]
	n := int(rest[0])
	if len(rest) < 1+n+1 {
		return nil, errBadToken
	}
	c.answer = string(rest[1 : 1+n])
	rest = rest[1+n:]
	m := int(rest[0])
	if len(rest) != 1+m {
		return nil, errBadToken
	}
	c.audio = string(rest[1:])
	return c, nil
}

func newChallengeID() [16]byte {
	var id [16]byte
	if _, err := rand.Read(id[:]); err != nil {
		panic("captchaify: no randomness: " + err.Error())
	}
	return id
}

// The generated secret lives as long as the process and is shared by every
// instance, so passes survive configuration reloads (not restarts).
var (
	generatedSecretOnce sync.Once
	generatedSecret     string
)

func processSecret() string {
	generatedSecretOnce.Do(func() {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			panic("captchaify: no randomness: " + err.Error())
		}
		generatedSecret = hex.EncodeToString(b)
	})
	return generatedSecret
}

// ChallengeInfo is what a challenge token holds, for operators and tests
// that hold the secret (see the captchaify-dev tool).
type ChallengeInfo struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	Hardness    int    `json:"hardness"`
	IssuedAt    int64  `json:"issuedAt"`
	Answer      string `json:"answer"`
	AudioAnswer string `json:"audioAnswer,omitempty"`
	// Indexes are the right candidates of an image challenge: for oneclick
	// the one to post as ci, for multiclick those to post as ciN=1.
	Indexes []int `json:"indexes,omitempty"`
}

// OpenChallengeToken decrypts a challenge token (ct) with the secret.
func OpenChallengeToken(secret, token string) (ChallengeInfo, error) {
	k, err := newKeyring(secret)
	if err != nil {
		return ChallengeInfo{}, err
	}
	c, err := k.openChallenge(strings.TrimSpace(token))
	if err != nil {
		return ChallengeInfo{}, err
	}
	return ChallengeInfo{
		ID:          hex.EncodeToString(c.id[:]),
		Type:        c.kind,
		Hardness:    c.hardness,
		IssuedAt:    c.issued.Unix(),
		Answer:      c.answer,
		AudioAnswer: c.audio,
		Indexes:     rightIndexes(c),
	}, nil
}

// IssueClearanceToken makes a pass for a client, as if it had solved a
// challenge of the given hardness now. binding is ip, subnet (default) or
// none, and must match the middleware's tokenBinding.
func IssueClearanceToken(secret, ip, userAgent string, hardness int, binding string) (string, error) {
	if len(secret) < 32 {
		return "", errors.New("secret: must be at least 32 characters")
	}
	if hardness < 1 || hardness > 3 {
		return "", errors.New("hardness: must be 1, 2 or 3")
	}
	if binding == "" {
		binding = bindSubnet
	}
	if binding != bindIP && binding != bindSubnet && binding != bindNone {
		return "", errors.New("binding: must be ip, subnet or none")
	}
	c := clientAddr{}
	if a, err := netip.ParseAddr(ip); err == nil {
		a = a.Unmap()
		c = clientAddr{raw: a.String(), addr: a, valid: true, key: a.String()}
	} else if binding != bindNone {
		return "", errors.New("ip: not an address")
	}
	k, err := newKeyring(secret)
	if err != nil {
		return "", err
	}
	return k.issueClearance(time.Now(), hardness, bindingPrefix(c, binding), userAgent), nil
}
