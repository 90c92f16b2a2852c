// Package dnstest runs a small DNS server on loopback for tests: it answers
// PTR, A and AAAA queries from fixed records, can be made slow, and counts
// the questions it gets. Point the plugin's dnsResolver option at Addr.
package dnstest

import (
	"net"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// Server is a running test DNS server.
type Server struct {
	// Addr is "127.0.0.1:port" (UDP and TCP).
	Addr string

	mu      sync.Mutex
	ptr     map[string][]string     // address → names
	addrs   map[string][]netip.Addr // name → addresses
	delay   time.Duration
	queries []string // "PTR 5.113.0.203.in-addr.arpa." …
	udp     *dns.Server
	tcp     *dns.Server
}

// Start runs a server until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{ptr: map[string][]string{}, addrs: map[string][]netip.Addr{}}
	// UDP and TCP on the same port; another process may hold the TCP one.
	var pc net.PacketConn
	var ln net.Listener
	var err error
	for try := 0; try < 20; try++ {
		if pc, err = net.ListenPacket("udp", "127.0.0.1:0"); err != nil {
			t.Fatal(err)
		}
		if ln, err = net.Listen("tcp", pc.LocalAddr().String()); err == nil {
			break
		}
		pc.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = pc.LocalAddr().String()
	s.udp = &dns.Server{PacketConn: pc, Handler: s}
	s.tcp = &dns.Server{Listener: ln, Handler: s}
	started := make(chan struct{}, 2)
	s.udp.NotifyStartedFunc = func() { started <- struct{}{} }
	s.tcp.NotifyStartedFunc = func() { started <- struct{}{} }
	go s.udp.ActivateAndServe()
	go s.tcp.ActivateAndServe()
	<-started
	<-started
	t.Cleanup(func() {
		s.udp.Shutdown()
		s.tcp.Shutdown()
	})
	return s
}

// Host records that ip resolves to name (PTR) and name to ip (A/AAAA).
func (s *Server) Host(ip, name string) {
	s.PTR(ip, name)
	s.A(name, ip)
}

// PTR adds a reverse record only.
func (s *Server) PTR(ip, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := netip.MustParseAddr(ip)
	s.ptr[a.String()] = append(s.ptr[a.String()], dns.Fqdn(name))
}

// A adds a forward record (A or AAAA by the address) only.
func (s *Server) A(name, ip string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(dns.Fqdn(name))
	s.addrs[k] = append(s.addrs[k], netip.MustParseAddr(ip))
}

// SetDelay makes every answer wait d.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	s.delay = d
	s.mu.Unlock()
}

// Queries returns the questions asked so far, as "TYPE name".
func (s *Server) Queries() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.queries...)
}

// ServeDNS answers one query.
func (s *Server) ServeDNS(w dns.ResponseWriter, req *dns.Msg) {
	m := new(dns.Msg)
	m.SetReply(req)
	m.Authoritative = true
	s.mu.Lock()
	delay := s.delay
	found := false
	for _, q := range req.Question {
		s.queries = append(s.queries, dns.TypeToString[q.Qtype]+" "+q.Name)
		name := strings.ToLower(q.Name)
		switch q.Qtype {
		case dns.TypePTR:
			if a, ok := fromArpa(name); ok {
				for _, n := range s.ptr[a.String()] {
					found = true
					m.Answer = append(m.Answer, &dns.PTR{Hdr: hdr(q.Name, dns.TypePTR), Ptr: n})
				}
			}
		case dns.TypeA, dns.TypeAAAA:
			for _, a := range s.addrs[name] {
				found = true
				if a.Is4() && q.Qtype == dns.TypeA {
					m.Answer = append(m.Answer, &dns.A{Hdr: hdr(q.Name, dns.TypeA), A: a.AsSlice()})
				}
				if a.Is6() && q.Qtype == dns.TypeAAAA {
					m.Answer = append(m.Answer, &dns.AAAA{Hdr: hdr(q.Name, dns.TypeAAAA), AAAA: a.AsSlice()})
				}
			}
		}
	}
	s.mu.Unlock()
	if !found {
		m.Rcode = dns.RcodeNameError
	}
	if delay > 0 {
		time.Sleep(delay)
	}
	w.WriteMsg(m)
}

func hdr(name string, t uint16) dns.RR_Header {
	return dns.RR_Header{Name: name, Rrtype: t, Class: dns.ClassINET, Ttl: 60}
}

// fromArpa reads a reverse name (in-addr.arpa or ip6.arpa) as an address.
func fromArpa(name string) (netip.Addr, bool) {
	if ip := net.ParseIP(dnsReverseToIP(name)); ip != nil {
		a, ok := netip.AddrFromSlice(ip)
		return a.Unmap(), ok
	}
	return netip.Addr{}, false
}

func dnsReverseToIP(name string) string {
	name = strings.TrimSuffix(name, ".")
	switch {
	case strings.HasSuffix(name, ".in-addr.arpa"):
		l := strings.Split(strings.TrimSuffix(name, ".in-addr.arpa"), ".")
		for i, j := 0, len(l)-1; i < j; i, j = i+1, j-1 {
			l[i], l[j] = l[j], l[i]
		}
		return strings.Join(l, ".")
	case strings.HasSuffix(name, ".ip6.arpa"):
		l := strings.Split(strings.TrimSuffix(name, ".ip6.arpa"), ".")
		if len(l) != 32 {
			return ""
		}
		var b strings.Builder
		for i := len(l) - 1; i >= 0; i-- {
			b.WriteString(l[i])
			if i%4 == 0 && i > 0 {
				b.WriteByte(':')
			}
		}
		return b.String()
	}
	return ""
}
