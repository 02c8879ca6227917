package quantity_test

import (
	"errors"
	"math"
	"strconv"
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

// checkRoundTrip parses Format's output back: same unit, and the value
// rounded to Format's four decimals.
func checkRoundTrip(t *testing.T, s string, q quantity.Quantity) {
	t.Helper()
	out := quantity.Format(q.Value, q.Unit)
	back, err := quantity.Parse(out)
	if err != nil {
		t.Fatalf("Parse(%q) = %v; Parse(Format) = Parse(%q) error: %v", s, q.Value, out, err)
	}
	want, err := strconv.ParseFloat(strconv.FormatFloat(q.Value, 'f', 4, 64), 64)
	if err != nil {
		t.Fatal(err)
	}
	if back.Value != want || back.Unit != q.Unit {
		t.Fatalf("Parse(%q) = {%v %q}; Format gave %q, which parses to {%v %q}, want {%v %q}",
			s, q.Value, q.Unit, out, back.Value, back.Unit, want, q.Unit)
	}
	got, err := quantity.In(out, q.Unit)
	if err != nil || got != want {
		t.Fatalf("In(Format(%v, %q) = %q, %q) = %v, %v; want %v", q.Value, q.Unit, out, q.Unit, got, err, want)
	}
}
