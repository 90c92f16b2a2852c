package redistest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Fake is a TCP server on 127.0.0.1 that is not a working Redis.
type Fake struct {
	Addr string
	ln   net.Listener
	mu   sync.Mutex
	conn []net.Conn
}

// Close stops accepting and drops every connection.
func (f *Fake) Close() {
	f.ln.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conn {
		c.Close()
	}
	f.conn = nil
}

func startFake(tb testing.TB, serve func(net.Conn)) *Fake {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	f := &Fake{Addr: ln.Addr().String(), ln: ln}
	tb.Cleanup(f.Close)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.conn = append(f.conn, c)
			f.mu.Unlock()
			go serve(c)
		}
	}()
	return f
}

// Garbage answers whatever it reads with bytes that are not RESP (an HTTP
// error, binary noise, a bulk string claiming a huge length).
func Garbage(tb testing.TB) *Fake {
	replies := [][]byte{
		[]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
		{0x16, 0x03, 0x01, 0xff, 0x00, 0x0d, '\n'},
		[]byte("$999999999999\r\n"),
		[]byte("*3\r\n:1\r\n"),
	}
	return startFake(tb, func(c net.Conn) {
		defer c.Close()
		buf := make([]byte, 4096)
		for i := 0; ; i++ {
			if _, err := c.Read(buf); err != nil {
				return
			}
			if _, err := c.Write(replies[i%len(replies)]); err != nil {
				return
			}
		}
	})
}

// Silent accepts connections, reads everything and never answers: a Redis
// stuck or a network black hole.
func Silent(tb testing.TB) *Fake {
	return startFake(tb, func(c net.Conn) {
		_, _ = io.Copy(io.Discard, c)
		c.Close()
	})
}

// SelfSignedCert writes a certificate for 127.0.0.1 and its key into dir
// and returns their paths.
func SelfSignedCert(dir string) (certFile, keyFile string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "redistest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", err
	}
	certFile, keyFile = filepath.Join(dir, "redis.crt"), filepath.Join(dir, "redis.key")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644); err != nil {
		return "", "", err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600); err != nil {
		return "", "", err
	}
	return certFile, keyFile, nil
}

// tlsClient is the helper's own TLS connection to the server it started.
func tlsClient(c net.Conn) net.Conn {
	return tls.Client(c, &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // our own test server
}
