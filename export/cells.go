package export

import (
	"regexp"

	"github.com/xuri/excelize/v2"
)

// plainNumber is a decimal number as a spreadsheet program reads it; such a
// cell may start with a sign and still be data, not a formula.
var plainNumber = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// safeText neutralises a text that Excel, WPS or LibreOffice would run as a
// formula when the file is opened (OWASP "CSV Injection"): a cell starting
// with =, +, -, @, a tab or a carriage return gets a leading single quote,
// unless it is a plain number such as -2.1. Every text in every export goes
// through it, because names come from Telegram users and plans from files.
func safeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '@', '\t', '\r':
		return "'" + s
	case '+', '-':
		if plainNumber.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// safeRecord neutralises every field of a CSV record.
func safeRecord(rec []string) []string {
	out := make([]string, len(rec))
	for i, s := range rec {
		out[i] = safeText(s)
	}
	return out
}

// setRow writes a row of cells, neutralising every text cell: the stream
// writer stores strings as typed inline strings, but WPS still evaluates a
// text that starts like a formula.
func setRow(sw *excelize.StreamWriter, cell string, values []any, opts ...excelize.RowOpts) error {
	safe := make([]any, len(values))
	for i, v := range values {
		switch v := v.(type) {
		case string:
			safe[i] = safeText(v)
		case excelize.Cell:
			if s, ok := v.Value.(string); ok {
				v.Value = safeText(s)
			}
			safe[i] = v
		default:
			safe[i] = v
		}
	}
	return sw.SetRow(cell, safe, opts...)
}
