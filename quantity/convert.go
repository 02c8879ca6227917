package quantity

import (
	"errors"
	"math/big"
	"strings"
)

// In converts what a contact typed into a value in the metric's unit
// (metricUnit as the plan states it: "万人", "人", "%", "亿斤", "名", "").
//
// A bare number, with neither multiplier nor unit, is always in the metric's
// own unit, multiplier included: for a metric in 万人, "13.4" is 13.4 and
// "134000" is 134000 (万人), not 13.4. Guessing that a big bare number "meant
// people" would silently misread the next contact who types "13" for 13万;
// the bot's read-back and its "far above the target" confirmation catch the
// slip instead.
//
// A number with a multiplier or a unit is an amount of the base unit, which
// is converted: for a metric in 万人, "13.4万人", "13.4万" and "134000人" are
// all 13.4; for a metric in 人, "13.4万" is 134000. The typed unit must equal
// the metric's unit once the multiplier is stripped from both ("人次" is not
// "人", "个" is not "家"), with one conversion: % and ‰. A multiplier alone
// takes the metric's base unit, except on a % or ‰ metric.
//
// A rank ("第3", "第3名") gives ErrOrdinal: an amount is wanted, and "第3"
// is not 3 家. A unit that does not fit gives an *Error of kind ErrUnit (so
// does a metricUnit that is not a unit at all); bad input gives ErrSyntax or
// ErrRange as from Parse.
func In(s string, metricUnit string) (float64, error) {
	want, ok := splitSuffix(metricUnit)
	if !ok {
		e := newError(ErrUnit, s)
		e.Want = metricUnit
		return 0, e
	}
	q, err := Parse(s)
	if err != nil {
		return 0, err
	}
	if q.Ordinal {
		e := newError(ErrOrdinal, s)
		e.Want = metricUnit
		return 0, e
	}
	if q.Multiplier == "" && q.Unit == "" {
		return q.Value, nil
	}
	x := q.Rat()
	if !convertUnit(x, q.Unit, want.unit) {
		e := newError(ErrUnit, s)
		e.Unit, e.Want = q.Multiplier+q.Unit, metricUnit
		return 0, e
	}
	x.Quo(x, pow10(want.exp))
	v, _ := x.Float64()
	return v, nil
}

// convertUnit scales x in place from the typed base unit to the metric's base
// unit, and reports whether the two fit at all.
func convertUnit(x *big.Rat, typed, want string) bool {
	switch {
	case typed == want:
		return true
	case typed == "":
		return want != "%" && want != "‰"
	case typed == "‰" && want == "%":
		x.Quo(x, pow10(1))
		return true
	case typed == "%" && want == "‰":
		x.Mul(x, pow10(1))
		return true
	}
	return false
}

// Rank reads a rank: "第3名", "第三", "3名", "3". The only units are 名 and 位
// (or none), whatever metricUnit says; a wrong one gives ErrUnit. Rank does
// not check that the value is a whole number of at least 1: the caller words
// that.
func Rank(s string, metricUnit string) (float64, error) {
	q, err := Parse(s)
	if err != nil {
		return 0, err
	}
	if q.Unit != "" && q.Unit != "名" && q.Unit != "位" {
		e := newError(ErrUnit, s)
		e.Unit, e.Want = q.Multiplier+q.Unit, metricUnit
		return 0, e
	}
	return q.Value, nil
}

// Signed is In for a value that may be negative, such as a growth rate that
// fell: a leading minus in any keyboard form (-, −, －, –, …) or the words
// 负, 下降 and 减少 negate the rest ("−2.1%", "下降2.1%"). A second sign is
// ErrSyntax. Errors carry s as typed.
func Signed(s string, metricUnit string) (float64, error) {
	if len(s) > MaxInputBytes {
		return 0, newError(ErrSyntax, s)
	}
	t := strings.TrimSpace(normalize(s))
	for _, sign := range [...]string{"-", "负", "下降", "减少"} {
		rest, ok := strings.CutPrefix(t, sign)
		if !ok {
			continue
		}
		rest = strings.TrimSpace(rest)
		if strings.HasPrefix(rest, "-") {
			return 0, newError(ErrSyntax, s)
		}
		v, err := In(rest, metricUnit)
		if err != nil {
			return 0, retyped(err, s)
		}
		if v == 0 {
			return 0, nil // no "-0"
		}
		return -v, nil
	}
	return In(s, metricUnit)
}

// retyped puts the input as typed back into an *Error from a part of it.
func retyped(err error, s string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := newError(e.Kind, s)
	out.Unit, out.Want = e.Unit, e.Want
	return out
}
