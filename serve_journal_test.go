package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// Polling on SQLite keeps fetched updates in the journal beside the
// database (duban.db-inbox), not in the inbox table. An update an older
// version left unhandled in the table is handed over at the upgrade's
// first start, and answered.
func TestServePollingKeepsUpdatesInTheJournalAndAdoptsTheTablesRows(t *testing.T) {
	srv := telegramtest.NewServer(t)
	db := filepath.Join(t.TempDir(), "duban.db")
	st, err := models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.StoreInbox(context.Background(), []models.InboxUpdate{{UpdateID: 5, Chat: 9001, Payload: startUpdate(5)}}, nil); err != nil {
		t.Fatal(err)
	}
	st.Close()

	vars := webhookVars(t, srv, db)
	delete(vars, "DUBAN_WEBHOOK_URL")
	startServe(t, vars)
	waitAnswer(t, srv) // the table's /start, before anything is fetched
	wait, stop := context.WithTimeout(context.Background(), 30*time.Second)
	defer stop()
	if err := srv.WaitPolling(wait); err != nil {
		t.Fatal(err)
	}
	id := srv.Push(tgmodels.Update{Message: &tgmodels.Message{ID: 2, Text: "/start",
		From: &tgmodels.User{ID: 9001, FirstName: "督查"}, Chat: tgmodels.Chat{ID: 9001, Type: tgmodels.ChatTypePrivate},
		Entities: []tgmodels.MessageEntity{{Type: tgmodels.MessageEntityTypeBotCommand, Length: 6}}}})
	for len(srv.Sent(9001)) < 2 {
		if wait.Err() != nil {
			t.Fatalf("the fetched /start was not answered: %d answers", len(srv.Sent(9001)))
		}
		time.Sleep(10 * time.Millisecond)
	}

	st, err = models.Open(db, models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if pending, err := st.PendingInbox(context.Background()); err != nil || len(pending) != 0 {
		t.Errorf("inbox table: %d rows unhandled (%v), want 0", len(pending), err)
	}
	var rows int64
	if err := st.DB().Model(&models.InboxUpdate{}).Count(&rows).Error; err != nil || rows != 1 {
		t.Errorf("inbox table: %d rows (%v), want 1 (the adopted one; the fetched update goes to the journal)", rows, err)
	}
	data, err := os.ReadFile(db + journalSuffix)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), fmt.Sprintf(`"update_id":%d,`, id)) {
		t.Errorf("journal holds no update %d:\n%s", id, data)
	}
	if fi, err := os.Stat(db + journalSuffix); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v (%v), want 0600: it holds what users wrote", fi.Mode().Perm(), err)
	}
}
