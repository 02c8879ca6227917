// Package quantity reads numbers the way department contacts in China type
// them on a phone — "3家", "３．５", "1，200", "13.4万人", "8.5%", "0.3‰",
// "第3名" — and writes them back for read-backs. It is pure: no clock, no I/O,
// no user-facing text (the bot's catalog words the zh-CN messages from the
// fields of *Error).
//
// The grammar is deliberately strict, because a value that is misread is worse
// than one that is asked for again:
//
//	input      = [ "第" ] number [ spaces ] [ multiplier ] [ unit ]
//	           | ( "百分之" | "千分之" ) number                 ("百分之十二" is 12%)
//	number     = digits [ "." digits ] | "." digits          (".5" is 0.5; "5." is refused)
//	           | Chinese numerals                            ("十二", "两千", "一万二", "三百五十", "一百零五", "一点五")
//	digits     = ASCII or full-width digits, optionally grouped by "," or "，" in threes
//	multiplier = [ "百" | "千" ] [ "万" | "亿" | "万亿" ]   ("3百", "2千", "1.2万", "5千万", "1.2万亿", "一点五万")
//	unit       = "%" | "‰" | up to 8 Han characters
//
// Refused: signs (a leading minus in any of its keyboard forms is ErrRange,
// "+" is ErrSyntax; see Signed), scientific notation, NaN/Inf, Chinese
// numerals that need a guess ("两三家", "十几家", "二〇二二", "三百五点五"),
// mixed forms ("1万2", "3十万"), hedges that belong to targets rather than to
// reported values ("5家以上", "5家左右", "约5家"), a doubled unit character
// ("3家家"), a multiplier on "%" or "‰", and values above MaxValue.
// Units that begin with a multiplier character (千克, 千米, 千瓦, 百分点 …) are
// kept whole, so "3千克" is 3 千克 and "50万千瓦" is 500000 千瓦.
package quantity

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"
)

// MaxValue is the largest value Parse accepts, after the multiplier is applied.
// It is far above any plan figure (a city's GDP is about 1e12 元) and well
// inside the range where float64 still holds every integer exactly.
const MaxValue = 1e15

// MaxInputBytes caps what Parse looks at; anything longer is not a number a
// person typed on purpose.
const MaxInputBytes = 256

// maxErrorInputRunes caps how much of the input an *Error carries, so that a
// pasted essay does not end up in logs or in the bot's reply.
const maxErrorInputRunes = 64

// The sentinel kinds of error. Test with errors.Is; errors.As(err, **Error)
// gives the details.
var (
	// ErrSyntax: the text is not a number as people write it.
	ErrSyntax = errors.New("not a number")
	// ErrUnit: the typed unit does not fit the metric's unit.
	ErrUnit = errors.New("unit does not fit")
	// ErrRange: a negative value, or one above MaxValue.
	ErrRange = errors.New("out of range")
	// ErrOrdinal: a rank ("第3") where an amount is wanted; see Rank.
	ErrOrdinal = errors.New("a rank where an amount is wanted")
)

// Error is what Parse and In return on failure. It carries what the bot needs
// to word a zh-CN reply; the wording itself lives in the bot's catalog.
type Error struct {
	Kind  error  // ErrSyntax, ErrUnit, ErrRange or ErrOrdinal
	Input string // the input as typed, cut to 64 characters and made valid UTF-8
	Unit  string // ErrUnit: the multiplier and unit that were typed, e.g. "万人" or "%"
	Want  string // ErrUnit, ErrOrdinal: the metric's unit, e.g. "家"
}

// Error describes the failure in English, for logs.
func (e *Error) Error() string {
	if e.Kind == ErrUnit {
		return fmt.Sprintf("quantity %q: unit %q does not fit metric unit %q", e.Input, e.Unit, e.Want)
	}
	return fmt.Sprintf("quantity %q: %v", e.Input, e.Kind)
}

// Unwrap lets errors.Is match the sentinel kind.
func (e *Error) Unwrap() error { return e.Kind }

// newError builds an *Error with the input cut down to something safe to log
// and to echo back to the user.
func newError(kind error, input string) *Error {
	input = strings.ToValidUTF8(input, "\uFFFD")
	if utf8.RuneCountInString(input) > maxErrorInputRunes {
		input = string([]rune(input)[:maxErrorInputRunes]) + "…"
	}
	return &Error{Kind: kind, Input: input}
}

// Quantity is a number as written, with its multiplier applied and its unit
// word kept.
type Quantity struct {
	// Value is the value with 百/千/万/亿 applied, correctly rounded once from
	// the exact decimal: "0.07百" is exactly 7, "1.13万" exactly 11300.
	Value float64
	// Unit is the unit word left after the number and the multiplier: "家",
	// "人", "%", "‰", "个百分点", or "" for a bare number.
	Unit string
	// Multiplier is the multiplier as typed ("万", "千万", …), "" when none.
	// In uses it to tell "13.4" (in the metric's unit) from "13.4万".
	Multiplier string
	// Ordinal is set when the number was written as a rank: "第3", "第三名".
	// In refuses it; Rank reads it.
	Ordinal bool

	exact *big.Rat
}

// Rat returns the exact value (multiplier applied) as a new big.Rat the
// caller may modify.
func (q Quantity) Rat() *big.Rat {
	if q.exact == nil {
		return new(big.Rat)
	}
	return new(big.Rat).Set(q.exact)
}

// Parse reads one quantity as a person types it. On failure the error is an
// *Error whose Kind is ErrSyntax or ErrRange; Parse never returns a negative,
// infinite or NaN Value.
func Parse(s string) (Quantity, error) {
	if len(s) > MaxInputBytes {
		return Quantity{}, newError(ErrSyntax, s)
	}
	t := strings.TrimSpace(normalize(s))
	if rest, ok := strings.CutPrefix(t, "-"); ok {
		if _, err := parse(rest); err == nil {
			return Quantity{}, newError(ErrRange, s)
		}
		return Quantity{}, newError(ErrSyntax, s)
	}
	q, err := parse(t)
	if err != nil {
		return Quantity{}, newError(err, s)
	}
	return q, nil
}

// parse reads a normalized, trimmed, unsigned input and returns the sentinel
// kind on failure.
func parse(t string) (Quantity, error) {
	if unit, rest, ok := cutPerCent(t); ok {
		return parsePerCent(rest, unit)
	}
	t, ordinal := strings.CutPrefix(t, "第")
	if ordinal {
		t = strings.TrimLeft(t, " ")
	}
	num, scale, rest, ok := scanAnyNumber(t)
	if !ok {
		return Quantity{}, ErrSyntax
	}
	sfx, ok := splitSuffix(strings.TrimLeft(rest, " "))
	if !ok || (scale != "" && (sfx.mult != "" || sfx.unit == "%" || sfx.unit == "‰")) {
		return Quantity{}, ErrSyntax // "一万万", "一万%"
	}
	if scale != "" {
		sfx.mult = scale // the value already holds it; In needs to know it was there
	}
	if ordinal && !fitsOrdinal(num, sfx) {
		return Quantity{}, ErrSyntax
	}
	exact, ok := new(big.Rat).SetString(num)
	if !ok {
		return Quantity{}, ErrSyntax
	}
	exact.Mul(exact, pow10(sfx.exp))
	if exact.Cmp(new(big.Rat).SetFloat64(MaxValue)) > 0 {
		return Quantity{}, ErrRange
	}
	v, _ := exact.Float64()
	return Quantity{Value: v, Unit: sfx.unit, Multiplier: sfx.mult, Ordinal: ordinal, exact: exact}, nil
}

// scanAnyNumber reads digits ("12", "１２", "1,200.5") or Chinese numerals
// ("十二", "一万二", "一点五"); scale is the 万/亿 a Chinese numeral held.
func scanAnyNumber(t string) (num, scale, rest string, ok bool) {
	if num, rest, ok := scanNumber(t); ok {
		return num, "", rest, true
	}
	return scanChinese(t)
}

// cutPerCent reads the spoken percent "百分之十二" (12%) and per mille
// "千分之三" (3‰).
func cutPerCent(t string) (unit, rest string, ok bool) {
	if rest, ok := strings.CutPrefix(t, "百分之"); ok {
		return "%", rest, true
	}
	if rest, ok := strings.CutPrefix(t, "千分之"); ok {
		return "‰", rest, true
	}
	return "", "", false
}

// parsePerCent reads the number after 百分之/千分之: nothing may follow it.
func parsePerCent(t, unit string) (Quantity, error) {
	q, err := parse(strings.TrimLeft(t, " "))
	switch {
	case err != nil:
		return Quantity{}, err
	case q.Unit != "" || q.Multiplier != "" || q.Ordinal:
		return Quantity{}, ErrSyntax
	}
	q.Unit = unit
	return q, nil
}

// fitsOrdinal says whether "第…" may precede this number: only a whole rank,
// with no multiplier, counted in 名 or 位 or nothing.
func fitsOrdinal(num string, sfx suffix) bool {
	if strings.Contains(num, ".") || sfx.mult != "" {
		return false
	}
	return sfx.unit == "" || sfx.unit == "名" || sfx.unit == "位"
}

// pow10 returns 10^exp as a big.Rat.
func pow10(exp int) *big.Rat {
	n := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)
	return new(big.Rat).SetInt(n)
}
