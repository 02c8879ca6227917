package planfile

import (
	"strings"
	"unicode"
)

// formulaStarts are the first characters that make Excel, WPS or LibreOffice
// read a cell as a formula (OWASP "CSV Injection").
const formulaStarts = "=+-@\t\r"

// neutralise prefixes user text that a spreadsheet would run as a formula
// with a single quote, the usual escape, so the cell shows as text.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune(formulaStarts, rune(s[0])) {
		return "'" + s
	}
	return s
}

// restore undoes neutralise: a leading quote is dropped only when a formula
// character follows it. The rule costs one thing, stated in the README: a
// text that really starts with a quote and then = + - @ loses the quote;
// plan documents have no such text.
func restore(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune(formulaStarts, rune(s[1])) {
		return s[1:]
	}
	return s
}

// printable replaces the characters of user text that would act on a
// terminal or reorder a line (control characters, bidi overrides) before a
// message quoting it is printed.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return '\uFFFD'
		}
		return r
	}, s)
}
