package telegramtest_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telegramtest"
)

func TestPollingDeliversPushedUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	got := make(chan *tgmodels.Update, 2)
	// In order: async handlers (the library default) would race each other.
	b := newBot(t, srv, tg.WithNotAsyncHandlers(), tg.WithDefaultHandler(func(_ context.Context, _ *tg.Bot, u *tgmodels.Update) { got <- u }))

	ctx, cancel := context.WithCancel(t.Context())
	var polling sync.WaitGroup
	polling.Go(func() { b.Start(ctx) })
	defer func() { cancel(); polling.Wait() }()

	// Wait until a long poll is pending, so the push must wake it.
	if err := srv.WaitPolling(t.Context()); err != nil {
		t.Fatalf("WaitPolling: %v", err)
	}
	first := srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 1, Chat: tgmodels.Chat{ID: 9}, Text: "/start"}})
	second := srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 2, Chat: tgmodels.Chat{ID: 9}, Text: "13.4万人"}})
	if first != 1 || second != 2 {
		t.Errorf("assigned update ids = %d, %d; want 1, 2", first, second)
	}
	for _, want := range []string{"/start", "13.4万人"} {
		if u := <-got; u.Message == nil || u.Message.Text != want {
			t.Errorf("handler got %+v, want text %q", u, want)
		}
	}

	// The poll after them confirms both with offset 3; it is recorded once
	// a third update ends it.
	srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 3, Chat: tgmodels.Chat{ID: 9}, Text: "确认"}})
	if u := <-got; u.ID != 3 {
		t.Errorf("third update id = %d, want 3", u.ID)
	}
	confirm, err := srv.WaitFor(t.Context(), func(c telegramtest.Call) bool {
		return c.Method == "getUpdates" && c.Form.Get("offset") == "3"
	})
	if err != nil {
		t.Fatalf("waiting for the confirming poll: %v", err)
	}
	if confirm.Form.Get("timeout") != "59" || confirm.Status != http.StatusOK {
		t.Errorf("confirming poll = %+v", confirm)
	}
}

func TestGetUpdatesOffsetAndLimit(t *testing.T) {
	srv := telegramtest.NewServer(t)
	for range 3 {
		srv.Push(tgmodels.Update{Message: &tgmodels.Message{Text: "x"}})
	}
	poll := func(form url.Values) []int64 {
		t.Helper()
		resp, err := http.PostForm(srv.URL()+"/bot"+telegramtest.Token+"/getUpdates", form)
		if err != nil {
			t.Fatalf("getUpdates: %v", err)
		}
		defer resp.Body.Close()
		var env struct {
			OK     bool              `json:"ok"`
			Result []tgmodels.Update `json:"result"`
		}
		if err := decodeJSON(resp, &env); err != nil || !env.OK {
			t.Fatalf("getUpdates answer: %+v, %v", env, err)
		}
		var ids []int64
		for _, u := range env.Result {
			ids = append(ids, u.ID)
		}
		return ids
	}

	steps := []struct {
		form url.Values
		want []int64
	}{
		{url.Values{"limit": {"2"}}, []int64{1, 2}},
		{url.Values{"offset": {"2"}}, []int64{2, 3}},
		{url.Values{}, []int64{2, 3}}, // update 1 was confirmed by offset 2
		{url.Values{"offset": {"4"}, "timeout": {"0"}}, nil},
	}
	for i, step := range steps {
		if got := poll(step.form); !equalIDs(got, step.want) {
			t.Errorf("step %d (%v): ids = %v, want %v", i, step.form, got, step.want)
		}
	}
}

func TestCloseEndsAPendingLongPoll(t *testing.T) {
	srv := telegramtest.NewServer(t)
	done := make(chan error, 1)
	go func() {
		resp, err := http.PostForm(srv.URL()+"/bot"+telegramtest.Token+"/getUpdates", url.Values{"timeout": {"50"}})
		if err == nil {
			resp.Body.Close()
		}
		done <- err
	}()
	if err := srv.WaitPolling(t.Context()); err != nil {
		t.Fatalf("WaitPolling: %v", err)
	}
	srv.Close() // would block for 50s if the poll ignored Close
	if err := <-done; err != nil {
		t.Errorf("the pending poll failed instead of returning empty: %v", err)
	}
}

func TestWebhookBlocksGetUpdates(t *testing.T) {
	srv := telegramtest.NewServer(t)
	b := newBot(t, srv)
	if _, err := b.SetWebhook(t.Context(), &tg.SetWebhookParams{URL: "https://example.test/hook"}); err != nil {
		t.Fatalf("SetWebhook: %v", err)
	}
	resp, err := http.PostForm(srv.URL()+"/bot"+telegramtest.Token+"/getUpdates", nil)
	if err != nil {
		t.Fatalf("getUpdates: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("getUpdates with a webhook set: status %d, want 409", resp.StatusCode)
	}
	if _, err := b.DeleteWebhook(t.Context(), &tg.DeleteWebhookParams{}); err != nil {
		t.Fatalf("DeleteWebhook: %v", err)
	}
}
