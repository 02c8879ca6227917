package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

// output is one thing the bot did that a user sees: a message sent, a
// message edited, a callback's pop-up, or a call Telegram refused.
type output struct {
	kind   outputKind
	chat   int64
	msgID  int
	text   string
	markup *tgmodels.InlineKeyboardMarkup
}

type outputKind int

const (
	outSent outputKind = iota
	outEdited
	outToast
	outFailed
)

// recorder collects the bot's outputs from the fake Bot API's call hook.
type recorder struct {
	srv *telegramtest.Server

	mu      sync.Mutex
	all     []output
	printed int             // outputs before this index have been printed
	touched map[int64][]int // per chat, message ids in the order they were sent or edited
}

func newRecorder(srv *telegramtest.Server) *recorder {
	return &recorder{srv: srv, touched: map[int64][]int{}}
}

// observe runs on the fake server for every call, before the bot's request
// returns, so a step's outputs are all recorded when the step returns.
func (r *recorder) observe(c telegramtest.Call) {
	o, ok := r.outputOf(c)
	if !ok {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.all = append(r.all, o)
	if o.msgID != 0 {
		r.touched[o.chat] = append(r.touched[o.chat], o.msgID)
	}
}

func (r *recorder) outputOf(c telegramtest.Call) (output, bool) {
	chat, _ := strconv.ParseInt(c.Form.Get("chat_id"), 10, 64)
	if c.Status != http.StatusOK {
		if c.Method == "getUpdates" {
			return output{}, false
		}
		return output{kind: outFailed, chat: chat, text: fmt.Sprintf("%s: %d %s", c.Method, c.Status, c.Description)}, true
	}
	switch c.Method {
	case "answerCallbackQuery":
		text := c.Form.Get("text")
		return output{kind: outToast, text: text}, text != ""
	case "sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup":
	default:
		return output{}, false
	}
	msg, ok := r.srv.Message(chat, c.MessageID)
	if !ok {
		return output{}, false
	}
	o := output{kind: outSent, chat: chat, msgID: msg.ID, text: messageText(msg), markup: msg.ReplyMarkup}
	if strings.HasPrefix(c.Method, "edit") {
		o.kind = outEdited
	}
	return o, true
}

// messageText is what the user reads: the text, or the attachment and its caption.
func messageText(m *tgmodels.Message) string {
	switch {
	case m.Document != nil:
		return strings.TrimSpace(fmt.Sprintf("📎 %s (%d bytes)\n%s", m.Document.FileName, m.Document.FileSize, m.Caption))
	case len(m.Photo) > 0:
		return strings.TrimSpace("🖼 " + m.Caption)
	}
	return m.Text
}

// unprinted returns the outputs not printed yet and marks them printed.
func (r *recorder) unprinted() []output {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := append([]output(nil), r.all[r.printed:]...)
	r.printed = len(r.all)
	return out
}

// since returns the outputs from index i on, and the index after them.
func (r *recorder) since(i int) ([]output, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]output(nil), r.all[min(i, len(r.all)):]...), len(r.all)
}

// keyboard returns the chat's newest message, by send or edit, that has
// buttons now.
func (r *recorder) keyboard(chat int64) (*tgmodels.Message, bool) {
	r.mu.Lock()
	ids := append([]int(nil), r.touched[chat]...)
	r.mu.Unlock()
	for i := len(ids) - 1; i >= 0; i-- {
		m, ok := r.srv.Message(chat, ids[i])
		if ok && m.ReplyMarkup != nil && len(m.ReplyMarkup.InlineKeyboard) > 0 {
			return m, true
		}
	}
	return nil, false
}

// buttons lists a keyboard's buttons row by row, in the order they are numbered.
func buttons(markup *tgmodels.InlineKeyboardMarkup) []tgmodels.InlineKeyboardButton {
	if markup == nil {
		return nil
	}
	var out []tgmodels.InlineKeyboardButton
	for _, row := range markup.InlineKeyboard {
		out = append(out, row...)
	}
	return out
}
