package captchaify

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// geo reads the record at pos straight into a geoInfo, in any of the
// layouts in use: GeoLite2 and DB-IP Lite (nested maps with localised
// names), GeoLite2/DB-IP ASN, IPinfo Lite (flat: country_code,
// continent_code, asn "AS15169", as_name) and ip-location-db (flat:
// country_code, state1, city, postcode, latitude, timezone).
//
// It is one loop with an explicit stack and no calls per value: under Yaegi
// a call costs microseconds, and a GeoLite2 City record holds ~200 values.
// Only the wanted paths are decoded; everything else is stepped over without
// following its pointers. Every read is bounds-checked and the number of
// values and the nesting are bounded, so a corrupt record is an error.
//
// Many addresses share a record: what a record holds is remembered by its
// offset, so a new address often costs the tree walk and a map read. Records
// mostly point at shared parts (the country, the city); a part is left as
// soon as it gave what it can (GeoLite2 sorts keys: the English name is the
// second of eight), without walking the rest.
func (r *mmdbReader) geo(pos int) (*geoInfo, error) {
	r.recordsMu.Lock()
	g := r.records[pos]
	r.recordsMu.Unlock()
	if g != nil {
		return g, nil
	}
	g, err := r.walk(pos)
	if err != nil {
		return nil, err
	}
	r.recordsMu.Lock()
	if r.records == nil || len(r.records) >= mmdbMaxRecords {
		r.records = make(map[int]*geoInfo) // start over: cheaper than picking victims
	}
	r.records[pos] = g
	r.recordsMu.Unlock()
	return g, nil
}

// walk reads the record at pos.
func (r *mmdbReader) walk(pos int) (*geoInfo, error) {
	ctx, field := walkTop, geoNone // where the next value sits
	buf, start, end := r.buf, r.dataStart, r.dataEnd
	g := &geoInfo{}
	hasLat, hasLon := false, false

	// The stack: one frame per open map, array or followed pointer, of
	// frameSize ints: kind, context, field, entries left, where a pointer
	// frame goes on. One slice: under Yaegi each allocation costs.
	st := make([]int, mmdbMaxDepth*frameSize)
	depth, tb := 0, -frameSize // frames open, and where the top one starts
	budget := mmdbMaxValues
	for {
		if budget--; budget < 0 {
			return nil, fmt.Errorf("%w: more than %d values in one record", errMMDBCorrupt, mmdbMaxValues)
		}
		if depth > 0 && st[tb] == frameMapKey {
			// A key: a string, or a pointer to one.
			st[tb] = frameMap
			kp, inline := pos, true
			if kp < start || kp >= end {
				return nil, fmt.Errorf("%w: key at %d outside the data", errMMDBCorrupt, kp)
			}
			ctrl := int(buf[kp])
			if ctrl>>5 == mmdbPointer {
				n := (ctrl>>3)&3 + 1
				if pos+1+n > end {
					return nil, fmt.Errorf("%w: truncated pointer", errMMDBCorrupt)
				}
				v := 0
				if n < 4 {
					v = ctrl & 7
				}
				for i := 1; i <= n; i++ {
					v = v<<8 | int(buf[pos+i])
				}
				if n == 2 {
					v += 2048
				} else if n == 3 {
					v += 526336
				}
				pos += 1 + n
				kp, inline = start+v, false
				if kp < start || kp >= end {
					return nil, fmt.Errorf("%w: key pointer outside the data", errMMDBCorrupt)
				}
				ctrl = int(buf[kp])
			}
			if ctrl>>5 != mmdbString {
				return nil, fmt.Errorf("%w: map key is not a string", errMMDBCorrupt)
			}
			size := ctrl & 0x1f
			kp++
			if size >= 29 {
				n := size - 28
				if kp+n > end {
					return nil, fmt.Errorf("%w: truncated size", errMMDBCorrupt)
				}
				v := 0
				for i := 0; i < n; i++ {
					v = v<<8 | int(buf[kp+i])
				}
				kp += n
				size = extendedSize(n) + v
			}
			if kp+size > end {
				return nil, fmt.Errorf("%w: key runs past the data", errMMDBCorrupt)
			}
			if inline {
				pos = kp + size
			}
			switch st[tb+1] {
			case walkSkip:
				ctx, field = walkSkip, geoNone
			case walkNames: // the common case, without a call or a string
				ctx, field = walkSkip, geoNone
				if size == 2 && buf[kp] == 'e' && buf[kp+1] == 'n' {
					ctx, field = walkValue, st[tb+2]
				}
			default: // one map read rather than a call and a long switch
				v := walkKeys[st[tb+1]][string(buf[kp:kp+size])]
				ctx, field = v>>5, v&31
			}
		}

		// A value at pos, in ctx/field.
		if pos < start || pos >= end {
			return nil, fmt.Errorf("%w: value at %d outside the data", errMMDBCorrupt, pos)
		}
		ctrl := int(buf[pos])
		pos++
		typ := ctrl >> 5
		if typ == mmdbPointer {
			n := (ctrl>>3)&3 + 1
			if pos+n > end {
				return nil, fmt.Errorf("%w: truncated pointer", errMMDBCorrupt)
			}
			v := 0
			if n < 4 {
				v = ctrl & 7
			}
			for i := 0; i < n; i++ {
				v = v<<8 | int(buf[pos+i])
			}
			if n == 2 {
				v += 2048
			} else if n == 3 {
				v += 526336
			}
			pos += n
			if ctx != walkSkip {
				target := start + v
				if target < start || target >= end {
					return nil, fmt.Errorf("%w: pointer outside the data", errMMDBCorrupt)
				}
				if depth >= mmdbMaxDepth {
					return nil, fmt.Errorf("%w: nested deeper than %d", errMMDBCorrupt, mmdbMaxDepth)
				}
				tb += frameSize
				st[tb] = framePointer
				st[tb+1] = ctx // what the target is, for leaving it early
				st[tb+4] = pos
				depth++
				pos = target
				continue // read the target in the same context
			}
		} else {
			if typ == mmdbExtended {
				if pos >= end {
					return nil, fmt.Errorf("%w: truncated type", errMMDBCorrupt)
				}
				typ = 7 + int(buf[pos])
				pos++
				if typ < mmdbInt32 || typ > mmdbFloat {
					return nil, fmt.Errorf("%w: unknown type %d", errMMDBCorrupt, typ)
				}
			}
			size := ctrl & 0x1f
			if size >= 29 {
				n := size - 28
				if pos+n > end {
					return nil, fmt.Errorf("%w: truncated size", errMMDBCorrupt)
				}
				v := 0
				for i := 0; i < n; i++ {
					v = v<<8 | int(buf[pos+i])
				}
				pos += n
				size = extendedSize(n) + v
			}
			if typ == mmdbMap || typ == mmdbArray {
				if size > 0 {
					if depth >= mmdbMaxDepth {
						return nil, fmt.Errorf("%w: nested deeper than %d", errMMDBCorrupt, mmdbMaxDepth)
					}
					tb += frameSize
					st[tb] = frameArray
					st[tb+1] = ctx
					st[tb+2] = field
					st[tb+3] = size
					if typ == mmdbMap {
						st[tb] = frameMapKey
					} else if ctx == walkSubdivisions {
						ctx = walkSubdivision // the first one is the most precise
					} else {
						ctx = walkSkip
					}
					depth++
					continue
				}
			} else if typ == mmdbBool || typ == mmdbContainer || typ == mmdbEndMarker {
				if typ != mmdbBool || size > 1 {
					return nil, fmt.Errorf("%w: type %d of size %d", errMMDBCorrupt, typ, size)
				}
			} else {
				if pos+size > end || pos+size < pos {
					return nil, fmt.Errorf("%w: value of %d bytes runs past the data", errMMDBCorrupt, size)
				}
				if field != geoNone && ctx != walkSkip {
					b := buf[pos : pos+size]
					if typ == mmdbString {
						// Written out rather than called: see above. The
						// first value found for a field wins.
						str := string(b)
						switch field {
						case geoContinent:
							if g.continent == "" {
								g.continent = str
							}
						case geoContinentCode:
							if g.continentCode == "" {
								g.continentCode = strings.ToUpper(str)
							}
						case geoCountry:
							if g.country == "" {
								g.country = str
							}
						case geoCountryCode:
							if g.countryCode == "" {
								g.countryCode = strings.ToUpper(str)
							}
						case geoRegion:
							if g.region == "" {
								g.region = str
							}
						case geoRegionCode:
							if g.regionCode == "" {
								g.regionCode = str
							}
						case geoCity:
							if g.city == "" {
								g.city = str
							}
						case geoZip:
							if g.zip == "" {
								g.zip = str
							}
						case geoTimezone:
							if g.timezone == "" {
								g.timezone = str
							}
						case geoASName:
							if g.asName == "" {
								g.asName = str
							}
						case geoASN:
							setASN(g, str)
						}
						// Leave the part being read (the nearest followed
						// pointer) once it gave all it can.
						for k := depth - 1; k >= 0; k-- {
							pk := k * frameSize
							if st[pk] != framePointer || st[pk+1] == walkValue {
								continue
							}
							done := false
							switch st[pk+1] {
							case walkNames:
								done = true // the English name was read
							case walkContinent:
								done = g.continent != "" && g.continentCode != ""
							case walkCountry:
								done = g.country != "" && g.countryCode != ""
							case walkCity:
								done = g.city != ""
							case walkSubdivisions, walkSubdivision:
								done = g.region != "" && g.regionCode != ""
							case walkPostal:
								done = g.zip != ""
							}
							if done {
								depth = k + 1 // its pointer frame closes below
								tb = pk
							}
							break
						}
					} else {
						f, ok := 0.0, true
						switch typ {
						case mmdbDouble:
							ok = size == 8
							if ok {
								f = math.Float64frombits(binary.BigEndian.Uint64(b))
							}
						case mmdbFloat:
							ok = size == 4
							if ok {
								f = float64(math.Float32frombits(binary.BigEndian.Uint32(b)))
							}
						case mmdbUint16, mmdbUint32, mmdbUint64, mmdbInt32:
							ok = size <= 8
							var u uint64
							for _, c := range b {
								u = u<<8 | uint64(c)
							}
							f = float64(u)
							if typ == mmdbInt32 {
								f = float64(int32(uint32(u)))
							}
						default:
							ok = false
						}
						if !ok {
							return nil, fmt.Errorf("%w: number of type %d and size %d", errMMDBCorrupt, typ, size)
						}
						switch field {
						case geoLat:
							g.lat = math.Round(f*1e4) / 1e4
							hasLat = true
						case geoLon:
							g.lon = math.Round(f*1e4) / 1e4
							hasLon = true
						case geoASNumber, geoASN:
							g.asNumber = f
							g.hasAS = true
						}
					}
				}
				pos += size
			}
		}

		// The value is complete: close what it completes.
		for depth > 0 {
			if st[tb] == framePointer {
				pos = st[tb+4]
				depth--
				tb -= frameSize
				continue
			}
			st[tb+3]--
			if st[tb+3] > 0 {
				if st[tb] == frameMap {
					st[tb] = frameMapKey
				} else {
					ctx, field = walkSkip, geoNone // later array elements
				}
				break
			}
			depth--
			tb -= frameSize
		}
		if depth == 0 {
			break
		}
	}
	g.hasLocation = hasLat && hasLon
	return g, nil
}

// extendedSize is the base of a size written in n extra bytes.
func extendedSize(n int) int {
	switch n {
	case 1:
		return 29
	case 2:
		return 285
	}
	return 65821
}

// Stack frame kinds of the walker, and the ints a frame takes.
const (
	frameMap    = iota // a map whose next item is a value
	frameMapKey        // a map whose next item is a key
	frameArray
	framePointer

	frameSize = 5
)

// Contexts: where in a record a value sits.
const (
	walkSkip = iota // not wanted: stepped over, pointers not followed
	walkTop
	walkContinent
	walkCountry
	walkCity
	walkSubdivisions
	walkSubdivision
	walkLocation
	walkPostal
	walkNames // a names map: "en" is the frame's field
	walkValue // a wanted scalar: field says which
)

// Fields of geoInfo a value fills.
const (
	geoNone = iota
	geoContinent
	geoContinentCode
	geoCountry
	geoCountryCode
	geoRegion
	geoRegionCode
	geoCity
	geoZip
	geoTimezone
	geoLat
	geoLon
	geoASNumber
	geoASName
	geoASN // IPinfo's "AS15169", or a number
)

// walkKeys are, per context, the keys of a map worth reading, as
// context<<5 | field of their value; any other key is skipped (0: walkSkip,
// geoNone). A context whose value turns out to be a plain string fills its
// field (IPinfo's "country": "Germany").
var walkKeys = [walkValue + 1]map[string]int{
	walkTop: {
		"continent":                      walkContinent<<5 | geoContinent,
		"country":                        walkCountry<<5 | geoCountry,
		"city":                           walkCity<<5 | geoCity,
		"subdivisions":                   walkSubdivisions << 5,
		"location":                       walkLocation << 5,
		"postal":                         walkPostal << 5,
		"continent_code":                 walkValue<<5 | geoContinentCode,
		"continent_name":                 walkValue<<5 | geoContinent,
		"country_code":                   walkValue<<5 | geoCountryCode,
		"country_name":                   walkValue<<5 | geoCountry,
		"state1":                         walkValue<<5 | geoRegion,
		"region":                         walkValue<<5 | geoRegion,
		"subdivision":                    walkValue<<5 | geoRegion,
		"region_code":                    walkValue<<5 | geoRegionCode,
		"postcode":                       walkValue<<5 | geoZip,
		"postal_code":                    walkValue<<5 | geoZip,
		"zip":                            walkValue<<5 | geoZip,
		"latitude":                       walkValue<<5 | geoLat,
		"longitude":                      walkValue<<5 | geoLon,
		"timezone":                       walkValue<<5 | geoTimezone,
		"time_zone":                      walkValue<<5 | geoTimezone,
		"autonomous_system_number":       walkValue<<5 | geoASNumber,
		"autonomous_system_organization": walkValue<<5 | geoASName,
		"as_name":                        walkValue<<5 | geoASName,
		"as_org":                         walkValue<<5 | geoASName,
		"asn":                            walkValue<<5 | geoASN,
	},
	walkContinent: {
		"code":  walkValue<<5 | geoContinentCode,
		"names": walkNames<<5 | geoContinent,
		"name":  walkValue<<5 | geoContinent,
	},
	walkCountry: {
		"iso_code": walkValue<<5 | geoCountryCode,
		"names":    walkNames<<5 | geoCountry,
		"name":     walkValue<<5 | geoCountry,
	},
	walkCity: {
		"names": walkNames<<5 | geoCity,
		"name":  walkValue<<5 | geoCity,
	},
	walkSubdivision: {
		"iso_code": walkValue<<5 | geoRegionCode,
		"names":    walkNames<<5 | geoRegion,
		"name":     walkValue<<5 | geoRegion,
	},
	walkLocation: {
		"latitude":  walkValue<<5 | geoLat,
		"longitude": walkValue<<5 | geoLon,
		"time_zone": walkValue<<5 | geoTimezone,
	},
	walkPostal: {
		"code": walkValue<<5 | geoZip,
	},
}

// setASN reads IPinfo's "AS15169".
func setASN(g *geoInfo, s string) {
	if n, err := strconv.ParseUint(strings.TrimPrefix(strings.ToUpper(s), "AS"), 10, 32); err == nil {
		g.asNumber = float64(n)
		g.hasAS = true
	}
}
