package bot

import "strings"

// splitLines cuts text into messages of at most limit characters, at line
// breaks; a single longer line is cut where it reaches the limit.
func splitLines(text string, limit int) []string {
	var parts []string
	var cur []rune
	for _, line := range strings.SplitAfter(text, "\n") {
		r := []rune(line)
		if len(cur)+len(r) > limit && len(cur) > 0 {
			parts, cur = append(parts, string(cur)), nil
		}
		for len(r) > limit {
			parts, r = append(parts, string(r[:limit])), r[limit:]
		}
		cur = append(cur, r...)
	}
	if len(cur) > 0 {
		parts = append(parts, string(cur))
	}
	return parts
}
