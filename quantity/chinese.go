package quantity

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// A contact on a phone often types a number the way it is said: "十二家",
// "两千", "一万二", "三百五十", "一点五万", "一百零五". scanChinese reads
// those common forms and refuses anything it cannot read without guessing
// ("两三家", "十几家", "二〇二二", "三百五点五").

// numeral is the state of reading an integer in Chinese numerals.
type numeral struct {
	total     int64 // the sections already closed by 万/亿/万亿
	section   int64 // the current section, below 10000
	digit     int64 // the digit waiting for its place, -1 when none
	place     int64 // the last place or scale read (十…亿), 0 when none
	small     int64 // the last of 十/百/千 in this section, 0 when none
	scale     int64 // the last of 万/亿/万亿 read, 0 when none
	zero      bool  // 零 since the last place: the next digit is in the ones
	scaleWord string
	read      bool // anything read at all
}

// scanChinese reads a number in Chinese numerals at the start of t. It
// returns the number as a plain decimal ready for big.Rat, the largest scale
// word used (万, 亿 or 万亿; "" when none: a bare number), and the rest of t.
// A fraction ("一点五") stops at the end of its digits, so a multiplier after
// it ("一点五万") is left to splitSuffix.
func scanChinese(t string) (num, scale, rest string, ok bool) {
	n := numeral{digit: -1}
	i := 0
	for i < len(t) {
		r, size := utf8.DecodeRuneInString(t[i:])
		if r == '点' {
			return n.fraction(t[i+size:])
		}
		step, ok := n.next(r, t[i:])
		if !ok {
			return "", "", "", false
		}
		if step == 0 {
			break
		}
		i += step
	}
	v, ok := n.end()
	if !ok {
		return "", "", "", false
	}
	return strconv.FormatInt(v, 10), n.scaleWord, t[i:], true
}

// next reads the rune r that starts s. It returns how many bytes it used,
// 0 when r ends the numeral, and false when the numeral is malformed.
func (n *numeral) next(r rune, s string) (int, bool) {
	if d, ok := chineseDigit(r); ok {
		return utf8.RuneLen(r), n.addDigit(d)
	}
	if p, ok := chinesePlace(r); ok {
		if startsWithUnitWord(s) {
			return 0, true // 千克, 百分点: a unit, not a place
		}
		return utf8.RuneLen(r), n.addPlace(p)
	}
	if word, s, ok := chineseScale(s); ok {
		return len(word), n.addScale(s, word)
	}
	return 0, true
}

func (n *numeral) addDigit(d int64) bool {
	if n.digit >= 0 {
		return false // two digits in a row: "两三", "二〇"
	}
	if d == 0 && n.read {
		n.zero = true // 一百零五: a filler, not a digit
		return true
	}
	n.digit, n.read = d, true
	return true
}

func (n *numeral) addPlace(p int64) bool {
	d := n.digit
	if d < 0 {
		if p != 10 || n.section != 0 || n.small != 0 {
			return false // only 十 may stand alone, and only first: 十二, 十万
		}
		d = 1
	}
	if n.small != 0 && p >= n.small {
		return false // places must fall: 一十百
	}
	n.section += d * p
	n.digit, n.place, n.small, n.zero, n.read = -1, p, p, false, true
	return true
}

func (n *numeral) addScale(s int64, word string) bool {
	if n.digit >= 0 {
		n.section += n.digit
	}
	if n.section == 0 || (n.scale != 0 && s >= n.scale) {
		return false // 万 alone, 一亿万
	}
	if n.scaleWord == "" {
		n.scaleWord = word
	}
	n.total += n.section * s
	n.section, n.digit, n.place, n.small, n.scale, n.zero = 0, -1, s, 0, s, false
	return true
}

// end closes the numeral. A last digit right after a place stands for the
// next lower place, as people say it: 一万二 is 12000, 三百五 is 350.
func (n *numeral) end() (int64, bool) {
	if !n.read {
		return 0, false
	}
	if n.digit >= 0 {
		if !n.zero && n.place >= 10 {
			n.section += n.digit * n.place / 10
		} else {
			n.section += n.digit
		}
	}
	return n.total + n.section, true
}

// fraction reads the digits after 点 ("一点五", "三点一四"). The whole part
// must be plain: no scale before 点, and no last digit whose place is only
// implied ("三百五点五" could be 305.5 or 350.5).
func (n *numeral) fraction(s string) (num, scale, rest string, ok bool) {
	if !n.read || n.scale != 0 || (n.digit >= 0 && !n.zero && n.place > 10) {
		return "", "", "", false
	}
	whole, _ := n.end()
	var frac strings.Builder
	i := 0
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		d, ok := chineseDigit(r)
		if !ok || r == '两' {
			break
		}
		frac.WriteByte(byte('0' + d))
		i += size
	}
	if frac.Len() == 0 {
		return "", "", "", false // "五点" is a time of day, not 5
	}
	return strconv.FormatInt(whole, 10) + "." + frac.String(), "", s[i:], true
}

func chineseDigit(r rune) (int64, bool) {
	if i := strings.IndexRune("〇一二三四五六七八九", r); i >= 0 {
		return int64(utf8.RuneCountInString("〇一二三四五六七八九"[:i])), true
	}
	switch r {
	case '零':
		return 0, true
	case '两':
		return 2, true
	}
	return 0, false
}

func chinesePlace(r rune) (int64, bool) {
	switch r {
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	}
	return 0, false
}

// chineseScale reads 万亿, 万 or 亿 at the start of s.
func chineseScale(s string) (word string, scale int64, ok bool) {
	for _, m := range [...]struct {
		word  string
		scale int64
	}{{"万亿", 1e12}, {"万", 1e4}, {"亿", 1e8}} {
		if strings.HasPrefix(s, m.word) {
			return m.word, m.scale, true
		}
	}
	return "", 0, false
}
