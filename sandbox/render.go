package sandbox

import (
	"fmt"
	"io"
	"strings"

	tgmodels "github.com/go-telegram/bot/models"
)

// ANSI styles, used only when the output is a terminal.
const (
	styleHeader = "\x1b[1;36m"
	styleMeta   = "\x1b[2m"
	styleFail   = "\x1b[1;31m"
	styleReset  = "\x1b[0m"
)

// printer writes the transcript.
type printer struct {
	w     io.Writer
	color bool
}

// block renders an output as the transcript shows it: a header naming the
// chat, the text indented, the buttons numbered. :expect matches against it.
func block(o output, chatLabel string) (header, body string) {
	switch o.kind {
	case outEdited:
		header = fmt.Sprintf("✎ %s #%d → %s", labelEdit, o.msgID, chatLabel)
	case outToast:
		header = fmt.Sprintf("→ %s（%s）", chatLabel, labelToast)
	case outFailed:
		header = fmt.Sprintf("⚠ %s → %s", labelRefused, chatLabel)
	default:
		header = fmt.Sprintf("→ %s #%d", chatLabel, o.msgID)
	}
	var b strings.Builder
	for _, line := range strings.Split(o.text, "\n") {
		b.WriteString("  " + line + "\n")
	}
	n := 0
	var rows [][]tgmodels.InlineKeyboardButton
	if o.markup != nil {
		rows = o.markup.InlineKeyboard
	}
	for _, row := range rows {
		cells := make([]string, 0, len(row))
		for _, btn := range row {
			n++
			cell := fmt.Sprintf("[%d] %s", n, btn.Text)
			if btn.URL != "" {
				cell += " ↗ " + btn.URL
			}
			cells = append(cells, cell)
		}
		b.WriteString("  " + strings.Join(cells, "  ") + "\n")
	}
	return header, b.String()
}

func (p printer) output(header, body string) {
	fmt.Fprint(p.w, p.style(styleHeader, header)+"\n"+body)
}

// meta prints a line of the sandbox's own.
func (p printer) meta(format string, a ...any) {
	fmt.Fprintln(p.w, p.style(styleMeta, "· "+fmt.Sprintf(format, a...)))
}

func (p printer) fail(format string, a ...any) {
	fmt.Fprintln(p.w, p.style(styleFail, "✗ "+fmt.Sprintf(format, a...)))
}

func (p printer) plain(s string) { fmt.Fprintln(p.w, s) }

func (p printer) style(style, s string) string {
	if !p.color {
		return s
	}
	return style + s + styleReset
}
