package telegramtest_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

// newDialogBot is a small bot in the shape of duban's report dialog: pick a
// department, confirm, saved.
func newDialogBot(t *testing.T, srv *telegramtest.Server) *tg.Bot {
	t.Helper()
	b := newBot(t, srv, tg.WithNotAsyncHandlers(), tg.WithDefaultHandler(func(ctx context.Context, b *tg.Bot, u *tgmodels.Update) {
		if u.Message != nil {
			_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "收到：" + u.Message.Text})
		}
	}))
	b.RegisterHandler(tg.HandlerTypeMessageText, "start", tg.MatchTypeCommand, func(ctx context.Context, b *tg.Bot, u *tgmodels.Update) {
		_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: u.Message.Chat.ID, Text: "请选择部门", ReplyMarkup: keyboard(
			[]tgmodels.InlineKeyboardButton{{Text: "市科协", CallbackData: "dept:1"}},
			[]tgmodels.InlineKeyboardButton{{Text: "市教育局", CallbackData: "dept:2"}},
		)})
	})
	b.RegisterHandler(tg.HandlerTypeCallbackQueryData, "dept:", tg.MatchTypePrefix, func(ctx context.Context, b *tg.Bot, u *tgmodels.Update) {
		q := u.CallbackQuery
		_, _ = b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID})
		if q.Message.Message == nil {
			_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: q.From.ID, Text: "消息已过期"})
			return
		}
		_, _ = b.EditMessageText(ctx, &tg.EditMessageTextParams{
			ChatID: q.Message.Message.Chat.ID, MessageID: q.Message.Message.ID,
			Text: "已选择 " + q.Data + "，确认吗？",
			ReplyMarkup: keyboard([]tgmodels.InlineKeyboardButton{
				{Text: "✅ 确认", CallbackData: "ok:" + q.Data}, {Text: "返回", CallbackData: "back"},
			}),
		})
	})
	b.RegisterHandler(tg.HandlerTypeCallbackQueryData, "ok:", tg.MatchTypePrefix, func(ctx context.Context, b *tg.Bot, u *tgmodels.Update) {
		q := u.CallbackQuery
		_, _ = b.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID, Text: "已保存"})
		_, _ = b.SendMessage(ctx, &tg.SendMessageParams{ChatID: q.From.ID, ParseMode: tgmodels.ParseModeHTML, Text: "<b>已保存</b> &lt;" + q.Data + "&gt;"})
	})
	return b
}

func TestChatScenario(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newDialogBot(t, srv)
	c := srv.Chat(1001, b.ProcessUpdate)

	c.Send("/start")
	if got, want := c.Buttons(), []string{"市科协", "市教育局"}; !slices.Equal(got, want) {
		t.Fatalf("buttons after /start = %q, want %q", got, want)
	}
	c.Tap("科协")
	if got := c.LastText(); got != "已选择 dept:1，确认吗？" {
		t.Errorf("after tapping 市科协: LastText = %q", got)
	}
	if got, want := c.Buttons(), []string{"✅ 确认", "返回"}; !slices.Equal(got, want) {
		t.Errorf("buttons after the edit = %q, want %q", got, want)
	}
	c.Tap("确认")
	if got := c.LastText(); got != "已保存 <ok:dept:1>" {
		t.Errorf("after confirming: LastText = %q (HTML should be rendered)", got)
	}
	if got, want := c.Texts(), []string{"请选择部门", "已保存 <ok:dept:1>"}; !slices.Equal(got, want) {
		t.Errorf("Texts = %q, want %q", got, want)
	}
	c.Send("13.4万人")
	if got := c.LastText(); got != "收到：13.4万人" {
		t.Errorf("after a plain text: LastText = %q", got)
	}

	answers := srv.Calls("answerCallbackQuery")
	if len(answers) != 2 || answers[1].Form.Get("text") != "已保存" {
		t.Errorf("answerCallbackQuery calls = %+v", answers)
	}
	// Message ids are shared by both sides: /start is 1, the keyboard 2.
	if sent := srv.Sent(1001); len(sent) != 4 || sent[1].Form.Get("message_id") != "2" {
		t.Errorf("Sent(1001) = %+v", sent)
	}
}

func TestChatTapDataOnAnUnknownMessageIsInaccessible(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newDialogBot(t, srv)
	c := srv.Chat(1001, b.ProcessUpdate)
	c.TapData("dept:2", 77)
	if got := c.LastText(); got != "消息已过期" {
		t.Errorf("LastText = %q, want the bot's answer to an inaccessible message", got)
	}
}

func TestChatSendAddsCommandEntityInUTF16(t *testing.T) {
	srv := telegramtest.NewServer(t)
	var got []*tgmodels.Update
	c := srv.Chat(2002, func(_ context.Context, u *tgmodels.Update) { got = append(got, u) })

	c.Send("/报告😀 13.4")
	c.Send("进度 13.4")
	if len(got) != 2 {
		t.Fatalf("delivered %d updates, want 2", len(got))
	}
	m := got[0].Message
	want := tgmodels.MessageEntity{Type: tgmodels.MessageEntityTypeBotCommand, Offset: 0, Length: 5}
	if len(m.Entities) != 1 || m.Entities[0] != want {
		t.Errorf("entities = %+v, want %+v", m.Entities, want)
	}
	if m.Chat.ID != 2002 || m.Chat.Type != tgmodels.ChatTypePrivate || m.From == nil || m.From.ID != 2002 || m.ID != 1 {
		t.Errorf("message = %+v from %+v", m, m.From)
	}
	if got[1].ID != got[0].ID+1 || got[1].Message.ID != 2 || len(got[1].Message.Entities) != 0 {
		t.Errorf("second update = %+v", got[1])
	}
}

// fatalTB records Fatalf instead of failing the test.
type fatalTB struct {
	testing.TB
	fatal string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.fatal = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestChatTapFailsTheTest(t *testing.T) {
	tests := []struct {
		name  string
		start bool // whether /start put a keyboard up first
		label string
		want  string
	}{
		{"no keyboard yet", false, "市科协", "no message with an inline keyboard"},
		{"no such button", true, "市财政局", "no button matches"},
		{"ambiguous label", true, "市", "several buttons match"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ftb := &fatalTB{TB: t}
			srv := telegramtest.NewServer(ftb)
			c := srv.Chat(1001, newDialogBot(t, srv).ProcessUpdate)
			if tt.start {
				c.Send("/start")
			}
			done := make(chan struct{})
			go func() {
				defer close(done)
				c.Tap(tt.label)
			}()
			<-done
			if !strings.Contains(ftb.fatal, tt.want) {
				t.Errorf("Fatalf message = %q, want it to contain %q", ftb.fatal, tt.want)
			}
		})
	}
}
