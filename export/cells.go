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
// text that starts like a formula. It changes values in place (every caller
// builds the row for this call), and only the cells whose text changes: a
// city's metric sheet has 850,000 cells, and copying each into a new
// interface value was a tenth of the sheet's time.
func setRow(sw *excelize.StreamWriter, cell string, values []any, opts ...excelize.RowOpts) error {
	for i, v := range values {
		switch v := v.(type) {
		case string:
			if safe := safeText(v); safe != v {
				values[i] = safe
			}
		case excelize.Cell:
			if s, ok := v.Value.(string); ok {
				if safe := safeText(s); safe != s {
					v.Value = safe
					values[i] = v
				}
			}
		case *excelize.Cell:
			if s, ok := v.Value.(string); ok {
				if safe := safeText(s); safe != s {
					v.Value = safe
				}
			}
		}
	}
	return sw.SetRow(cell, values, opts...)
}
