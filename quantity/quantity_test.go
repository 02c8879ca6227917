package quantity_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/duban-bot/duban/quantity"
)

// parseCase is one spelling a contact may type and what Parse makes of it.
type parseCase struct {
	in         string
	value      float64
	unit, mult string
}

// parseCases is shared with FuzzParse as its seed corpus.
func parseCases() []parseCase {
	return []parseCase{
		{"3", 3, "", ""},
		{"3家", 3, "家", ""},
		{"３", 3, "", ""},
		{"３．５", 3.5, "", ""},
		{"1,200", 1200, "", ""},
		{"1，200", 1200, "", ""},
		{"12,000,000", 12000000, "", ""},
		{"1,200.5元", 1200.5, "元", ""},
		{"1.2万", 12000, "", "万"},
		{"13.4万人", 134000, "人", "万"},
		{"13.4 万人", 134000, "人", "万"},
		{"10.59亿斤", 1059000000, "斤", "亿"},
		{"8.5%", 8.5, "%", ""},
		{"８.５％", 8.5, "%", ""},
		{"0.3‰", 0.3, "‰", ""},
		{" 5 家 ", 5, "家", ""},
		{"\u30005家\u3000", 5, "家", ""}, // ideographic spaces from a Chinese keyboard
		{"2千", 2000, "", "千"},
		{"3百", 300, "", "百"},
		{"1.5亿元", 150000000, "元", "亿"},
		{"5千万元", 50000000, "元", "千万"},
		{"1.2万亿", 1.2e12, "", "万亿"},
		{"0", 0, "", ""},
		{"0.0", 0, "", ""},
		{".5", 0.5, "", ""}, // the leading zero is often left out; the read-back shows 0.5
		{"007", 7, "", ""},
		{"第3名", 3, "名", ""},
		{"第 3 名", 3, "名", ""},
		{"第3", 3, "", ""},
		{"3名", 3, "名", ""},
		{"2个百分点", 2, "个百分点", ""},
		{"2百分点", 2, "百分点", ""},
		{"3千克", 3, "千克", ""},
		{"50万千瓦", 500000, "千瓦", "万"},
		{"12.5万平方米", 125000, "平方米", "万"},
		{"3人次", 3, "人次", ""},
		{"1000000000000000", 1e15, "", ""},
		// Value is rounded once from the exact decimal, not computed in floats
		// (0.07*100 is 7.000000000000001 and 1.13*10000 is 11299.999999999998).
		{"0.07百", 7, "", "百"},
		{"1.13万", 11300, "", "万"},
		{"0.1", 0.1, "", ""},
		// Chinese numerals, as a contact on a phone says the number.
		{"十二家", 12, "家", ""},
		{"十二", 12, "", ""},
		{"十", 10, "", ""},
		{"两家", 2, "家", ""},
		{"两千", 2000, "", ""},
		{"三百五十", 350, "", ""},
		{"三百五", 350, "", ""}, // the last digit takes the next lower place
		{"一百零五", 105, "", ""},
		{"一千零五十", 1050, "", ""},
		{"一百一十", 110, "", ""},
		{"一万二", 12000, "", "万"},
		{"一万零五百", 10500, "", "万"},
		{"十二万五", 125000, "", "万"},
		{"二十万人", 200000, "人", "万"},
		{"五千万元", 50000000, "元", "万"},
		{"一亿五千万", 150000000, "", "亿"},
		{"三万亿", 3e12, "", "万亿"},
		{"一点五万", 15000, "", "万"},
		{"十二点五", 12.5, "", ""},
		{"三点一四", 3.14, "", ""},
		{"零点零五", 0.05, "", ""},
		{"零", 0, "", ""},
		{"〇", 0, "", ""},
		{"五百千克", 500, "千克", ""},
		{"二个百分点", 2, "个百分点", ""},
		{"百分之十二", 12, "%", ""},
		{"百分之8.5", 8.5, "%", ""},
		{"百分之一点五", 1.5, "%", ""},
		{"千分之三", 3, "‰", ""},
		{"第三名", 3, "名", ""},
		{"第十二", 12, "", ""},
		{"0.00001", 0.00001, "", ""},
	}
}

func TestParseReadsWhatContactsType(t *testing.T) {
	for _, tt := range parseCases() {
		t.Run(tt.in, func(t *testing.T) {
			q, err := quantity.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.in, err)
			}
			if q.Value != tt.value || q.Unit != tt.unit || q.Multiplier != tt.mult {
				t.Errorf("Parse(%q) = {%v %q %q}, want {%v %q %q}", tt.in, q.Value, q.Unit, q.Multiplier, tt.value, tt.unit, tt.mult)
			}
		})
	}
}

func TestParseKeepsTheExactDecimal(t *testing.T) {
	q, err := quantity.Parse("13.4万人")
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Rat().RatString(); got != "134000" {
		t.Errorf("Rat() = %s, want 134000", got)
	}
	q.Rat().SetInt64(1) // the copy is the caller's
	if got := q.Rat().RatString(); got != "134000" {
		t.Errorf("Rat() after modifying a copy = %s, want 134000", got)
	}
	if got := (quantity.Quantity{}).Rat().RatString(); got != "0" {
		t.Errorf("zero Quantity Rat() = %s, want 0", got)
	}
}

// refusedCase is an input Parse must refuse, and the kind of error it gives.
type refusedCase struct {
	name, in string
	kind     error
}

// refusedCases is shared with FuzzParse as its seed corpus.
func refusedCases() []refusedCase {
	return []refusedCase{
		{"letters", "abc", quantity.ErrSyntax},
		{"negative", "-5", quantity.ErrRange},
		{"full-width negative", "－5%", quantity.ErrRange},
		{"negative zero", "-0", quantity.ErrRange},
		{"minus then junk", "-abc", quantity.ErrSyntax},
		{"plus sign", "+5", quantity.ErrSyntax},
		{"huge exponent", "1e999", quantity.ErrSyntax},
		{"scientific notation", "1e5", quantity.ErrSyntax},
		{"NaN", "NaN", quantity.ErrSyntax},
		{"Inf", "Inf", quantity.ErrSyntax},
		{"hex", "0x10", quantity.ErrSyntax},
		{"fraction bar", "1/2", quantity.ErrSyntax},
		{"double percent", "12%%", quantity.ErrSyntax},
		{"5000 digits", strings.Repeat("1", 5000), quantity.ErrSyntax},
		{"SQL", "'; DROP TABLE reports; --", quantity.ErrSyntax},
		{"emoji", "👍", quantity.ErrSyntax},
		{"number and emoji", "5👍", quantity.ErrSyntax},
		{"empty", "", quantity.ErrSyntax},
		{"only spaces", "  \u3000 ", quantity.ErrSyntax},
		{"two dots", "1.2.3", quantity.ErrSyntax},
		{"trailing dot", "5.", quantity.ErrSyntax},
		{"Chinese full stop as dot", "1。5", quantity.ErrSyntax},
		{"short group", "1,20", quantity.ErrSyntax},
		{"long group", "1,2000", quantity.ErrSyntax},
		{"leading comma", ",200", quantity.ErrSyntax},
		{"zero first group", "0,200", quantity.ErrSyntax},
		{"space inside number", "1 200", quantity.ErrSyntax},
		{"twenty full-width digits", "１２３４５６７８９０１２３４５６７８９０", quantity.ErrRange},
		{"just above the cap", "1000000000000000.1", quantity.ErrRange},
		{"above the cap by multiplier", "10.1万亿亿", quantity.ErrSyntax},
		{"cap by multiplier", "1001万亿", quantity.ErrRange},
		{"doubled unit", "3家家", quantity.ErrSyntax},
		{"multiplier alone", "万", quantity.ErrSyntax},
		{"unit alone", "家", quantity.ErrSyntax},
		{"target hedge 以上", "5家以上", quantity.ErrSyntax},
		{"target hedge 左右", "5家左右", quantity.ErrSyntax},
		{"target hedge 约", "约5家", quantity.ErrSyntax},
		{"target hedge 多", "5万多人", quantity.ErrSyntax},
		{"Chinese numerals in a row", "两三家", quantity.ErrSyntax},
		{"Chinese hedge 几", "十几家", quantity.ErrSyntax},
		{"Chinese hedge 多", "十多家", quantity.ErrSyntax},
		{"Chinese hedge 来", "二十来家", quantity.ErrSyntax},
		{"year in Chinese digits", "二〇二二", quantity.ErrSyntax},
		{"zero after a digit", "二零", quantity.ErrSyntax},
		{"two scales", "一万万", quantity.ErrSyntax},
		{"rising scales", "一亿万", quantity.ErrSyntax},
		{"rising places", "一十百", quantity.ErrSyntax},
		{"place without digit", "百", quantity.ErrSyntax},
		{"guessed place before a point", "三百五点五", quantity.ErrSyntax},
		{"scale before a point", "一万点五", quantity.ErrSyntax},
		{"time of day", "五点", quantity.ErrSyntax},
		{"mixed forms", "1万2", quantity.ErrSyntax},
		{"percent after a Chinese scale", "一万%", quantity.ErrSyntax},
		{"per cent twice", "百分之十二%", quantity.ErrSyntax},
		{"per cent alone", "百分之", quantity.ErrSyntax},
		{"per cent with a unit", "百分之十二家", quantity.ErrSyntax},
		{"Chinese above the cap", "一千万亿零一", quantity.ErrRange},
		{"minus sign U+2212", "−2.1%", quantity.ErrRange},
		{"en dash", "–5", quantity.ErrRange},
		{"numeral in unit", "3十万", quantity.ErrSyntax},
		{"multiplier on percent", "5万%", quantity.ErrSyntax},
		{"latin unit", "5km", quantity.ErrSyntax},
		{"w for 万", "1.2w", quantity.ErrSyntax},
		{"ordinal with other unit", "第3家", quantity.ErrSyntax},
		{"ordinal with fraction", "第3.5名", quantity.ErrSyntax},
		{"ordinal with multiplier", "第3万名", quantity.ErrSyntax},
		{"long unit", "5一二三四五六七八九", quantity.ErrSyntax},
		{"nine-character unit", "5平方米平方米平方米", quantity.ErrSyntax},
		{"NUL byte", "5\x00", quantity.ErrSyntax},
		{"invalid UTF-8", "5\xff", quantity.ErrSyntax},
		{"trailing full stop", "5家。", quantity.ErrSyntax},
	}
}

func TestParseRefusesWhatIsNotAValue(t *testing.T) {
	for _, tt := range refusedCases() {
		t.Run(tt.name, func(t *testing.T) {
			q, err := quantity.Parse(tt.in)
			if !errors.Is(err, tt.kind) {
				t.Fatalf("Parse(%q) = %+v, %v; want error %v", tt.in, q, err, tt.kind)
			}
			var qe *quantity.Error
			if !errors.As(err, &qe) || qe.Kind != tt.kind {
				t.Fatalf("Parse(%q) error %#v is not a *quantity.Error of kind %v", tt.in, err, tt.kind)
			}
			if q != (quantity.Quantity{}) {
				t.Errorf("Parse(%q) returned %+v with its error, want the zero Quantity", tt.in, q)
			}
		})
	}
}

func TestErrorCarriesASafeInput(t *testing.T) {
	_, err := quantity.Parse(strings.Repeat("家", 5000))
	var qe *quantity.Error
	if !errors.As(err, &qe) {
		t.Fatalf("error %v is not a *quantity.Error", err)
	}
	if want := strings.Repeat("家", 64) + "…"; qe.Input != want {
		t.Errorf("Input = %q (%d bytes), want 64 characters and an ellipsis", qe.Input, len(qe.Input))
	}
	_, err = quantity.Parse("5\xff")
	if !errors.As(err, &qe) || qe.Input != "5\uFFFD" {
		t.Errorf("Input for invalid UTF-8 = %q, want %q", qe.Input, "5\uFFFD")
	}
	if got, want := qe.Error(), "quantity \"5\uFFFD\": not a number"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
