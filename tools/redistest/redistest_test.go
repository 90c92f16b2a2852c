package redistest

import (
	"testing"
)

func TestStartKillRestart(t *testing.T) {
	s := Start(t, Options{})
	if _, err := s.Do("SET", "k", "v"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Do("GET", "k"); err != nil || v != "v" {
		t.Fatalf("GET = %v, %v", v, err)
	}
	calls, err := s.CommandCalls()
	if err != nil || calls["set"] != 1 {
		t.Errorf("commandstats = %v, %v", calls, err)
	}
	s.Kill()
	if _, err := s.Do("PING"); err == nil {
		t.Fatalf("PING answered after Kill")
	}
	s.Restart(t)
	if v, err := s.Do("GET", "k"); err != nil || v != nil {
		t.Errorf("after restart GET = %v, %v; want nothing kept", v, err)
	}
}

func TestAuthAndTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key, err := SelfSignedCert(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := Start(t, Options{Username: "app", Password: "pw-123", TLSCert: cert, TLSKey: key})
	if v, err := s.Do("PING"); err != nil || v != "PONG" {
		t.Fatalf("PING over TLS as app = %v, %v", v, err)
	}
	if n, err := s.Int("DBSIZE"); err != nil || n != 0 {
		t.Errorf("DBSIZE = %d, %v", n, err)
	}
}
