package scheduler

import (
	"strings"
	"unicode/utf8"
)

// splitText cuts text into parts of at most limit UTF-16 code units, the
// unit Telegram counts message length in (a character outside the Basic
// Multilingual Plane, such as an emoji, counts twice). It cuts at line
// breaks, dropping the break it cuts at, and hard-cuts only a line that is
// longer than limit by itself, never inside a character. Limits below 2
// are raised to 2 so that every character fits. Parts that would be blank
// are dropped, as Telegram refuses an empty message; the result always has
// at least one element.
//
// A line of HTML keeps its tags as long as the renderer closes every tag on
// the line that opens it. Raw HTML is longer than the text Telegram counts,
// so counting it is conservative.
func splitText(text string, limit int) []string {
	limit = max(limit, 2)
	if utf16Len(text) <= limit {
		return []string{text}
	}
	var parts, cur []string
	curLen := 0
	flush := func() {
		if p := strings.Trim(strings.Join(cur, "\n"), "\n"); strings.TrimSpace(p) != "" {
			parts = append(parts, p)
		}
		cur, curLen = nil, 0
	}
	for _, line := range strings.Split(text, "\n") {
		for utf16Len(line) > limit {
			flush()
			var head string
			head, line = cutUnits(line, limit)
			cur, curLen = []string{head}, utf16Len(head)
			flush()
		}
		n := utf16Len(line)
		if len(cur) > 0 && curLen+1+n > limit {
			flush()
		}
		if len(cur) > 0 {
			curLen++
		}
		cur, curLen = append(cur, line), curLen+n
	}
	flush()
	if len(parts) == 0 {
		return []string{""}
	}
	return parts
}

// cutUnits splits s after the longest prefix of whole characters that is at
// most limit UTF-16 code units long, and at least one character.
func cutUnits(s string, limit int) (head, tail string) {
	units := 0
	for i, r := range s {
		units += runeUnits(r)
		if units > limit && i > 0 {
			return s[:i], s[i:]
		}
	}
	return s, ""
}

// utf16Len is the length of s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if r > 0xFFFF && r <= utf8.MaxRune {
		return 2
	}
	return 1
}
