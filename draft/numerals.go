package draft

// Chinese numerals appear in targets only in a few set forms: ranks (前三,
// 第一, 保五争三), 百余名 / 千余, and fractions (三分之二). They are read
// here and nowhere else, so that 一批, 三服务 or 五美联创 are never numbers.

// digitValue maps a Chinese digit to its value; 0 and false for anything else.
func digitValue(r rune) (int, bool) {
	i := indexRune("〇一二三四五六七八九", r)
	if i >= 0 {
		return i, true
	}
	if r == '两' {
		return 2, true
	}
	return 0, false
}

func indexRune(s string, r rune) int {
	i := 0
	for _, c := range s {
		if c == r {
			return i
		}
		i++
	}
	return -1
}

// smallNumeral reads a Chinese numeral from 1 to 99 at t[i:] (一, 十, 十二,
// 二十, 三十五) or a run of ASCII or full-width digits, and returns its value
// and length in runes; 0, 0 when there is none.
func smallNumeral(t []rune, i int) (value, n int) {
	if v, n := arabic(t, i); n > 0 {
		return v, n
	}
	tens, ones := 0, 0
	j := i
	if d, ok := digitValue(at(t, j)); ok && d > 0 {
		ones = d
		j++
	}
	if at(t, j) == '十' {
		tens = max(ones, 1)
		ones = 0
		j++
		if d, ok := digitValue(at(t, j)); ok && d > 0 {
			ones = d
			j++
		}
	}
	if j == i {
		return 0, 0
	}
	return tens*10 + ones, j - i
}

// arabic reads a whole number of at most 6 ASCII or full-width digits.
func arabic(t []rune, i int) (value, n int) {
	for j := i; j < len(t) && j-i < 6; j++ {
		d, ok := digit(t[j])
		if !ok {
			break
		}
		value = value*10 + d
		n++
	}
	return value, n
}

// digit reads an ASCII or full-width digit.
func digit(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	}
	return 0, false
}

// at returns t[i], or 0 outside t.
func at(t []rune, i int) rune {
	if i < 0 || i >= len(t) {
		return 0
	}
	return t[i]
}

// placeValue maps 十/百/千/万 to its value.
func placeValue(r rune) int {
	switch r {
	case '十':
		return 10
	case '百':
		return 100
	case '千':
		return 1000
	case '万':
		return 10000
	}
	return 0
}
