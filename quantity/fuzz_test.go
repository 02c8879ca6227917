package quantity_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/duban-bot/duban/quantity"
)

// FuzzParse checks what must hold for any text a contact might send: Parse
// never panics, fails only with a *quantity.Error of a known kind, returns
// only finite values in [0, MaxValue], and reads back its own Format.
func FuzzParse(f *testing.F) {
	for _, c := range parseCases() {
		f.Add(c.in)
	}
	for _, c := range refusedCases() {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := quantity.Parse(s)
		if err != nil {
			checkParseError(t, s, err)
			return
		}
		if math.IsNaN(q.Value) || math.IsInf(q.Value, 0) || q.Value < 0 || q.Value > quantity.MaxValue {
			t.Fatalf("Parse(%q).Value = %v, want finite in [0, MaxValue]", s, q.Value)
		}
		if exact, _ := q.Rat().Float64(); exact != q.Value {
			t.Fatalf("Parse(%q): Value %v differs from Rat() %v", s, q.Value, exact)
		}
		checkRoundTrip(t, s, q)
	})
}

func checkParseError(t *testing.T, s string, err error) {
	t.Helper()
	var qe *quantity.Error
	if !errors.As(err, &qe) {
		t.Fatalf("Parse(%q) error %#v is not a *quantity.Error", s, err)
	}
	if qe.Kind != quantity.ErrSyntax && qe.Kind != quantity.ErrRange {
		t.Fatalf("Parse(%q) error kind %v, want ErrSyntax or ErrRange", s, qe.Kind)
	}
}

// checkRoundTrip parses Format's output back: the same unit, and the same
// value — exactly when it has at most ten significant digits (Format shows
// those as they are), otherwise within Format's rounding.
func checkRoundTrip(t *testing.T, s string, q quantity.Quantity) {
	t.Helper()
	out := quantity.Format(q.Value, q.Unit)
	back, err := quantity.Parse(out)
	if err != nil {
		t.Fatalf("Parse(%q) = %v; Parse(Format) = Parse(%q) error: %v", s, q.Value, out, err)
	}
	if back.Unit != q.Unit {
		t.Fatalf("Parse(%q) unit %q; Format gave %q, which parses to unit %q", s, q.Unit, out, back.Unit)
	}
	if back.Value != q.Value && (significantDigits(q.Value) <= 10 || math.Abs(back.Value-q.Value) > 5e-5) {
		t.Fatalf("Parse(%q) = %v; Format gave %q, which parses to %v", s, q.Value, out, back.Value)
	}
	got, err := quantity.In(out, q.Unit)
	if err != nil || got != back.Value {
		t.Fatalf("In(Format(%v, %q) = %q, %q) = %v, %v; want %v", q.Value, q.Unit, out, q.Unit, got, err, back.Value)
	}
}

func significantDigits(v float64) int {
	mantissa, _, _ := strings.Cut(strconv.FormatFloat(v, 'e', -1, 64), "e")
	return len(strings.Replace(mantissa, ".", "", 1))
}

// FuzzSigned checks that a signed read never panics, fails only with an
// *Error, and stays finite and within ±MaxValue.
func FuzzSigned(f *testing.F) {
	for _, s := range []string{"-2.1%", "−2.1%", "－2.1%", "–2.1%", "负2.1%", "下降 2.1%", "--2", "-第3", "-十二", "减少百分之二"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := quantity.Signed(s, "%")
		if err != nil {
			var qe *quantity.Error
			if !errors.As(err, &qe) {
				t.Fatalf("Signed(%q) error %#v is not a *quantity.Error", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > quantity.MaxValue {
			t.Fatalf("Signed(%q) = %v, want finite within ±MaxValue", s, v)
		}
	})
}
