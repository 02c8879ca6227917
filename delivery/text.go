package delivery

import (
	"fmt"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The zh-CN texts the sender writes itself. Everything else it sends was
// written, and worded, by its producers.
const (
	textUnreachable = "⚠️ 消息未能送达\n收件人：%s\n原因：%s\n消息首行：%s"

	labelContact = "%s（%s，Telegram ID %d）" // name, department, id
	labelNamed   = "%s（Telegram ID %d）"
	labelUser    = "Telegram ID %d"
	labelGroup   = "群聊 %d"

	reasonBlocked     = "对方已屏蔽机器人"
	reasonDeactivated = "对方的 Telegram 账号已注销"
	reasonKicked      = "机器人已不在该群中"
	reasonNotFound    = "找不到该聊天（对方可能从未与机器人对话）"
	reasonForbidden   = "机器人无权向该聊天发送消息"
)

// maxQuote is how many characters of the failed message the notice quotes.
const maxQuote = 60

// unreachableReasons maps Telegram's error descriptions to reasons,
// checked in order.
var unreachableReasons = []struct{ match, reason string }{
	{"blocked", reasonBlocked},
	{"deactivated", reasonDeactivated},
	{"kicked", reasonKicked},
	{"not a member", reasonKicked},
	{"chat not found", reasonNotFound},
}

func unreachableReason(err error) string {
	desc := strings.ToLower(err.Error())
	for _, r := range unreachableReasons {
		if strings.Contains(desc, r.match) {
			return r.reason
		}
	}
	return reasonForbidden
}

func unreachableNotice(recipient, reason, quote string) string {
	return fmt.Sprintf(textUnreachable, recipient, reason, quote)
}

func chatLabel(chat int64, name, dept string) string {
	switch {
	case chat < 0:
		return fmt.Sprintf(labelGroup, chat)
	case name != "" && dept != "":
		return fmt.Sprintf(labelContact, name, dept, chat)
	case name != "":
		return fmt.Sprintf(labelNamed, name, chat)
	}
	return fmt.Sprintf(labelUser, chat)
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// firstLine is the first non-empty line of a message as its reader saw it
// (HTML markup removed), cut to maxQuote characters.
func firstLine(text, parseMode string) string {
	if strings.EqualFold(parseMode, "HTML") {
		text = html.UnescapeString(htmlTag.ReplaceAllString(text, ""))
	}
	for line := range strings.Lines(text) {
		if line = strings.TrimSpace(line); line != "" {
			return cut(line, maxQuote)
		}
	}
	return ""
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
