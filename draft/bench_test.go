package draft_test

import (
	"strings"
	"testing"

	"github.com/duban-bot/duban/draft"
)

// BenchmarkLongText: the reader stays linear on a pasted essay (the text is
// capped at 4,000 characters).
func BenchmarkLongText(b *testing.B) {
	text := strings.Repeat("新建市级博士创新站25家，增长12%、力争全省排名前3；", 400)
	for b.Loop() {
		draft.Metrics(text)
	}
}
