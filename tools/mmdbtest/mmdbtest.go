// Package mmdbtest writes small MaxMind DB (.mmdb) files for tests: any
// record layout (GeoLite2, DB-IP Lite, IPinfo Lite), record sizes 24, 28 and
// 32, IPv4 or IPv6 trees, and deliberately broken data (Raw records). It
// also finds the real published databases fetched by scripts/fetch-mmdb.sh.
package mmdbtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Network is one prefix and the record its addresses map to.
type Network struct {
	Prefix netip.Prefix
	// Record is encoded as a map; values may be string, map[string]any, []any,
	// uint16, uint32, uint64, int32, float64 (double), float32, bool, []byte.
	Record map[string]any
	// Raw, when set, is written as the record's data instead of Record: bytes
	// in the data section's encoding, for broken files.
	Raw []byte
}

// Options describe the file.
type Options struct {
	RecordSize   int    // 24 (default), 28 or 32
	IPVersion    int    // 6 (default) or 4
	DatabaseType string // e.g. "GeoLite2-City"
}

// Build returns the bytes of a database holding nets. Later networks
// override earlier ones where they overlap.
func Build(nets []Network, o Options) ([]byte, error) {
	if o.RecordSize == 0 {
		o.RecordSize = 24
	}
	if o.IPVersion == 0 {
		o.IPVersion = 6
	}
	if o.DatabaseType == "" {
		o.DatabaseType = "Captchaify-Test"
	}
	bits := 128
	if o.IPVersion == 4 {
		bits = 32
	}
	var data bytes.Buffer
	root := &node{}
	offsets := map[string]int{} // dedupe identical records, as real databases do
	for _, n := range nets {
		var payload []byte
		if n.Raw != nil {
			payload = n.Raw
		} else {
			var b bytes.Buffer
			if err := encode(&b, n.Record); err != nil {
				return nil, err
			}
			payload = b.Bytes()
		}
		off, ok := offsets[string(payload)]
		if !ok {
			off = data.Len()
			data.Write(payload)
			offsets[string(payload)] = off
		}
		addr, plen := n.Prefix.Masked().Addr(), n.Prefix.Bits()
		var ip []byte
		if addr.Is4() {
			a := addr.As4()
			ip = a[:]
			if bits == 128 { // IPv4 lives in ::/96 of an IPv6 tree
				ip = append(make([]byte, 12), ip...)
				plen += 96
			}
		} else {
			if bits == 32 {
				return nil, fmt.Errorf("mmdbtest: IPv6 network %s in an IPv4 tree", n.Prefix)
			}
			a := addr.As16()
			ip = a[:]
		}
		if plen == 0 {
			return nil, fmt.Errorf("mmdbtest: a /0 network is not supported")
		}
		root.insert(ip, plen, 0, off)
	}

	// Number the nodes breadth first; the root is node 0.
	var order []*node
	queue := []*node{root}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		n.id = len(order)
		order = append(order, n)
		for _, c := range n.child {
			if c.next != nil {
				queue = append(queue, c.next)
			}
		}
	}
	count := len(order)
	max := uint64(1) << uint(o.RecordSize)
	var tree bytes.Buffer
	for _, n := range order {
		var rec [2]uint64
		for i, c := range n.child {
			switch {
			case c.next != nil:
				rec[i] = uint64(c.next.id)
			case c.leaf:
				rec[i] = uint64(count + 16 + c.offset)
			default:
				rec[i] = uint64(count)
			}
			if rec[i] >= max {
				return nil, fmt.Errorf("mmdbtest: record %d does not fit in %d bits", rec[i], o.RecordSize)
			}
		}
		tree.Write(packNode(rec, o.RecordSize))
	}

	var out bytes.Buffer
	out.Write(tree.Bytes())
	out.Write(make([]byte, 16))
	out.Write(data.Bytes())
	out.WriteString("\xab\xcd\xefMaxMind.com")
	meta := map[string]any{
		"binary_format_major_version": uint16(2),
		"binary_format_minor_version": uint16(0),
		"build_epoch":                 uint64(1700000000),
		"database_type":               o.DatabaseType,
		"description":                 map[string]any{"en": "captchaify test database"},
		"ip_version":                  uint16(o.IPVersion),
		"languages":                   []any{"en"},
		"node_count":                  uint32(count),
		"record_size":                 uint16(o.RecordSize),
	}
	if err := encode(&out, meta); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Write builds the database into a file under t.TempDir() and returns its path.
func Write(t testing.TB, name string, nets []Network, o Options) string {
	t.Helper()
	b, err := Build(nets, o)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type slot struct {
	next   *node
	leaf   bool
	offset int
}

type node struct {
	child [2]slot
	id    int
}

func bit(ip []byte, i int) int { return int(ip[i/8]>>(7-uint(i%8))) & 1 }

func (n *node) insert(ip []byte, plen, depth, offset int) {
	b := bit(ip, depth)
	s := &n.child[b]
	if depth == plen-1 {
		*s = slot{leaf: true, offset: offset}
		return
	}
	if s.next == nil {
		next := &node{}
		if s.leaf { // split a shorter prefix: both halves keep its data
			next.child[0] = *s
			next.child[1] = *s
		}
		*s = slot{next: next}
	}
	s.next.insert(ip, plen, depth+1, offset)
}

func packNode(rec [2]uint64, size int) []byte {
	switch size {
	case 24:
		return []byte{byte(rec[0] >> 16), byte(rec[0] >> 8), byte(rec[0]), byte(rec[1] >> 16), byte(rec[1] >> 8), byte(rec[1])}
	case 28:
		return []byte{byte(rec[0] >> 16), byte(rec[0] >> 8), byte(rec[0]),
			byte((rec[0]>>24)&0x0f)<<4 | byte((rec[1]>>24)&0x0f),
			byte(rec[1] >> 16), byte(rec[1] >> 8), byte(rec[1])}
	}
	b := make([]byte, 8)
	binary.BigEndian.PutUint32(b[0:4], uint32(rec[0]))
	binary.BigEndian.PutUint32(b[4:8], uint32(rec[1]))
	return b
}

// Pointer is a data-section pointer to an offset (for crafted records).
type Pointer uint32

// Control returns the control bytes of a value of type typ (1–15) and size.
func Control(typ, size int) []byte {
	var out []byte
	first := byte(0)
	if typ <= 7 {
		first = byte(typ) << 5
	}
	var extra []byte
	switch {
	case size < 29:
		first |= byte(size)
	case size < 285:
		first |= 29
		extra = []byte{byte(size - 29)}
	case size < 65821:
		first |= 30
		v := size - 285
		extra = []byte{byte(v >> 8), byte(v)}
	default:
		first |= 31
		v := size - 65821
		extra = []byte{byte(v >> 16), byte(v >> 8), byte(v)}
	}
	out = append(out, first)
	if typ > 7 {
		out = append(out, byte(typ-7))
	}
	return append(out, extra...)
}

func minimal(v uint64, max int) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	i := 0
	for i < 8 && b[i] == 0 {
		i++
	}
	b = b[i:]
	if len(b) > max {
		b = b[len(b)-max:]
	}
	return b
}

func encode(buf *bytes.Buffer, v any) error {
	switch x := v.(type) {
	case string:
		buf.Write(Control(2, len(x)))
		buf.WriteString(x)
	case []byte:
		buf.Write(Control(4, len(x)))
		buf.Write(x)
	case float64:
		buf.Write(Control(3, 8))
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], math.Float64bits(x))
		buf.Write(b[:])
	case float32:
		buf.Write(Control(15, 4))
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], math.Float32bits(x))
		buf.Write(b[:])
	case uint16:
		b := minimal(uint64(x), 2)
		buf.Write(Control(5, len(b)))
		buf.Write(b)
	case uint32:
		b := minimal(uint64(x), 4)
		buf.Write(Control(6, len(b)))
		buf.Write(b)
	case uint64:
		b := minimal(x, 8)
		buf.Write(Control(9, len(b)))
		buf.Write(b)
	case int32:
		b := minimal(uint64(uint32(x)), 4)
		buf.Write(Control(8, len(b)))
		buf.Write(b)
	case bool:
		n := 0
		if x {
			n = 1
		}
		buf.Write(Control(14, n))
	case Pointer:
		switch {
		case x < 2048:
			buf.Write([]byte{0x20 | byte(x>>8)&7, byte(x)})
		default:
			buf.Write([]byte{0x38, byte(x >> 24), byte(x >> 16), byte(x >> 8), byte(x)})
		}
	case []any:
		buf.Write(Control(11, len(x)))
		for _, e := range x {
			if err := encode(buf, e); err != nil {
				return err
			}
		}
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		buf.Write(Control(7, len(x)))
		for _, k := range keys {
			if err := encode(buf, k); err != nil {
				return err
			}
			if err := encode(buf, x[k]); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("mmdbtest: cannot encode %T", v)
	}
	return nil
}

// RealDir returns the directory of the real databases fetched by
// scripts/fetch-mmdb.sh ($CAPTCHAIFY_MMDB_DIR, else the cache), failing t
// when they are missing.
func RealDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("CAPTCHAIFY_MMDB_DIR")
	if dir == "" {
		cache := os.Getenv("CAPTCHAIFY_CACHE")
		if cache == "" {
			home, _ := os.UserHomeDir()
			cache = filepath.Join(home, ".cache", "captchaify")
		}
		dir = filepath.Join(cache, "mmdb")
	}
	if _, err := os.Stat(filepath.Join(dir, "GeoLite2-City.mmdb")); err != nil {
		t.Fatalf("real test databases missing in %s: run scripts/fetch-mmdb.sh (make testdata): %v", dir, err)
	}
	return dir
}

// Real returns the path of one real database, e.g. "GeoLite2-City.mmdb".
func Real(t testing.TB, name string) string {
	t.Helper()
	return filepath.Join(RealDir(t), name)
}
