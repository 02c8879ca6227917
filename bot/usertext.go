package bot

import (
	"strings"
	"unicode"
)

// How much of a user-supplied text a reply quotes, in characters. Names,
// arguments, typed values, notes and reasons come from users; quoted whole
// they could push a reply over Telegram's 4096 characters (and the user would
// get nothing) or, with control and bidi characters, rearrange the text
// around them.
const (
	maxQuotedValue = 20  // a typed value in an error message
	maxQuotedArg   = 30  // a command argument, e.g. a department name
	maxQuotedName  = 32  // a person's name in any message
	maxStoredName  = 64  // a name as stored (Telegram allows 64 per part)
	maxQuotedNote  = 300 // a note or a reason in a list
)

// quote makes a user-supplied text safe to put in a reply: valid UTF-8,
// control and format characters (newlines, tabs, bidi overrides, zero-width
// characters) turned into single spaces, trimmed, and cut to at most n
// characters, an ellipsis marking the cut. Every user text a reply echoes
// goes through it.
func quote(s string, n int) string {
	var b strings.Builder
	space := false
	count := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			count++
			space = false
		}
		b.WriteRune(r)
		count++
		if count > n {
			break
		}
	}
	return shorten(b.String(), n)
}
