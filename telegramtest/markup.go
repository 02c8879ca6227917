package telegramtest

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	tgmodels "github.com/go-telegram/bot/models"
)

// Telegram's limits, counted in characters after entity parsing. The fake
// counts Unicode code points; Telegram counts UTF-16 units, which differs only
// for characters outside the BMP (most emoji).
const (
	maxTextLen         = 4096
	maxCaptionLen      = 1024
	maxCallbackDataLen = 64 // bytes, not characters
	maxCallbackTextLen = 200
)

// htmlTag matches a tag of Telegram's HTML parse mode.
var htmlTag = regexp.MustCompile(`<[^>]*>`)

// keyboard is a parsed reply_markup: the inline keyboard a message carries.
type keyboard struct {
	markup *tgmodels.InlineKeyboardMarkup // nil when the message has none
	key    string                         // normalised JSON, for "not modified"
}

// parseMarkup reads reply_markup. Only inline keyboards stay attached to a
// message; reply keyboards and removals are accepted and not stored.
func parseMarkup(raw string) (keyboard, *apiError) {
	if raw == "" || raw == "null" {
		return keyboard{}, nil
	}
	var probe struct {
		InlineKeyboard [][]tgmodels.InlineKeyboardButton `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &probe); err != nil {
		return keyboard{}, badRequest("can't parse reply keyboard markup JSON object")
	}
	if len(probe.InlineKeyboard) == 0 {
		return keyboard{}, nil
	}
	for _, row := range probe.InlineKeyboard {
		for _, b := range row {
			if apiErr := checkButton(b); apiErr != nil {
				return keyboard{}, apiErr
			}
		}
	}
	markup := &tgmodels.InlineKeyboardMarkup{InlineKeyboard: probe.InlineKeyboard}
	key, _ := json.Marshal(markup)
	return keyboard{markup: markup, key: string(key)}, nil
}

func checkButton(b tgmodels.InlineKeyboardButton) *apiError {
	if strings.TrimSpace(b.Text) == "" {
		return badRequest("can't parse inline keyboard button: Text must be non-empty")
	}
	if len(b.CallbackData) > maxCallbackDataLen {
		return badRequest("BUTTON_DATA_INVALID")
	}
	if b.CallbackData == "" && b.URL == "" && b.WebApp == nil && b.LoginURL == nil &&
		b.SwitchInlineQuery == "" && b.SwitchInlineQueryCurrentChat == "" &&
		b.SwitchInlineQueryChosenChat == nil && b.CopyText.Text == "" &&
		b.CallbackGame == nil && !b.Pay {
		return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
	}
	return nil
}

// renderText returns the text a user sees: Telegram strips the markup of the
// HTML parse mode. MarkdownV2 and Markdown are kept as sent.
func renderText(raw, parseMode string) string {
	if strings.EqualFold(parseMode, "HTML") {
		return html.UnescapeString(htmlTag.ReplaceAllString(raw, ""))
	}
	return raw
}

// checkText validates a message text after rendering.
func checkText(text string) *apiError {
	if strings.TrimSpace(text) == "" {
		return badRequest("message text is empty")
	}
	if utf8.RuneCountInString(text) > maxTextLen {
		return badRequest("message is too long")
	}
	return nil
}

// checkCaption validates a media caption after rendering.
func checkCaption(caption string) *apiError {
	if utf8.RuneCountInString(caption) > maxCaptionLen {
		return badRequest("message caption is too long")
	}
	return nil
}

// buttonLabels lists the labels of an inline keyboard row by row.
func buttonLabels(markup *tgmodels.InlineKeyboardMarkup) []string {
	if markup == nil {
		return nil
	}
	var labels []string
	for _, row := range markup.InlineKeyboard {
		for _, b := range row {
			labels = append(labels, b.Text)
		}
	}
	return labels
}
