package quantity

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxUnitRunes bounds a unit word; the longest in the plan is 个百分点.
const maxUnitRunes = 8

// normalize folds what phone keyboards in Chinese input mode produce into
// ASCII: full-width digits, dot, comma, percent and minus, and every kind of
// space. Invalid UTF-8 becomes U+FFFD, which no rule accepts.
func normalize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == '．':
			return '.'
		case r == '，':
			return ','
		case r == '％':
			return '%'
		case isMinus(r):
			return '-'
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, s)
}

// isMinus says whether r is a minus as keyboards and autocorrect write it:
// hyphen-minus, minus sign (U+2212), full-width and small hyphen-minus, the
// hyphens and the figure, en and em dashes.
func isMinus(r rune) bool {
	switch r {
	case '-', '−', '－', '﹣', '‐', '‑', '‒', '–', '—':
		return true
	}
	return false
}

// scanNumber splits t into the decimal number at its start (grouping commas
// removed, ready for big.Rat.SetString) and the rest. It accepts only plain
// digits with an optional fraction, so big.Rat never sees an exponent, a sign
// or a fraction bar.
func scanNumber(t string) (num, rest string, ok bool) {
	i := 0
	for i < len(t) && (isDigit(t[i]) || t[i] == ',') {
		i++
	}
	whole, frac := t[:i], ""
	if i < len(t) && t[i] == '.' {
		j := i + 1
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		frac = t[i+1 : j]
		if frac == "" {
			return "", "", false // "5." is more likely a slip than 5
		}
		i = j
	}
	if whole == "" && frac == "" {
		return "", "", false
	}
	whole, ok = ungroup(whole)
	if !ok {
		return "", "", false
	}
	if whole == "" {
		whole = "0" // ".5"
	}
	if frac != "" {
		return whole + "." + frac, t[i:], true
	}
	return whole, t[i:], true
}

// ungroup removes thousands separators, refusing any grouping other than
// threes after a first group of one to three digits that does not start with 0:
// "1,20" is a typo, not 120.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, true
	}
	groups := strings.Split(s, ",")
	first := groups[0]
	if len(first) == 0 || len(first) > 3 || first[0] == '0' {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// suffix is what follows a number: the multiplier as written, the power of ten
// it stands for, and the unit word.
type suffix struct {
	mult string
	exp  int
	unit string
}

// multiplier is a word that scales the number before it.
type multiplier struct {
	word string
	exp  int // the power of ten it stands for
}

// splitSuffix reads "[百|千][万|亿|万亿][unit]". Units that begin with 百 or
// 千 (千克, 百分点) are not split, and no multiplier is taken after 万/亿, so
// "万千瓦" is 万 × 千瓦.
func splitSuffix(s string) (suffix, bool) {
	var x suffix
	if m := leadingMultiplier(s, multiplier{"百", 2}, multiplier{"千", 3}); m.word != "" && !startsWithUnitWord(s) {
		x.mult, x.exp, s = m.word, m.exp, s[len(m.word):]
	}
	if m := leadingMultiplier(s, multiplier{"万亿", 12}, multiplier{"万", 4}, multiplier{"亿", 8}); m.word != "" {
		x.mult, x.exp, s = x.mult+m.word, x.exp+m.exp, s[len(m.word):]
	}
	x.unit = s
	if !validUnit(x.unit) {
		return suffix{}, false
	}
	if (x.unit == "%" || x.unit == "‰") && x.exp != 0 {
		return suffix{}, false
	}
	return x, true
}

// leadingMultiplier returns the first of ms that s starts with, or the zero
// multiplier; list longer words first.
func leadingMultiplier(s string, ms ...multiplier) multiplier {
	for _, m := range ms {
		if strings.HasPrefix(s, m.word) {
			return m
		}
	}
	return multiplier{}
}

// unitWords returns the units that contain a multiplier or numeral character
// as part of their name.
func unitWords() [8]string {
	return [...]string{"百分点", "百分比", "千克", "千米", "千瓦", "千伏", "千卡", "千焦"}
}

func startsWithUnitWord(s string) bool {
	for _, w := range unitWords() {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// validUnit accepts "", "%", "‰", or a short word of Han characters that holds
// no numeral, no doubled character ("家家") and no hedge ("以上", "左右"):
// a contact reports a value, not a target.
func validUnit(u string) bool {
	if u == "" || u == "%" || u == "‰" {
		return true
	}
	if utf8.RuneCountInString(u) > maxUnitRunes {
		return false
	}
	prev := rune(-1)
	for _, r := range u {
		if !unicode.Is(unicode.Han, r) || r == prev {
			return false
		}
		prev = r
	}
	bare := u
	for _, w := range unitWords() {
		bare = strings.ReplaceAll(bare, w, "")
	}
	if strings.ContainsAny(bare, "〇零一二三四五六七八九十百千万亿第") {
		return false
	}
	for _, h := range [...]string{"以上", "以下", "以内", "左右", "上下", "多", "余", "约", "近", "超", "前", "至", "几", "来"} {
		if strings.Contains(u, h) {
			return false
		}
	}
	return true
}
