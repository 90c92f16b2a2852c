package captchaify

import (
	"crypto/cipher"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Secret rotation: tokens sealed with a secret listed in previousSecrets
// still open, so passes and shown challenges survive a change of secret;
// every new token is sealed with secret.

func parsePreviousSecrets(list []string, secret string, generated bool) ([]string, error) {
	var out []string
	for i, v := range list {
		v = strings.TrimSpace(v)
		if v == "" || v == secret {
			continue
		}
		if len(v) < 32 {
			return nil, fmt.Errorf("previousSecrets[%d]: must be at least 32 characters (got %d)", i, len(v))
		}
		out = append(out, v)
	}
	if len(out) > 0 && generated {
		return nil, errors.New("previousSecrets: set secret too (the new secret); previousSecrets only lists the old ones")
	}
	if len(out) > 8 {
		return nil, errors.New("previousSecrets: at most 8 (every token that fails the current secret is tried with each)")
	}
	return out, nil
}

// withPreviousSecrets adds the keyrings of the old secrets to k.
func withPreviousSecrets(k *keyring, previous []string) (*keyring, error) {
	for i, s := range previous {
		old, err := newKeyring(s)
		if err != nil {
			return nil, errors.New("previousSecrets[" + strconv.Itoa(i) + "]: " + err.Error())
		}
		k.previous = append(k.previous, old)
	}
	return k, nil
}

// unsealAny opens a token with the current secret, then with the previous
// ones. A good token costs nothing more; a bad one one AEAD open per old secret.
func unsealAny(k *keyring, kind byte, token string) ([]byte, error) {
	p, err := unseal(aeadOf(k, kind), kind, token)
	if err == nil || len(k.previous) == 0 {
		return p, err
	}
	for _, old := range k.previous {
		if p, e := unseal(aeadOf(old, kind), kind, token); e == nil {
			return p, nil
		}
	}
	return nil, err
}

func aeadOf(k *keyring, kind byte) cipher.AEAD {
	if kind == kindChallenge {
		return k.challenge
	}
	return k.clearance
}
