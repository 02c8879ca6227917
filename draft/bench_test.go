package draft_test

import (
	"strings"
	"testing"

	"github.com/duban-bot/duban/draft"
)

// BenchmarkLongText: a pasted essay of 4,000 characters (the cap) full of
// figures.
func BenchmarkLongText(b *testing.B) {
	text := strings.Repeat("1、", 2000)
	for b.Loop() {
		draft.Metrics(text)
	}
}
