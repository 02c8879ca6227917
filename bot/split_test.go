package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Split at line breaks, nothing lost, no part over the limit, even for a
// line longer than the limit.
func TestSplitLines(t *testing.T) {
	for _, text := range []string{
		"", "一行", strings.Repeat("一二三\n", 50), strings.Repeat("长", 25) + "\n短\n", "a\n" + strings.Repeat("b", 23),
	} {
		parts := splitLines(text, 10)
		if got := strings.Join(parts, ""); got != text {
			t.Errorf("%q: joined %q", text, got)
		}
		for _, p := range parts {
			if utf8.RuneCountInString(p) > 10 || p == "" {
				t.Errorf("%q: part %q", text, p)
			}
		}
	}
}
