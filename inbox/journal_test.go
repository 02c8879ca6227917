package inbox_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
)

func openJournal(t *testing.T, path string) *inbox.Journal {
	t.Helper()
	j, err := inbox.OpenJournal(path, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func store(t *testing.T, j *inbox.Journal, handled []uint, updates ...int64) []models.InboxUpdate {
	t.Helper()
	batch := make([]models.InboxUpdate, len(updates))
	for i, u := range updates {
		batch[i] = models.InboxUpdate{UpdateID: u, Chat: 7, Payload: string(message(u, 7, fmt.Sprint("text ", u)))}
	}
	rows, err := j.StoreInbox(context.Background(), batch, handled)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func pendingUpdates(t *testing.T, j *inbox.Journal) string {
	t.Helper()
	rows, err := j.PendingInbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, fmt.Sprint(r.UpdateID))
		if r.UpdateID < 1000 && !strings.Contains(r.Payload, fmt.Sprintf(`"text":"text %d"`, r.UpdateID)) {
			t.Errorf("update %d came back as %q", r.UpdateID, r.Payload)
		}
	}
	return strings.Join(ids, " ")
}

// A process killed without closing the journal loses nothing it stored:
// the next start finds the updates not handled, in the order they came.
func TestJournalKeepsWhatAKilledProcessStored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db-inbox")
	j := openJournal(t, path)
	first := store(t, j, nil, 10, 11, 12)
	store(t, j, []uint{first[1].ID}, 13)
	// killed: no Close
	if got := pendingUpdates(t, openJournal(t, path)); got != "10 12 13" {
		t.Errorf("after the restart: %q unhandled, want 10 12 13", got)
	}
}

// A write cut short by the kill leaves a torn line: it is dropped, and what
// is written after the restart can be read at the next one.
func TestJournalDropsATornTailAndGoesOn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db-inbox")
	store(t, openJournal(t, path), nil, 10)
	for i, tail := range []string{
		`0badc0de {"id":9,"update_id":99,"payload":"{}"}` + "\n", // a checksum that does not match
		`1234abcd {"id":10,"upda`,                                // torn mid-line
	} {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(tail); err != nil {
			t.Fatal(err)
		}
		f.Close()
		j := openJournal(t, path)
		store(t, j, nil, 20+int64(i))
	}
	if got := pendingUpdates(t, openJournal(t, path)); got != "10 20 21" {
		t.Errorf("after two torn tails: %q unhandled, want 10 20 21", got)
	}
}

// The journal is rewritten as it grows, so it stays small, and an id it
// gave is never given again, across rewrites and restarts: a mark for an
// old row can only ever mean that row.
func TestJournalStaysSmallAndGivesNoIDTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db-inbox")
	j := openJournal(t, path)
	big := strings.Repeat("长", 4000)
	given := map[uint]bool{}
	var handled []uint
	for round := range 3 {
		for u := range int64(200) {
			id := 1000 + int64(round)*1000 + u
			rows, err := j.StoreInbox(context.Background(), []models.InboxUpdate{{UpdateID: id, Chat: 7, Payload: `{"text":"` + big + `"}`}}, handled)
			if err != nil {
				t.Fatal(err)
			}
			if given[rows[0].ID] {
				t.Fatalf("id %d given twice", rows[0].ID)
			}
			given[rows[0].ID] = true
			handled = []uint{rows[0].ID}
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Size() > 2<<20 {
			t.Errorf("journal of %d bytes after 200 updates of 12 KB, all but one handled: want it rewritten under 2 MiB", fi.Size())
		}
		j = openJournal(t, path) // a restart
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := pendingUpdates(t, j); got != "3199" {
		t.Errorf("unhandled %q, want only the last update", got)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v, want 0600: it holds what users wrote", fi.Mode().Perm())
	}
}

// The rows an older duban left unhandled in the inbox table move to the
// journal and are handled from there; the table keeps them as handled.
func TestAdoptMovesTheTablesUnhandledRows(t *testing.T) {
	st := openStore(t, time.Now)
	ctx := context.Background()
	rows, err := st.StoreInbox(ctx, []models.InboxUpdate{
		{UpdateID: 1, Chat: 7, Payload: string(message(1, 7, "text 1"))},
		{UpdateID: 2, Chat: 7, Payload: string(message(2, 7, "text 2"))},
		{UpdateID: 3, Chat: 8, Payload: string(message(3, 8, "text 3"))},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.StoreInbox(ctx, nil, []uint{rows[1].ID}); err != nil {
		t.Fatal(err)
	}
	j := openJournal(t, filepath.Join(t.TempDir(), "duban.db-inbox"))
	if n, err := inbox.Adopt(ctx, st, j); err != nil || n != 2 {
		t.Fatalf("adopted %d (%v), want 2", n, err)
	}
	if got := pendingUpdates(t, j); got != "1 3" {
		t.Errorf("journal holds %q, want 1 3", got)
	}
	if left, err := st.PendingInbox(ctx); err != nil || len(left) != 0 {
		t.Errorf("table: %d unhandled (%v), want 0", len(left), err)
	}
	if n, err := inbox.Adopt(ctx, st, j); err != nil || n != 0 {
		t.Errorf("a second start adopted %d (%v), want 0", n, err)
	}
}
