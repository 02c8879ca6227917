package draft

import "strings"

// clause is one stretch of the text between commas, semicolons, colons and
// full stops (punctuation inside quotes does not end a clause), with the
// positions that sit inside quotation marks or book-title marks.
type clause struct {
	text   []rune
	quoted []bool // quoted[i]: text[i] is inside “…”, ‘…’, 「…」, 《…》 or "…"
}

// clauseEnds are the punctuation marks that end a clause. The enumeration
// comma 、 is not one: "开展院士论坛、报告会5场" is one name.
const clauseEnds = "，,；;。：:！!？?\n"

// clauses splits r at clause punctuation outside quotes.
func clauses(r []rune) []clause {
	var out []clause
	depth := 0
	ascii := false
	start := 0
	quoted := make([]bool, 0, len(r))
	flush := func(end int) {
		c := clause{text: r[start:end], quoted: quoted[start:end]}
		c = c.trim()
		if len(c.text) > 0 {
			out = append(out, c)
		}
		start = end + 1
	}
	for i, ch := range r {
		switch {
		case strings.ContainsRune("“‘「『《〈", ch):
			depth++
		case strings.ContainsRune("”’」』》〉", ch):
			depth = max(0, depth-1)
		case ch == '"':
			ascii = !ascii
		}
		inside := depth > 0 || ascii
		quoted = append(quoted, inside)
		if !inside && strings.ContainsRune(clauseEnds, ch) && !groupingComma(r, i) {
			flush(i)
		}
	}
	if start < len(r) {
		flush(len(r))
	}
	return out
}

// trim drops spaces at both ends.
func (c clause) trim() clause {
	for len(c.text) > 0 && isSpace(c.text[0]) {
		c.text, c.quoted = c.text[1:], c.quoted[1:]
	}
	for len(c.text) > 0 && isSpace(c.text[len(c.text)-1]) {
		c.text, c.quoted = c.text[:len(c.text)-1], c.quoted[:len(c.quoted)-1]
	}
	return c
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\u3000' || r == '\r' || r == '\n' }

// indexOut returns the rune index of the first occurrence of word in c that
// starts outside quotes, at or after from; -1 when there is none.
func (c clause) indexOut(word string, from int) int {
	for i := max(from, 0); i < len(c.text); i++ {
		if !c.quoted[i] && c.hasAt(i, word) {
			return i
		}
	}
	return -1
}

// hasAt reports whether word starts at rune index i of c.
func (c clause) hasAt(i int, word string) bool {
	if i < 0 {
		return false
	}
	for _, r := range word {
		if i >= len(c.text) || c.text[i] != r {
			return false
		}
		i++
	}
	return true
}

// splitOut splits s at any of the separators, outside quotes.
func splitOut(s string, seps string) []string {
	var out []string
	var cur []rune
	depth := 0
	for _, ch := range s {
		switch {
		case strings.ContainsRune("“‘「『《〈", ch):
			depth++
		case strings.ContainsRune("”’」』》〉", ch):
			depth = max(0, depth-1)
		}
		if depth == 0 && strings.ContainsRune(seps, ch) {
			out = append(out, string(cur))
			cur = nil
			continue
		}
		cur = append(cur, ch)
	}
	return append(out, string(cur))
}

// groupingComma reports whether r[i] is an ASCII comma grouping the digits
// of a number (1,200), which does not end a clause.
func groupingComma(r []rune, i int) bool {
	return r[i] == ',' && isDigitAt(r, i-1) && isDigitAt(r, i+1) && isDigitAt(r, i+2) && isDigitAt(r, i+3) && !isDigitAt(r, i+4)
}
