package bot

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestQuoteMakesUserTextSafeToEcho(t *testing.T) {
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"plain", "市科协", 30, "市科协"},
		{"cut with an ellipsis", strings.Repeat("长", 5000), 5, "长长长长…"},
		{"exactly the limit", "12345", 5, "12345"},
		{"newlines and tabs become one space", "张\n\n三\t王", 30, "张 三 王"},
		{"bidi override", "abc\u202edcba", 30, "abc dcba"},
		{"zero-width characters", "a\u200bb\u2060c", 30, "a b c"},
		{"NUL and escape", "a\x00b\x1b[31mc", 30, "a b [31mc"},
		{"invalid UTF-8", "a\xffb", 30, "a\uFFFDb"},
		{"only control characters", "\n\t\u202e", 30, ""},
		{"spaces trimmed", "  名字  ", 30, "名字"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := quote(tt.in, tt.n)
			if got != tt.want {
				t.Errorf("quote(%.40q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
			}
			if !utf8.ValidString(got) || utf8.RuneCountInString(got) > tt.n {
				t.Errorf("quote gave %q: invalid or longer than %d", got, tt.n)
			}
		})
	}
}
