package quantity

import "math/big"

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
// A unit that does not fit gives an *Error of kind ErrUnit (so does a
// metricUnit that is not a unit at all); bad input gives ErrSyntax or ErrRange
// as from Parse.
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
