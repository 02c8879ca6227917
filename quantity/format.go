package quantity

import (
	"math"
	"strconv"
	"strings"
)

// formatDecimals is how many decimals a read-back shows: enough for 0.03 %,
// 1.64 倍 or 13.4567 万人, and few enough to stay readable.
const formatDecimals = 4

// groupFromDigits is how many digits a whole part needs to get thousands
// separators: "1200" reads fine (and looks like a year when grouped),
// "134,000" reads better.
const groupFromDigits = 5

// Format writes v followed by unit the way people read it in a read-back:
// "134,000人", "1200家", "13.4万人", "8.5%", "0.03%". It rounds to at most four
// decimals and drops trailing zeros, so what a contact typed with up to four
// decimals comes back exactly as typed: In(Format(v, u), u) == v for every
// such v ≥ 0. Negative values get a leading "-" (Parse refuses them); NaN and
// infinities, which Parse never returns, are written as Go spells them.
func Format(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64) + unit
	}
	s := strconv.FormatFloat(v, 'f', formatDecimals, 64)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		s = rest
		if s != "0" { // -0.00001 rounds to 0, which has no sign
			sign = "-"
		}
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if len(whole) >= groupFromDigits {
		whole = group(whole)
	}
	if hasFrac {
		return sign + whole + "." + frac + unit
	}
	return sign + whole + unit
}

// group inserts "," between groups of three digits.
func group(digits string) string {
	var b strings.Builder
	for i, d := range []byte(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(d)
	}
	return b.String()
}
