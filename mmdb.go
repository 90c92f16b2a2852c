package captchaify

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"net/netip"
	"sync"
)

// A reader for MaxMind DB files (.mmdb: GeoLite2, DB-IP Lite, IPinfo Lite,
// ip-location-db), after the format's specification: a binary search tree
// over the address bits whose leaves point into a data section of typed
// values, and a metadata map at the end of the file. The whole file is in
// memory; every read is bounds-checked, so a corrupt file gives an error,
// never a panic.

var mmdbMetadataMarker = []byte("\xab\xcd\xefMaxMind.com")

const (
	mmdbMetadataMaxSize = 128 * 1024 // the metadata sits in the file's last 128 KiB
	mmdbMaxDepth        = 32         // nesting of maps, arrays and pointers
	mmdbMaxValues       = 20000      // values decoded for one record: bounds a crafted pointer web
	mmdbPresize         = 16         // never trust a size read from the file to preallocate
	mmdbMaxRecords      = 100000     // remembered records per database
)

// Data section types.
const (
	mmdbExtended = iota
	mmdbPointer
	mmdbString
	mmdbDouble
	mmdbBytes
	mmdbUint16
	mmdbUint32
	mmdbMap
	mmdbInt32
	mmdbUint64
	mmdbUint128
	mmdbArray
	mmdbContainer
	mmdbEndMarker
	mmdbBool
	mmdbFloat
)

var errMMDBCorrupt = errors.New("corrupt database")

// mmdbReader answers lookups in one database file.
type mmdbReader struct {
	buf        []byte
	nodeCount  int
	recordSize int // bits per record: 24, 28 or 32
	nodeBytes  int
	ipVersion  int
	dataStart  int // the data section is buf[dataStart:dataEnd]
	dataEnd    int
	ipv4Start  int // the node of ::/96, where IPv4 lookups begin in an IPv6 tree
	// The nodes reached after the first mmdbTableBits bits of an IPv4 or
	// IPv6 address: a lookup starts there, a dozen steps in.
	v4Table, v6Table []int
	dbType           string
	buildEpoch       uint64

	recordsMu sync.Mutex
	records   map[int]*geoInfo // records read so far, by offset (mmdbgeo.go)
}

// parseMMDB checks buf and returns a reader over it.
func parseMMDB(buf []byte) (*mmdbReader, error) {
	from := len(buf) - mmdbMetadataMaxSize
	if from < 0 {
		from = 0
	}
	i := bytes.LastIndex(buf[from:], mmdbMetadataMarker)
	if i < 0 {
		return nil, errors.New("not a MaxMind DB file (no metadata marker)")
	}
	markerAt := from + i
	metaStart := markerAt + len(mmdbMetadataMarker)
	meta := &mmdbDecoder{buf: buf, start: metaStart, end: len(buf)}
	v, _, err := meta.decode(metaStart, 0)
	if err != nil {
		return nil, fmt.Errorf("metadata: %v", err)
	}
	md, ok := v.(map[string]interface{})
	if !ok {
		return nil, errors.New("metadata is not a map")
	}
	r := &mmdbReader{buf: buf, records: make(map[int]*geoInfo)}
	if major, _ := mmdbUint(md["binary_format_major_version"]); major != 2 {
		return nil, fmt.Errorf("unsupported format version %v", md["binary_format_major_version"])
	}
	nodes, ok := mmdbUint(md["node_count"])
	if !ok || nodes == 0 || nodes > uint64(len(buf)) {
		return nil, fmt.Errorf("bad node_count %v", md["node_count"])
	}
	r.nodeCount = int(nodes)
	rs, _ := mmdbUint(md["record_size"])
	switch rs {
	case 24, 28, 32:
		r.recordSize = int(rs)
	default:
		return nil, fmt.Errorf("unsupported record_size %v", md["record_size"])
	}
	r.nodeBytes = r.recordSize / 4
	ipv, _ := mmdbUint(md["ip_version"])
	if ipv != 4 && ipv != 6 {
		return nil, fmt.Errorf("unsupported ip_version %v", md["ip_version"])
	}
	r.ipVersion = int(ipv)
	r.dbType, _ = md["database_type"].(string)
	r.buildEpoch, _ = mmdbUint(md["build_epoch"])

	treeSize := r.nodeCount * r.nodeBytes
	if treeSize/r.nodeBytes != r.nodeCount || treeSize+16 > markerAt {
		return nil, fmt.Errorf("search tree (%d nodes of %d bits) is larger than the file", r.nodeCount, r.recordSize)
	}
	// 16 zero bytes separate the tree from the data: anything else means the
	// node count or record size does not describe this file.
	for _, b := range buf[treeSize : treeSize+16] {
		if b != 0 {
			return nil, fmt.Errorf("search tree does not end where node_count %d and record_size %d say", r.nodeCount, r.recordSize)
		}
	}
	r.dataStart = treeSize + 16
	r.dataEnd = markerAt

	if r.ipVersion == 6 {
		node := 0
		for i := 0; i < 96 && node < r.nodeCount; i++ {
			node = r.child(node, 0)
		}
		r.ipv4Start = node
		r.v6Table = r.table(0)
	}
	r.v4Table = r.table(r.ipv4Start)
	return r, nil
}

// mmdbTableBits is how many leading bits the start tables cover.
const mmdbTableBits = 12

// table lists the node every mmdbTableBits-bit prefix leads to from node
// from (a leaf or "no data" record when the tree ends earlier), level by
// level: 8190 steps for 4096 prefixes.
func (r *mmdbReader) table(from int) []int {
	level := []int{from}
	for i := 0; i < mmdbTableBits; i++ {
		next := make([]int, 0, 2*len(level))
		for _, node := range level {
			if node >= r.nodeCount {
				next = append(next, node, node)
			} else {
				next = append(next, r.child(node, 0), r.child(node, 1))
			}
		}
		level = next
	}
	return level
}

// child returns the left (bit 0) or right record of node, which must be
// below nodeCount (parseMMDB checked that the tree fits in buf).
func (r *mmdbReader) child(node, bit int) int {
	b := r.buf[node*r.nodeBytes : node*r.nodeBytes+r.nodeBytes]
	switch r.recordSize {
	case 24:
		if bit == 0 {
			return int(b[0])<<16 | int(b[1])<<8 | int(b[2])
		}
		return int(b[3])<<16 | int(b[4])<<8 | int(b[5])
	case 28:
		if bit == 0 {
			return int(b[3]&0xf0)<<20 | int(b[0])<<16 | int(b[1])<<8 | int(b[2])
		}
		return int(b[3]&0x0f)<<24 | int(b[4])<<16 | int(b[5])<<8 | int(b[6])
	}
	if bit == 0 {
		return int(binary.BigEndian.Uint32(b[0:4]))
	}
	return int(binary.BigEndian.Uint32(b[4:8]))
}

// lookup finds the record of addr: its position in buf, or found false when
// the database has no data for it (an IPv6 address in an IPv4 database too).
// The walk is written out per record size, without calls: under Yaegi a
// function call costs more than the rest of a step.
func (r *mmdbReader) lookup(addr netip.Addr) (int, bool, error) {
	ip := addr.AsSlice()
	start := r.v4Table
	if len(ip) != 4 {
		if len(ip) != 16 || r.ipVersion == 4 {
			return 0, false, nil
		}
		start = r.v6Table
	}
	node := start[int(ip[0])<<4|int(ip[1])>>4]
	// Byte reads measured faster under Yaegi than binary.BigEndian calls.
	buf, count, bits := r.buf, r.nodeCount, len(ip)*8
	switch r.recordSize {
	case 24:
		for i := mmdbTableBits; i < bits && node < count; i++ {
			o := node * 6
			if ip[i>>3]&(byte(0x80)>>uint(i&7)) != 0 {
				o += 3
			}
			node = int(buf[o])<<16 | int(buf[o+1])<<8 | int(buf[o+2])
		}
	case 28:
		for i := mmdbTableBits; i < bits && node < count; i++ {
			o := node * 7
			if ip[i>>3]&(byte(0x80)>>uint(i&7)) != 0 {
				node = int(buf[o+3]&0x0f)<<24 | int(buf[o+4])<<16 | int(buf[o+5])<<8 | int(buf[o+6])
			} else {
				node = int(buf[o+3]&0xf0)<<20 | int(buf[o])<<16 | int(buf[o+1])<<8 | int(buf[o+2])
			}
		}
	default:
		for i := mmdbTableBits; i < bits && node < count; i++ {
			o := node * 8
			if ip[i>>3]&(byte(0x80)>>uint(i&7)) != 0 {
				o += 4
			}
			node = int(buf[o])<<24 | int(buf[o+1])<<16 | int(buf[o+2])<<8 | int(buf[o+3])
		}
	}
	switch {
	case node == count:
		return 0, false, nil
	case node < count:
		return 0, false, fmt.Errorf("%w: the search tree is deeper than the address", errMMDBCorrupt)
	}
	pos := r.dataStart + (node - count - 16)
	if pos < r.dataStart || pos >= r.dataEnd {
		return 0, false, fmt.Errorf("%w: record pointer %d outside the data section", errMMDBCorrupt, node)
	}
	return pos, true, nil
}

// mmdbDecoder decodes the values of one section, buf[start:end], into Go
// values; pointers are relative to start. It reads the metadata. Records
// are read by mmdbReader.geo, which decodes only what it needs.
type mmdbDecoder struct {
	buf        []byte
	start, end int
	values     int // decoded so far, against mmdbMaxValues
}

// control reads a value's control bytes at pos: its type, its size (for a
// pointer, the raw control byte) and the position of its payload.
func (d *mmdbDecoder) control(pos int) (int, int, int, error) {
	if pos < d.start || pos >= d.end {
		return 0, 0, 0, fmt.Errorf("%w: value at %d outside the section", errMMDBCorrupt, pos)
	}
	ctrl := int(d.buf[pos])
	pos++
	typ := ctrl >> 5
	if typ == mmdbPointer {
		return typ, ctrl, pos, nil
	}
	if typ == mmdbExtended {
		if pos >= d.end {
			return 0, 0, 0, fmt.Errorf("%w: truncated type", errMMDBCorrupt)
		}
		typ = 7 + int(d.buf[pos])
		pos++
		if typ < mmdbInt32 || typ > mmdbFloat {
			return 0, 0, 0, fmt.Errorf("%w: unknown type %d", errMMDBCorrupt, typ)
		}
	}
	size := ctrl & 0x1f
	if size >= 29 {
		n := size - 28
		if pos+n > d.end {
			return 0, 0, 0, fmt.Errorf("%w: truncated size", errMMDBCorrupt)
		}
		v := 0
		for i := 0; i < n; i++ {
			v = v<<8 | int(d.buf[pos+i])
		}
		pos += n
		switch size {
		case 29:
			size = 29 + v
		case 30:
			size = 285 + v
		default:
			size = 65821 + v
		}
	}
	return typ, size, pos, nil
}

// pointer decodes the pointer whose control byte is ctrl and whose payload
// starts at pos: it returns the absolute target and the position after it.
func (d *mmdbDecoder) pointer(ctrl, pos int) (int, int, error) {
	n := (ctrl>>3)&3 + 1
	if pos+n > d.end {
		return 0, 0, fmt.Errorf("%w: truncated pointer", errMMDBCorrupt)
	}
	v := 0
	if n < 4 {
		v = ctrl & 7
	}
	for i := 0; i < n; i++ {
		v = v<<8 | int(d.buf[pos+i])
	}
	switch n {
	case 2:
		v += 2048
	case 3:
		v += 526336
	}
	target := d.start + v
	if target < d.start || target >= d.end {
		return 0, 0, fmt.Errorf("%w: pointer to %d outside the section", errMMDBCorrupt, v)
	}
	return target, pos + n, nil
}

func (d *mmdbDecoder) count(depth int) error {
	d.values++
	if d.values > mmdbMaxValues {
		return fmt.Errorf("%w: more than %d values in one record", errMMDBCorrupt, mmdbMaxValues)
	}
	if depth > mmdbMaxDepth {
		return fmt.Errorf("%w: nested deeper than %d", errMMDBCorrupt, mmdbMaxDepth)
	}
	return nil
}

// decode returns the value at pos and the position after it. Values are
// string, float64 (double, float), uint64, int64 (int32), *big.Int (uint128),
// bool, []byte, map[string]interface{} and []interface{}.
func (d *mmdbDecoder) decode(pos, depth int) (interface{}, int, error) {
	if err := d.count(depth); err != nil {
		return nil, 0, err
	}
	typ, size, pos, err := d.control(pos)
	if err != nil {
		return nil, 0, err
	}
	if typ == mmdbPointer {
		target, next, err := d.pointer(size, pos)
		if err != nil {
			return nil, 0, err
		}
		v, _, err := d.decode(target, depth+1)
		return v, next, err
	}
	switch typ {
	case mmdbMap:
		return d.decodeMap(pos, size, depth)
	case mmdbArray:
		out := make([]interface{}, 0, boundedPresize(size))
		for i := 0; i < size; i++ {
			var v interface{}
			if v, pos, err = d.decode(pos, depth+1); err != nil {
				return nil, 0, err
			}
			out = append(out, v)
		}
		return out, pos, nil
	case mmdbBool:
		if size > 1 {
			return nil, 0, fmt.Errorf("%w: boolean of size %d", errMMDBCorrupt, size)
		}
		// Scalars go through an interface{} variable: Yaegi v0.16.1 panics
		// returning a bare bool expression as an interface{} result.
		var v interface{} = size == 1
		return v, pos, nil
	case mmdbContainer, mmdbEndMarker:
		return nil, 0, fmt.Errorf("%w: type %d in data", errMMDBCorrupt, typ)
	}
	if pos+size > d.end || pos+size < pos {
		return nil, 0, fmt.Errorf("%w: value of %d bytes runs past the section", errMMDBCorrupt, size)
	}
	b := d.buf[pos : pos+size]
	next := pos + size
	var v interface{}
	switch typ {
	case mmdbString:
		v = string(b)
	case mmdbBytes:
		v = append([]byte(nil), b...)
	case mmdbDouble:
		if size != 8 {
			return nil, 0, fmt.Errorf("%w: double of size %d", errMMDBCorrupt, size)
		}
		v = math.Float64frombits(binary.BigEndian.Uint64(b))
	case mmdbFloat:
		if size != 4 {
			return nil, 0, fmt.Errorf("%w: float of size %d", errMMDBCorrupt, size)
		}
		v = float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
	case mmdbInt32:
		if size > 4 {
			return nil, 0, fmt.Errorf("%w: int32 of size %d", errMMDBCorrupt, size)
		}
		var u uint32
		for _, c := range b {
			u = u<<8 | uint32(c)
		}
		v = int64(int32(u))
	case mmdbUint128:
		if size > 16 {
			return nil, 0, fmt.Errorf("%w: uint128 of size %d", errMMDBCorrupt, size)
		}
		v = new(big.Int).SetBytes(b)
	default:
		limit := 8 // uint64
		switch typ {
		case mmdbUint16:
			limit = 2
		case mmdbUint32:
			limit = 4
		}
		if size > limit {
			return nil, 0, fmt.Errorf("%w: type %d of size %d", errMMDBCorrupt, typ, size)
		}
		var u uint64
		for _, c := range b {
			u = u<<8 | uint64(c)
		}
		v = u
	}
	return v, next, nil
}

// decodeMap decodes size key/value pairs from pos.
func (d *mmdbDecoder) decodeMap(pos, size, depth int) (interface{}, int, error) {
	out := make(map[string]interface{}, boundedPresize(size))
	for i := 0; i < size; i++ {
		k, next, err := d.decode(pos, depth+1)
		if err != nil {
			return nil, 0, err
		}
		key, ok := k.(string)
		if !ok {
			return nil, 0, fmt.Errorf("%w: map key is not a string", errMMDBCorrupt)
		}
		var v interface{}
		if v, pos, err = d.decode(next, depth+1); err != nil {
			return nil, 0, err
		}
		out[key] = v
	}
	return out, pos, nil
}

func boundedPresize(n int) int {
	if n > mmdbPresize {
		return mmdbPresize
	}
	return n
}

// mmdbUint reads an unsigned metadata number.
func mmdbUint(v interface{}) (uint64, bool) {
	switch n := v.(type) {
	case uint64:
		return n, true
	case int64:
		if n >= 0 {
			return uint64(n), true
		}
	}
	return 0, false
}
