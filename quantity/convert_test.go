package quantity_test

import (
	"errors"
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
		{"名", "第3名", 3},
		{"名", "第3", 3},
		{"名", "3名", 3},
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
			if tt.kind == quantity.ErrUnit && qe.Want != tt.metric {
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
