package depparse

// wordInfo holds the hashed views of one word that the tagger and the
// parser features use.
type wordInfo struct {
	form  uint64 // the form as written
	lower uint64 // lowercased, digits mapped to 0
	shape uint64 // Xxxd-style shape, runs collapsed
	pre   [4]uint64
	suf   [4]uint64
	flags uint64 // bit set of wordFlag*
}

const (
	flagDigit = 1 << iota
	flagHyphen
	flagUpperInit
	flagAllUpper
	flagPunct
	flagFirst
	flagHasLetter
)

func hashBytes(b []byte) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range b {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return mix(0, h, uint64(len(b)), 0)
}

// analyze fills wi for word w at position i; buf is scratch, returned grown.
func analyze(w string, i int, wi *wordInfo, buf []byte) []byte {
	buf = buf[:0]
	var shape uint64 = 14695981039346656037
	var last byte
	var fl uint64
	upper, letters := 0, 0
	for j := 0; j < len(w); j++ {
		c := w[j]
		s := c
		switch {
		case c >= 'A' && c <= 'Z':
			s = 'X'
			upper++
			letters++
			if j == 0 {
				fl |= flagUpperInit
			}
			c += 'a' - 'A'
		case c >= 'a' && c <= 'z':
			s = 'x'
			letters++
		case c >= '0' && c <= '9':
			s = 'd'
			c = '0'
			fl |= flagDigit
		case c == '-':
			fl |= flagHyphen
		case c >= 0x80:
			s = 'u'
			letters++
		}
		buf = append(buf, c)
		if s != last {
			shape ^= uint64(s)
			shape *= 1099511628211
			last = s
		}
	}
	if letters > 0 {
		fl |= flagHasLetter
		if upper == letters {
			fl |= flagAllUpper
		}
	} else if fl&flagDigit == 0 {
		fl |= flagPunct
	}
	if i == 0 {
		fl |= flagFirst
	}
	wi.form = strHash(w)
	wi.lower = hashBytes(buf)
	wi.shape = mix(1, shape, 0, 0)
	for k := 0; k < 4; k++ {
		n := min(k+1, len(buf))
		wi.pre[k] = hashBytes(buf[:n])
		wi.suf[k] = hashBytes(buf[len(buf)-n:])
	}
	wi.flags = fl
	return buf
}
