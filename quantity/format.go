package quantity

import (
	"math"
	"strconv"
	"strings"
)

// exactDigits is how many significant digits a value may have to be written
// exactly. Every figure a person types has fewer ("0.00001", "13.45678",
// "1.234567亿"), so a read-back shows what was typed; values computed in
// floating point (0.1+0.2 = 0.30000000000000004) have more, and are rounded.
const exactDigits = 10

// formatDecimals is how many decimals a rounded value keeps, and how many
// significant digits at least when it is below 1: enough for 0.03 %, 1.64 倍
// or 13.4567 万人, and few enough to stay readable.
const formatDecimals = 4

// maxDecimals bounds the decimals of a rounded value far below 1.
const maxDecimals = 20

// groupFromDigits is how many digits a whole part needs to get thousands
// separators: "1200" reads fine (and looks like a year when grouped),
// "134,000" reads better.
const groupFromDigits = 5

// Format writes v followed by unit the way people read it in a read-back:
// "134,000人", "1200家", "13.4万人", "8.5%", "0.03%", "0.00001". A value
// with at most ten significant digits — any number a person typed — is
// written exactly, so In(Format(v, u), u) == v and a read-back never turns
// 0.00001 into 0. Anything longer is rounded to four decimals, or to four
// significant digits below 1. Negative values get a leading "-" (Parse
// refuses them); NaN and infinities, which Parse never returns, are written
// as Go spells them.
func Format(v float64, unit string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64) + unit
	}
	s := decimal(v)
	sign := ""
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		s = rest
		if s != "0" { // -1e-25/3 rounds to 0, which has no sign
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

// decimal writes v in plain decimal notation, exactly or rounded (see Format).
func decimal(v float64) string {
	if significantDigits(v) <= exactDigits {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	decimals := formatDecimals
	if a := math.Abs(v); a < 1 {
		// 0.000012345678901 keeps 0.00001235, not 0
		decimals = max(decimals, formatDecimals-1-int(math.Floor(math.Log10(a))))
	}
	s := strconv.FormatFloat(v, 'f', min(decimals, maxDecimals), 64)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// significantDigits counts the digits of the shortest decimal that reads back
// as v: 1 for 1e15, 6 for 0.123456, 17 for 0.30000000000000004.
func significantDigits(v float64) int {
	mantissa, _, _ := strings.Cut(strconv.FormatFloat(math.Abs(v), 'e', -1, 64), "e")
	return len(strings.Replace(mantissa, ".", "", 1))
}
