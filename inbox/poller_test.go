package inbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/inbox"
	"github.com/duban-bot/duban/models"
)

// script is a fake getUpdates: it answers the batches in turn, records
// the offsets asked for, and ends the run (cancel) after the last batch.
type script struct {
	batches [][]json.RawMessage
	offsets []int64
	cancel  context.CancelFunc
}

func (s *script) Fetch(ctx context.Context, offset int64, _ time.Duration) ([]json.RawMessage, error) {
	s.offsets = append(s.offsets, offset)
	if len(s.batches) == 0 {
		s.cancel()
		return nil, ctx.Err()
	}
	b := s.batches[0]
	s.batches = s.batches[1:]
	return b, nil
}

func message(id, chat int64, text string) json.RawMessage {
	return json.RawMessage(fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1,"chat":{"id":%d,"type":"private"},"from":{"id":%d,"first_name":"u"},"text":%q}}`,
		id, id, chat, chat, text))
}

// recorder handles updates at once, in the order submitted.
type recorder struct {
	mu   sync.Mutex
	seen []string
}

func (r *recorder) Submit(u *tgmodels.Update, done func()) {
	r.mu.Lock()
	r.seen = append(r.seen, u.Message.Text)
	r.mu.Unlock()
	done()
}

func openStore(t *testing.T, now func() time.Time) *models.Store {
	t.Helper()
	st, err := models.Open(filepath.Join(t.TempDir(), "duban.db"), models.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// backends are the two inboxes the poll loop writes to: the database's
// table (PostgreSQL) and the journal file (SQLite). start opens one; each
// call after the first is a restart after a kill: the journal is opened
// again from its file, without closing the one before.
var backends = []struct {
	name  string
	start func(t *testing.T, now func() time.Time) func() inbox.Store
}{
	{"table", func(t *testing.T, now func() time.Time) func() inbox.Store {
		st := openStore(t, now)
		return func() inbox.Store { return st }
	}},
	{"journal", func(t *testing.T, now func() time.Time) func() inbox.Store {
		path := filepath.Join(t.TempDir(), "duban.db-inbox")
		return func() inbox.Store {
			j, err := inbox.OpenJournal(path, now)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { j.Close() })
			return j
		}
	}},
}

func eachBackend(t *testing.T, now func() time.Time, test func(t *testing.T, start func() inbox.Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { test(t, b.start(t, now)) })
	}
}

func run(t *testing.T, st inbox.Store, batches ...[]json.RawMessage) (*script, *recorder) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := &script{batches: batches, cancel: cancel}
	rec := &recorder{}
	noSleep := func(context.Context, time.Duration) error { return nil }
	p := inbox.New(st, f, rec, inbox.Options{Sleep: noSleep})
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if err := p.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	return f, rec
}

// Telegram delivers a batch again when the getUpdates that would have
// confirmed it never came (a crash right after storing): it is handled once.
func TestRedeliveredBatchIsHandledOnce(t *testing.T) {
	eachBackend(t, time.Now, func(t *testing.T, start func() inbox.Store) {
		batch := []json.RawMessage{message(10, 1, "a"), message(11, 2, "b")}
		_, first := run(t, start(), batch)
		f, second := run(t, start(), batch, []json.RawMessage{message(12, 1, "c")})
		if fmt.Sprint(first.seen) != "[a b]" || fmt.Sprint(second.seen) != "[c]" {
			t.Fatalf("handled %v then %v; want [a b] then [c]", first.seen, second.seen)
		}
		if fmt.Sprint(f.offsets) != "[0 12 13]" {
			t.Errorf("offsets asked %v, want [0 12 13]", f.offsets)
		}
	})
}

// An update id seen more than a day ago is a new update that reuses the
// number (ids start again after a quiet week or with a new token).
func TestOldUpdateIDIsANewUpdate(t *testing.T) {
	var now time.Time
	eachBackend(t, func() time.Time { return now }, func(t *testing.T, start func() inbox.Store) {
		now = time.Date(2022, 5, 20, 10, 0, 0, 0, time.UTC)
		run(t, start(), []json.RawMessage{message(10, 1, "old")})
		now = now.Add(8 * 24 * time.Hour)
		_, rec := run(t, start(), []json.RawMessage{message(10, 1, "new")})
		if fmt.Sprint(rec.seen) != "[new]" {
			t.Fatalf("handled %v, want [new]", rec.seen)
		}
	})
}

// flakyStore fails the first write of a batch.
type flakyStore struct {
	inbox.Store
	fail bool
}

func (s *flakyStore) StoreInbox(ctx context.Context, b []models.InboxUpdate, handled []uint) ([]models.InboxUpdate, error) {
	if s.fail {
		s.fail = false
		return nil, errors.New("database is locked")
	}
	return s.Store.StoreInbox(ctx, b, handled)
}

// A batch the database did not take is not confirmed: the next getUpdates
// asks from the same offset, so Telegram sends it again.
func TestBatchNotStoredIsNotConfirmed(t *testing.T) {
	eachBackend(t, time.Now, func(t *testing.T, start func() inbox.Store) {
		st := &flakyStore{Store: start(), fail: true}
		batch := []json.RawMessage{message(10, 1, "a")}
		f, rec := run(t, st, batch, batch)
		if fmt.Sprint(f.offsets) != "[0 0 11]" || fmt.Sprint(rec.seen) != "[a]" {
			t.Fatalf("offsets %v, handled %v; want [0 0 11], [a]", f.offsets, rec.seen)
		}
	})
}

// heldSink takes updates without handling them, as a process killed with
// its queues full.
type heldSink struct{ n int }

func (s *heldSink) Submit(*tgmodels.Update, func()) { s.n++ }

// At start-up the unhandled updates are handed over first, in the order
// they came, before anything new is fetched.
func TestUnhandledUpdatesComeFirstInOrder(t *testing.T) {
	eachBackend(t, time.Now, func(t *testing.T, start func() inbox.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		f := &script{batches: [][]json.RawMessage{{message(1, 1, "a1"), message(2, 2, "b1"), message(3, 1, "a2")}}, cancel: cancel}
		if err := inbox.New(start(), f, &heldSink{}, inbox.Options{}).Run(ctx); err != nil {
			t.Fatal(err)
		}
		_, rec := run(t, start(), []json.RawMessage{message(4, 1, "a3")})
		if fmt.Sprint(rec.seen) != "[a1 b1 a2 a3]" {
			t.Fatalf("handled %v, want [a1 b1 a2 a3]", rec.seen)
		}
	})
}
