package quantity_test

import (
	"errors"
	"math"
	"testing"

	"github.com/duban-bot/duban/quantity"
)

func TestInConvertsToTheMetricUnit(t *testing.T) {
	tests := []struct {
		metric, in string
		want       float64
	}{
		{"万人", "13.4万人", 13.4},
		{"万人", "134000人", 13.4},
		{"万人", "134,000人", 13.4},
		{"万人", "13.4万", 13.4},
		{"万人", "13.4", 13.4},
		{"万人", "134000", 134000}, // a bare number is in the metric's own unit, however big
		{"万人", "1.34亿人", 13400},
		{"人", "13.4万人", 134000},
		{"人", "13.4万", 134000},
		{"人", "134000", 134000},
		{"%", "8.5%", 8.5},
		{"%", "8.5", 8.5},
		{"%", "８.５％", 8.5},
		{"%", "0.3‰", 0.03},
		{"‰", "0.3‰", 0.3},
		{"‰", "0.3%", 3},
		{"亿斤", "10.59亿斤", 10.59},
		{"亿斤", "10.59", 10.59},
		{"亿斤", "105900万斤", 10.59},
		{"亿元", "1.5亿元", 1.5},
		{"亿元", "15000万元", 1.5},
		{"亿元", "150000000元", 1.5},
		{"万平方米", "12.5万平方米", 12.5},
		{"家", "3家", 3},
		{"家", "3", 3},
		{"家", "３", 3},
		{"名", "3名", 3},
		{"家", "十二家", 12},
		{"家", "十二", 12},
		{"万人", "十三万四千人", 13.4},
		{"万人", "一万二", 1.2},
		{"万人", "十二", 12}, // a bare Chinese number is in the metric's unit too
		{"%", "百分之八点五", 8.5},
		{"%", "千分之三", 0.3},
		{"人", "0.00001", 0.00001},
		{"个百分点", "2个百分点", 2},
		{"个百分点", "2", 2},
		{"", "1.64", 1.64},
		{"", "1.2万", 12000},
		{"", "0", 0},
	}
	for _, tt := range tests {
		t.Run(tt.metric+"/"+tt.in, func(t *testing.T) {
			got, err := quantity.In(tt.in, tt.metric)
			if err != nil {
				t.Fatalf("In(%q, %q) error: %v", tt.in, tt.metric, err)
			}
			if got != tt.want {
				t.Errorf("In(%q, %q) = %v, want %v", tt.in, tt.metric, got, tt.want)
			}
		})
	}
}

func TestInRefusesAUnitThatDoesNotFit(t *testing.T) {
	tests := []struct {
		name, metric, in string
		kind             error
		unit             string // what *Error.Unit should name, for ErrUnit
	}{
		{"other count word", "家", "3场", quantity.ErrUnit, "场"},
		{"percent for a count", "家", "5%", quantity.ErrUnit, "%"},
		{"percent for a plain number", "", "5%", quantity.ErrUnit, "%"},
		{"unit for a plain number", "", "5家", quantity.ErrUnit, "家"},
		{"multiplier for a percent", "%", "1.2万", quantity.ErrUnit, "万"},
		{"people for person-times", "人次", "3人", quantity.ErrUnit, "人"},
		{"person-times for people", "人", "3人次", quantity.ErrUnit, "人次"},
		{"名 is not 人", "人", "3名", quantity.ErrUnit, "名"},
		{"个 is not 家", "家", "3个", quantity.ErrUnit, "个"},
		{"percentage points are not percent", "%", "2个百分点", quantity.ErrUnit, "个百分点"},
		{"multiplied wrong unit", "万人", "13.4万户", quantity.ErrUnit, "万户"},
		{"metric unit that is not a unit", "家家", "3", quantity.ErrUnit, ""},
		{"syntax still wins", "家", "abc", quantity.ErrSyntax, ""},
		{"range still wins", "家", "-5", quantity.ErrRange, ""},
		{"multiplier on percent is syntax", "%", "5万%", quantity.ErrSyntax, ""},
		{"Chinese count word 个 is not 家", "家", "十二个", quantity.ErrUnit, "个"},
		{"rank for a count", "家", "第3", quantity.ErrOrdinal, ""},
		{"rank in 名 for people", "名", "第3名", quantity.ErrOrdinal, ""},
		{"Chinese rank for a count", "家", "第三", quantity.ErrOrdinal, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := quantity.In(tt.in, tt.metric)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("In(%q, %q) = %v, %v; want error %v", tt.in, tt.metric, got, err, tt.kind)
			}
			var qe *quantity.Error
			if !errors.As(err, &qe) {
				t.Fatalf("error %#v is not a *quantity.Error", err)
			}
			if qe.Input != tt.in || qe.Unit != tt.unit {
				t.Errorf("error fields Input=%q Unit=%q, want %q %q", qe.Input, qe.Unit, tt.in, tt.unit)
			}
			if (tt.kind == quantity.ErrUnit || tt.kind == quantity.ErrOrdinal) && qe.Want != tt.metric {
				t.Errorf("error field Want=%q, want %q", qe.Want, tt.metric)
			}
		})
	}
}

func TestUnitErrorNamesBothUnits(t *testing.T) {
	_, err := quantity.In("5%", "家")
	want := `quantity "5%": unit "%" does not fit metric unit "家"`
	if err == nil || err.Error() != want {
		t.Errorf("In error = %v, want %s", err, want)
	}
}

func TestRankReadsOrdinals(t *testing.T) {
	for _, in := range []string{"第3名", "第3", "第 3 名", "3名", "3", "３", "第三名", "第三", "三名", "3位"} {
		got, err := quantity.Rank(in, "名")
		if err != nil || got != 3 {
			t.Errorf("Rank(%q) = %v, %v; want 3", in, got, err)
		}
	}
	for _, tt := range []struct {
		in   string
		kind error
	}{
		{"3家", quantity.ErrUnit},
		{"第3家", quantity.ErrSyntax},
		{"第3.5名", quantity.ErrSyntax},
		{"-3", quantity.ErrRange},
		{"abc", quantity.ErrSyntax},
	} {
		if got, err := quantity.Rank(tt.in, "名"); !errors.Is(err, tt.kind) {
			t.Errorf("Rank(%q) = %v, %v; want error %v", tt.in, got, err, tt.kind)
		}
	}
}

func TestSignedReadsEveryMinus(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"-2.1%", -2.1},
		{"−2.1%", -2.1}, // U+2212 MINUS SIGN, as iOS and Word write it
		{"－2.1%", -2.1}, // full-width, from a Chinese keyboard
		{"﹣2.1%", -2.1},
		{"–2.1%", -2.1}, // en dash, from autocorrect
		{"—2.1%", -2.1},
		{"‐2.1%", -2.1},
		{"- 2.1%", -2.1},
		{"负2.1%", -2.1},
		{"下降2.1%", -2.1},
		{"减少 2.1%", -2.1},
		{"下降百分之二点一", -2.1},
		{"2.1%", 2.1},
		{"-0", 0},
		{"８.５％", 8.5},
	}
	for _, tt := range tests {
		got, err := quantity.Signed(tt.in, "%")
		if err != nil || got != tt.want || math.Signbit(got) != math.Signbit(tt.want) {
			t.Errorf("Signed(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		kind error
	}{
		{"--2%", quantity.ErrSyntax},
		{"负-2%", quantity.ErrSyntax},
		{"-2万%", quantity.ErrSyntax},
		{"-2家", quantity.ErrUnit},
		{"-第2", quantity.ErrOrdinal},
		{"负", quantity.ErrSyntax},
	} {
		_, err := quantity.Signed(tt.in, "%")
		var qe *quantity.Error
		if !errors.Is(err, tt.kind) || !errors.As(err, &qe) || qe.Input != tt.in {
			t.Errorf("Signed(%q) error %v; want %v carrying the input as typed", tt.in, err, tt.kind)
		}
	}
}
