package ner

import (
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/internal/hugemem"
)

// Features, words and gazetteer phrases are identified by 64-bit FNV-1a hashes of
// their text, so the tagger never builds strings while tagging. The hashes are part
// of the model format: changing them invalidates trained models.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashByte(h uint64, b byte) uint64 { return (h ^ uint64(b)) * fnvPrime }

// hashString hashes s as it is.
func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

// hashRune hashes r as its UTF-8 bytes.
func hashRune(h uint64, r rune) uint64 {
	if r < utf8.RuneSelf {
		return hashByte(h, byte(r))
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	for _, b := range buf[:n] {
		h = hashByte(h, b)
	}
	return h
}

// Text normalisations hashed by hashNorm.
const (
	normDigits = 1 << iota // every digit becomes '0'
	normLower              // lower-case
	normTitle              // first letter upper-case, the rest lower-case
)

// hashNorm hashes s normalised as mode says, without building the string.
func hashNorm(h uint64, s string, mode int) uint64 {
	first := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case mode&normDigits != 0 && '0' <= c && c <= '9':
				c = '0'
			case 'A' <= c && c <= 'Z' && (mode&normLower != 0 || mode&normTitle != 0 && !first):
				c += 'a' - 'A'
			case 'a' <= c && c <= 'z' && mode&normTitle != 0 && first:
				c -= 'a' - 'A'
			}
			h = hashByte(h, c)
			i++
			first = false
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case mode&normDigits != 0 && unicode.IsDigit(r):
			r = '0'
		case mode&normLower != 0 || mode&normTitle != 0 && !first:
			r = unicode.ToLower(r)
		case mode&normTitle != 0 && first:
			r = unicode.ToUpper(r)
		}
		h = hashRune(h, r)
		i += n
		first = false
	}
	return h
}

// mix is the splitmix64 finaliser: it spreads the bits of h for hash tables.
func mix(h uint64) uint64 {
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	h ^= h >> 31
	if h == 0 {
		h = 1 // 0 marks an empty slot in featTable
	}
	return h
}

// feat combines a feature template (with its relative position) and a value hash
// into a feature key.
func feat(tpl uint64, v uint64) uint64 { return mix(v ^ tpl*0x9e3779b97f4a7c15) }

// pair combines two value hashes.
func pair(a, b uint64) uint64 { return (a*fnvPrime ^ b) * 0xff51afd7ed558ccd }

// featTable maps feature keys to rows of weights by open addressing. It is read-only
// once built.
// Most features looked up are not in the model: a bit set indexed by the key's high
// bits, small enough to stay in cache, answers most of those without probing.
type featTable struct {
	slots  []slot
	mem    *hugemem.Region // where slots live
	mask   uint64
	filter []uint64
	fshift uint
}

// slot is one entry of a featTable: a feature key (0 when empty) and its row.
type slot struct {
	key uint64
	row int32
}

func newFeatTable(n int) *featTable {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	fbits := uint(16)
	for 1<<fbits < 16*n && fbits < 24 {
		fbits++
	}
	slots, mem := hugemem.Alloc[slot](size)
	return &featTable{
		slots:  slots,
		mem:    mem,
		mask:   uint64(size - 1),
		filter: make([]uint64, 1<<(fbits-6)),
		fshift: 64 - fbits,
	}
}

func (t *featTable) insert(key uint64, row int32) {
	b := key >> t.fshift
	t.filter[b>>6] |= 1 << (b & 63)
	for i := key & t.mask; ; i = (i + 1) & t.mask {
		if t.slots[i].key == 0 || t.slots[i].key == key {
			t.slots[i] = slot{key, row}
			return
		}
	}
}

// get returns the row of key, or -1.
func (t *featTable) get(key uint64) int32 {
	if b := key >> t.fshift; t.filter[b>>6]&(1<<(b&63)) == 0 {
		return -1
	}
	for i := key & t.mask; ; i = (i + 1) & t.mask {
		s := &t.slots[i]
		if s.key == key {
			return s.row
		}
		if s.key == 0 {
			return -1
		}
	}
}
