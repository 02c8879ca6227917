package quantity_test

import (
	"math"
	"testing"

	"github.com/duban-bot/duban/quantity"
)

func TestFormatWritesValuesAsPeopleReadThem(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
		want string
	}{
		{134000, "人", "134,000人"},
		{13.4, "万人", "13.4万人"},
		{8.5, "%", "8.5%"},
		{0.03, "%", "0.03%"},
		{5, "家", "5家"},
		{2.0, "", "2"},
		{0, "", "0"},
		{1200, "家", "1200家"},
		{9999, "", "9999"},
		{10000, "", "10,000"},
		{1.64, "", "1.64"},
		{10.59, "亿斤", "10.59亿斤"},
		{1234567.891, "元", "1,234,567.891元"},
		{0.123456, "", "0.123456"},     // typed: shown as typed
		{9999.99996, "", "9999.99996"}, // typed
		{1.234567, "亿元", "1.234567亿元"}, // 12345.67万元 in an 亿元 metric
		{0.1 + 0.2, "", "0.3"},         // computed: 0.30000000000000004 is rounded
		{2.0 / 3, "", "0.6667"},
		{12345.6789012345, "", "12,345.6789"},
		{1e-7 / 3, "", "0.00000003333"}, // small computed values keep four significant digits
		{-1e-25 / 3, "", "0"},
		{1e15, "", "1,000,000,000,000,000"},
		{0.00001, "", "0.00001"}, // was read back as 0
		{-0.00001, "%", "-0.00001%"},
		{-2.5, "%", "-2.5%"},
		{-123456, "元", "-123,456元"},
		{math.NaN(), "家", "NaN家"},
		{math.Inf(1), "", "+Inf"},
	}
	for _, tt := range tests {
		if got := quantity.Format(tt.v, tt.unit); got != tt.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

func TestFormatReadsBackThroughIn(t *testing.T) {
	tests := []struct {
		v    float64
		unit string
	}{
		{134000, "人"},
		{13.4, "万人"},
		{134000, "万人"},
		{8.5, "%"},
		{0.03, "%"},
		{0.3, "‰"},
		{10.59, "亿斤"},
		{1.5, "亿元"},
		{3, "名"},
		{2, "个百分点"},
		{1.64, ""},
		{12000, ""},
		{0, "家"},
		{1234567.8912, "元"},
		{1e15, ""},
		{3000, "千克"},
		{0.00001, ""},
		{0.00001, "%"},
		{1.234567, "亿元"},
		{123456.789, "万人"},
	}
	for _, tt := range tests {
		s := quantity.Format(tt.v, tt.unit)
		got, err := quantity.In(s, tt.unit)
		if err != nil {
			t.Errorf("In(Format(%v, %q) = %q) error: %v", tt.v, tt.unit, s, err)
			continue
		}
		if got != tt.v {
			t.Errorf("In(Format(%v, %q) = %q) = %v, want %v", tt.v, tt.unit, s, got, tt.v)
		}
	}
}
