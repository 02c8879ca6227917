package telegramtest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

// newBot returns a go-telegram client talking to srv.
func newBot(t *testing.T, srv *telegramtest.Server, opts ...tg.Option) *tg.Bot {
	t.Helper()
	opts = append([]tg.Option{tg.WithServerURL(srv.URL()), tg.WithSkipGetMe()}, opts...)
	b, err := tg.New(telegramtest.Token, opts...)
	if err != nil {
		t.Fatalf("tg.New: %v", err)
	}
	return b
}

func keyboard(rows ...[]tgmodels.InlineKeyboardButton) *tgmodels.InlineKeyboardMarkup {
	return &tgmodels.InlineKeyboardMarkup{InlineKeyboard: rows}
}

func TestSendMessageIsAnsweredAndRecorded(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	ctx := t.Context()

	first, err := b.SendMessage(ctx, &tg.SendMessageParams{
		ChatID:      int64(1001),
		Text:        "请选择部门",
		ReplyMarkup: keyboard([]tgmodels.InlineKeyboardButton{{Text: "市科协", CallbackData: "dept:1"}}),
	})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	second, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(1001), Text: "第二条"})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}

	if first.ID != 1 || second.ID != 2 {
		t.Errorf("message ids = %d, %d; want 1, 2", first.ID, second.ID)
	}
	if first.Chat.ID != 1001 || first.Chat.Type != tgmodels.ChatTypePrivate || first.From == nil || first.From.ID != telegramtest.BotUserID {
		t.Errorf("first message chat/from = %+v / %+v", first.Chat, first.From)
	}
	if first.ReplyMarkup == nil || first.ReplyMarkup.InlineKeyboard[0][0].CallbackData != "dept:1" {
		t.Errorf("first message reply markup = %+v", first.ReplyMarkup)
	}

	calls := srv.Calls("sendMessage")
	if len(calls) != 2 {
		t.Fatalf("recorded %d sendMessage calls, want 2", len(calls))
	}
	form := calls[0].Form
	if form.Get("chat_id") != "1001" || form.Get("text") != "请选择部门" || calls[0].Status != http.StatusOK {
		t.Errorf("recorded call = %+v", calls[0])
	}
	var markup tgmodels.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(form.Get("reply_markup")), &markup); err != nil || markup.InlineKeyboard[0][0].Text != "市科协" {
		t.Errorf("reply_markup field = %q (%v)", form.Get("reply_markup"), err)
	}
	if got := srv.Sent(1001); len(got) != 2 || got[1].Form.Get("text") != "第二条" {
		t.Errorf("Sent(1001) = %+v", got)
	}
	if got := srv.Sent(1002); len(got) != 0 {
		t.Errorf("Sent(1002) = %+v, want none", got)
	}
}

func TestInjectedFailuresMapToLibraryErrors(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	send := func(chatID int64) error {
		_, err := b.SendMessage(t.Context(), &tg.SendMessageParams{ChatID: chatID, Text: "提醒"})
		return err
	}

	srv.FailNext("sendMessage", http.StatusTooManyRequests, 7)
	err := send(1)
	var flood *tg.TooManyRequestsError
	if !errors.As(err, &flood) || flood.RetryAfter != 7 {
		t.Fatalf("after FailNext 429: err = %v, want *TooManyRequestsError with RetryAfter 7", err)
	}
	if !strings.Contains(err.Error(), "Too Many Requests: retry after 7") {
		t.Errorf("429 description = %q", err.Error())
	}
	if err := send(1); err != nil {
		t.Fatalf("the call after a one-shot failure: %v", err)
	}

	srv.FailNext("sendMessage", http.StatusForbidden, 0)
	if err := send(1); !errors.Is(err, tg.ErrorForbidden) {
		t.Errorf("after FailNext 403: err = %v, want ErrorForbidden", err)
	}

	srv.BlockChat(2)
	for range 2 {
		if err := send(2); !errors.Is(err, tg.ErrorForbidden) || !strings.Contains(err.Error(), "bot was blocked by the user") {
			t.Errorf("send to blocked chat: err = %v", err)
		}
	}
	if err := send(3); err != nil {
		t.Errorf("send to another chat: %v", err)
	}

	srv.FailNext("sendMessage", http.StatusInternalServerError, 0)
	if err := send(1); err == nil || errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "500") {
		t.Errorf("after FailNext 500: err = %v", err)
	}

	statuses := []int{}
	for _, c := range srv.Calls("sendMessage") {
		statuses = append(statuses, c.Status)
	}
	want := []int{429, 200, 403, 403, 403, 200, 500}
	if !slices.Equal(statuses, want) {
		t.Errorf("recorded statuses = %v, want %v", statuses, want)
	}
}

func TestFailRateFailsEveryNthCall(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	srv.FailRate("sendMessage", http.StatusTooManyRequests, 3, 3)

	var failed []int
	for i := 1; i <= 7; i++ {
		_, err := b.SendMessage(t.Context(), &tg.SendMessageParams{ChatID: int64(i), Text: "x"})
		var flood *tg.TooManyRequestsError
		if errors.As(err, &flood) && flood.RetryAfter == 3 {
			failed = append(failed, i)
		} else if err != nil {
			t.Fatalf("call %d: unexpected error %v", i, err)
		}
	}
	if !slices.Equal(failed, []int{3, 6}) {
		t.Errorf("failed calls = %v, want [3 6]", failed)
	}
}

func TestRequestValidation(t *testing.T) {
	long65 := strings.Repeat("a", 65)
	cnData := strings.Repeat("中", 22) // 66 bytes, 22 characters
	tests := []struct {
		name    string
		params  *tg.SendMessageParams
		wantErr string // "" = accepted
	}{
		{"plain text", &tg.SendMessageParams{ChatID: 1, Text: "你好"}, ""},
		{"empty text", &tg.SendMessageParams{ChatID: 1, Text: " "}, "message text is empty"},
		{"4096 characters", &tg.SendMessageParams{ChatID: 1, Text: strings.Repeat("字", 4096)}, ""},
		{"4097 characters", &tg.SendMessageParams{ChatID: 1, Text: strings.Repeat("字", 4097)}, "message is too long"},
		{"HTML counted after parsing", &tg.SendMessageParams{ChatID: 1, ParseMode: tgmodels.ParseModeHTML, Text: "<b>" + strings.Repeat("字", 4096) + "</b>"}, ""},
		{"missing chat_id", &tg.SendMessageParams{Text: "x"}, "chat_id is empty"},
		{"callback_data 64 bytes", &tg.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: keyboard([]tgmodels.InlineKeyboardButton{{Text: "a", CallbackData: long65[:64]}})}, ""},
		{"callback_data 65 bytes", &tg.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: keyboard([]tgmodels.InlineKeyboardButton{{Text: "a", CallbackData: long65}})}, "BUTTON_DATA_INVALID"},
		{"callback_data 22 characters but 66 bytes", &tg.SendMessageParams{ChatID: 1, Text: "x", ReplyMarkup: keyboard([]tgmodels.InlineKeyboardButton{{Text: "a", CallbackData: cnData}})}, "BUTTON_DATA_INVALID"},
	}
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.SendMessage(t.Context(), tt.params)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("err = %v, want accepted", err)
			case tt.wantErr != "" && (!errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "Bad Request: "+tt.wantErr)):
				t.Errorf("err = %v, want 400 %q", err, tt.wantErr)
			}
		})
	}
}

func TestEditMessageText(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	ctx := t.Context()
	kb := keyboard([]tgmodels.InlineKeyboardButton{{Text: "确认", CallbackData: "ok"}})
	sent, err := b.SendMessage(ctx, &tg.SendMessageParams{ChatID: int64(7), Text: "草稿", ReplyMarkup: kb})
	if err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	edit := func(id int, text string, markup tgmodels.ReplyMarkup) (*tgmodels.Message, error) {
		return b.EditMessageText(ctx, &tg.EditMessageTextParams{ChatID: int64(7), MessageID: id, Text: text, ReplyMarkup: markup})
	}

	if _, err := edit(sent.ID, "草稿", kb); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "message is not modified") {
		t.Errorf("identical edit: err = %v, want 400 message is not modified", err)
	}
	if _, err := edit(99, "新", nil); !errors.Is(err, tg.ErrorBadRequest) || !strings.Contains(err.Error(), "message to edit not found") {
		t.Errorf("edit of unknown message: err = %v", err)
	}
	edited, err := edit(sent.ID, "草稿", nil) // same text, keyboard removed: a change
	if err != nil {
		t.Fatalf("edit removing the keyboard: %v", err)
	}
	if edited.ID != sent.ID || edited.Text != "草稿" || edited.ReplyMarkup != nil || edited.EditDate == 0 {
		t.Errorf("edited message = %+v", edited)
	}
	if got := len(srv.Sent(7)); got != 2 {
		t.Errorf("Sent(7) has %d calls, want the send and the successful edit", got)
	}
}

func TestSendDocumentRecordsTheUpload(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	content := []byte("部门,完成率\n市科协,87%\n")

	msg, err := b.SendDocument(t.Context(), &tg.SendDocumentParams{
		ChatID:   int64(42),
		Document: &tgmodels.InputFileUpload{Filename: "report.csv", Data: bytes.NewReader(content)},
		Caption:  "月报",
	})
	if err != nil {
		t.Fatalf("SendDocument: %v", err)
	}
	if msg.Document == nil || msg.Document.FileName != "report.csv" || msg.Document.FileSize != int64(len(content)) || msg.Caption != "月报" {
		t.Errorf("answered message = %+v, document %+v", msg, msg.Document)
	}
	calls := srv.Calls("sendDocument")
	if len(calls) != 1 || !bytes.Equal(calls[0].Files["report.csv"], content) || calls[0].Form.Get("caption") != "月报" {
		t.Fatalf("recorded sendDocument = %+v", calls)
	}
	if _, err := b.SendDocument(t.Context(), &tg.SendDocumentParams{ChatID: int64(42), Document: &tgmodels.InputFileString{Data: msg.Document.FileID}}); err != nil {
		t.Errorf("resending by file id: %v", err)
	}
}

func TestCommandsAndAuth(t *testing.T) {
	srv := telegramtest.NewServer(t, telegramtest.WithBotUser("duban_city_bot"))
	b := newBot(t, srv)
	ctx := t.Context()
	commands := []tgmodels.BotCommand{{Command: "report", Description: "填报进度"}, {Command: "status", Description: "查看进度"}}
	if _, err := b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: commands, Scope: &tgmodels.BotCommandScopeAllPrivateChats{}}); err != nil {
		t.Fatalf("SetMyCommands: %v", err)
	}
	if got := srv.Commands("all_private_chats"); len(got) != 2 || got[0] != commands[0] || got[1] != commands[1] {
		t.Errorf("Commands(all_private_chats) = %+v", got)
	}
	if got := srv.Commands("default"); len(got) != 0 {
		t.Errorf("Commands(default) = %+v, want none", got)
	}
	if _, err := b.SetMyCommands(ctx, &tg.SetMyCommandsParams{Commands: []tgmodels.BotCommand{{Command: "Report", Description: "x"}}}); !errors.Is(err, tg.ErrorBadRequest) {
		t.Errorf("upper-case command: err = %v, want 400", err)
	}

	me, err := b.GetMe(ctx)
	if err != nil || me.ID != telegramtest.BotUserID || !me.IsBot || me.Username != "duban_city_bot" {
		t.Errorf("GetMe = %+v, %v", me, err)
	}
	stranger, err := tg.New("999:WRONG", tg.WithServerURL(srv.URL()), tg.WithSkipGetMe())
	if err != nil {
		t.Fatalf("tg.New: %v", err)
	}
	if _, err := stranger.GetMe(ctx); !errors.Is(err, tg.ErrorUnauthorized) {
		t.Errorf("GetMe with a wrong token: err = %v, want ErrorUnauthorized", err)
	}
	if _, err := b.GetStarTransactions(ctx, &tg.GetStarTransactionsParams{}); !errors.Is(err, tg.ErrorNotFound) {
		t.Errorf("unknown method: err = %v, want ErrorNotFound", err)
	}
}

func TestWaitForAndOnCall(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	seen := make(chan string, 1)
	srv.OnCall(func(c telegramtest.Call) {
		if c.Method == "sendMessage" {
			seen <- c.Form.Get("text")
		}
	})
	go func() {
		_, _ = b.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: int64(5), Text: "到期提醒"})
	}()

	call, err := srv.WaitFor(t.Context(), func(c telegramtest.Call) bool { return c.Method == "sendMessage" })
	if err != nil {
		t.Fatalf("WaitFor: %v", err)
	}
	if call.Form.Get("text") != "到期提醒" || <-seen != "到期提醒" {
		t.Errorf("WaitFor returned %+v", call)
	}
	again, err := srv.WaitFor(t.Context(), func(c telegramtest.Call) bool { return c.Form.Get("chat_id") == "5" })
	if err != nil || again.At != call.At {
		t.Errorf("WaitFor on an already recorded call = %+v, %v", again, err)
	}
}

func decodeJSON(resp *http.Response, v any) error {
	return json.NewDecoder(resp.Body).Decode(v)
}

func equalIDs(a, b []int64) bool { return slices.Equal(a, b) }

// A call with latency arrives (Call.At, what the flood limits count)
// toServer after it was made, and is answered toClient after it arrived.
func TestLatencyDelaysArrivalAndAnswer(t *testing.T) {
	const toServer, toClient = 40 * time.Millisecond, 30 * time.Millisecond
	var mu sync.Mutex
	var asked []string
	srv := telegramtest.NewServer(t, telegramtest.WithLatency(func(method string) (time.Duration, time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		asked = append(asked, method)
		if method != "sendMessage" {
			return 0, 0
		}
		return toServer, toClient
	}))
	b := newBot(t, srv)
	made := time.Now()
	if _, err := b.SendMessage(t.Context(), &tg.SendMessageParams{ChatID: int64(1001), Text: "提醒"}); err != nil {
		t.Fatalf("SendMessage: %v", err)
	}
	answered := time.Now()
	calls := srv.Calls("sendMessage")
	if len(calls) != 1 {
		t.Fatalf("%d sendMessage calls recorded", len(calls))
	}
	if got := calls[0].At.Sub(made); got < toServer {
		t.Errorf("arrived %v after it was made, want at least %v", got, toServer)
	}
	if got := answered.Sub(calls[0].At); got < toClient {
		t.Errorf("answered %v after it arrived, want at least %v", got, toClient)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(asked, []string{"sendMessage"}) {
		t.Errorf("latency asked for %q, want the canonical method once", asked)
	}
}
