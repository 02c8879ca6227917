package models_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/pgtest"
)

func TestInboxClaimsSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "duban.db")
	testInboxClaims(t, func(t *testing.T) *models.Store {
		st, err := models.Open(path, models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

func TestInboxClaimsPostgres(t *testing.T) {
	dsn := pgtest.SchemaDSN(t, "claims")
	testInboxClaims(t, func(t *testing.T) *models.Store {
		st, err := models.Open(dsn, models.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	})
}

// Three replicas, each on its own connection pool, claim updates while a
// fourth stores them: every update is handled by exactly one replica, and
// each chat's updates are handled in the order they came.
func testInboxClaims(t *testing.T, open func(t *testing.T) *models.Store) {
	const chats, perChat = 20, 15
	ctx := context.Background()
	producer := open(t)
	var (
		mu      sync.Mutex
		handled []models.InboxUpdate // in the order replicas handled them
		by      = map[uint]string{}
	)
	stored := make(chan struct{})
	go func() {
		defer close(stored)
		for i := range perChat {
			var batch []models.InboxUpdate
			for c := range chats {
				id := int64(i*chats + c + 1)
				batch = append(batch, models.InboxUpdate{UpdateID: id, Chat: int64(c), Payload: fmt.Sprint(id)})
			}
			if _, err := producer.StoreInbox(ctx, batch, nil); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for r := range 3 {
		holder := fmt.Sprintf("inbox@replica/%d", r)
		st := open(t)
		wg.Go(func() {
			for done := false; ; {
				rows, err := st.ClaimInbox(ctx, holder, time.Minute, 7)
				if err != nil {
					t.Error(err)
					return
				}
				var ids []uint
				mu.Lock()
				for _, row := range rows {
					if prev, ok := by[row.ID]; ok {
						t.Errorf("update %d handled by %s and %s", row.UpdateID, prev, holder)
					}
					by[row.ID] = holder
					handled = append(handled, row)
					ids = append(ids, row.ID)
				}
				mu.Unlock()
				if _, err := st.StoreInbox(ctx, nil, ids); err != nil {
					t.Error(err)
					return
				}
				if done && len(rows) == 0 {
					return
				}
				select {
				case <-stored:
					done = true
				default:
				}
			}
		})
	}
	wg.Wait()
	if len(handled) != chats*perChat {
		t.Fatalf("%d updates handled, want %d", len(handled), chats*perChat)
	}
	last := map[int64]int64{}
	for _, row := range handled {
		if row.UpdateID < last[row.Chat] {
			t.Fatalf("chat %d: update %d handled after %d", row.Chat, row.UpdateID, last[row.Chat])
		}
		last[row.Chat] = row.UpdateID
	}
	count := map[string]int{}
	for _, h := range by {
		count[h]++
	}
	t.Logf("updates per replica: %v", count)
}
