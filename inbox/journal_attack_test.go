package inbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/telegramtest"
)

// Hostile tests of the journal. A "kill" is modelled by opening the file
// again without Close: Close does nothing but close the descriptor, so
// what a reopen reads is what a killed process left.

var ctx = context.Background()

// clock is an injected, settable clock.
func newClock() *telegramtest.Clock {
	return telegramtest.NewClock(time.Date(2026, 12, 1, 12, 0, 0, 123456789, time.UTC))
}

func openJ(t *testing.T, path string, now func() time.Time) *Journal {
	t.Helper()
	j, err := OpenJournal(path, now)
	if err != nil {
		t.Fatalf("OpenJournal: %v", err)
	}
	t.Cleanup(func() { _ = j.Close() })
	return j
}

func store(t *testing.T, j *Journal, batch []models.InboxUpdate, handled ...uint) []models.InboxUpdate {
	t.Helper()
	got, err := j.StoreInbox(ctx, batch, handled)
	if err != nil {
		t.Fatalf("StoreInbox: %v", err)
	}
	return got
}

func upd(id int64, payload string) models.InboxUpdate {
	return models.InboxUpdate{UpdateID: id, Chat: id * 10, Payload: payload}
}

func pending(t *testing.T, j *Journal) []models.InboxUpdate {
	t.Helper()
	rows, err := j.PendingInbox(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// sameRows fails unless got and want are the same rows, field by field,
// payload byte for byte.
func sameRows(t *testing.T, what string, got, want []models.InboxUpdate) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.UpdateID != w.UpdateID || g.Chat != w.Chat || !g.ReceivedAt.Equal(w.ReceivedAt) || g.HandledAt != nil {
			t.Errorf("%s: row %d = {id %d upd %d chat %d at %v handled %v}, want {id %d upd %d chat %d at %v}",
				what, i, g.ID, g.UpdateID, g.Chat, g.ReceivedAt, g.HandledAt, w.ID, w.UpdateID, w.Chat, w.ReceivedAt)
		}
		if g.Payload != w.Payload {
			t.Errorf("%s: row %d payload differs (len %d vs %d): %.60q vs %.60q", what, i, len(g.Payload), len(w.Payload), g.Payload, w.Payload)
		}
	}
}

// Payloads that could break a line format come back byte for byte after
// a kill: newlines, NUL, quotes, backslashes, a line that is itself a
// well-formed record, and one bigger than the read buffer and rotateBytes.
func TestAttackHostilePayloadsSurviveAKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	var lookalike bytes.Buffer
	appendRecord(&lookalike, journalRecord{ID: 999, UpdateID: 999, Payload: "forged"})
	payloads := []string{
		"line one\nline two\r\n",
		"nul\x00byte",
		`quote " backslash \ and \" \\n`,
		"\n" + lookalike.String() + lookalike.String(),
		lookalike.String()[:20], // a record's head, torn
		"<script>&amp;</script> \u2028\u2029 emoji 😀 督查",
		strings.Repeat("x", 3<<20) + "\n" + strings.Repeat(`"\`, 1<<19),
		"",
	}
	var want []models.InboxUpdate
	for i, p := range payloads {
		want = append(want, store(t, j, []models.InboxUpdate{upd(int64(100+i), p)})...)
	}
	sameRows(t, "before the kill", pending(t, j), want)
	j2 := openJ(t, path, newClock().Now)
	sameRows(t, "after the kill", pending(t, j2), want)
	// and after the reopen's rewrite, once more
	j3 := openJ(t, path, newClock().Now)
	sameRows(t, "after the rewrite", pending(t, j3), want)
	for _, r := range pending(t, j3) {
		if r.ID == 999 {
			t.Fatal("a forged record inside a payload became a row")
		}
	}
}

// A payload that is not valid UTF-8 (getUpdates bytes are kept as they
// came; encoding/json lets invalid UTF-8 through a RawMessage) must come
// back as stored, not with U+FFFD in place of its bytes.
func TestAttackInvalidUTF8PayloadSurvivesAKill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	want := store(t, j, []models.InboxUpdate{upd(1, "{\"text\":\"\xff\xfe bad \xc3\"}")})
	sameRows(t, "after the kill", pending(t, openJ(t, path, nil)), want)
}

// An update id seen within the window is a redelivery, also when the
// rows that carried it were handled and a restart rewrote the file. The
// last batch before a shutdown is the one Telegram has not been told of
// (no fetch confirmed it) and sends again at the next start.
func TestAttackRedeliveryAfterFlushAndTwoRestartsIsSkipped(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	rows := store(t, j, []models.InboxUpdate{upd(500, "a"), upd(501, "b")})
	store(t, j, nil, rows[0].ID, rows[1].ID) // Flush at shutdown
	_ = j.Close()
	c.Advance(time.Minute)
	_ = openJ(t, path, c.Now).Close() // a start that died before its first fetch
	c.Advance(time.Minute)
	j3 := openJ(t, path, c.Now)
	if got := store(t, j3, []models.InboxUpdate{upd(500, "a"), upd(501, "b"), upd(502, "c")}); len(got) != 1 || got[0].UpdateID != 502 {
		t.Fatalf("after restarts, redelivered 500 and 501 stored again: %+v", got)
	}
}

// A rotation in the Flush call (marks only, the file past rotateBytes)
// must not forget the update ids of the last batch: no fetch confirmed it.
func TestAttackRotationAtFlushKeepsLastBatchSeen(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	big := strings.Repeat("p", rotateBytes/4)
	var ids []uint
	f := j.f
	for i := range 5 {
		for _, r := range store(t, j, []models.InboxUpdate{upd(int64(10+i), big)}) {
			ids = append(ids, r.ID)
		}
	}
	store(t, j, nil, ids...) // Flush: pending empty, the file past rotateBytes
	if j.f == f {
		t.Fatal("setup: the journal did not rotate after the last batch came")
	}
	j2 := openJ(t, path, c.Now) // killed and started again
	if got := store(t, j2, []models.InboxUpdate{upd(14, big)}); len(got) != 0 {
		t.Fatalf("redelivered update 14 stored again after a rotation at flush: ids %d", got[0].ID)
	}
	// the same with the journal still running
	if got := store(t, j, []models.InboxUpdate{upd(14, big)}); len(got) != 0 {
		t.Fatalf("redelivered update 14 stored again after a rotation at flush (same process)")
	}
}

// An update id older than the window is a new update, also after reopen.
func TestAttackOldUpdateIDIsNew(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	first := store(t, j, []models.InboxUpdate{upd(7, "a")})
	c.Advance(models.UpdateWindow - time.Second)
	if got := store(t, j, []models.InboxUpdate{upd(7, "a")}); len(got) != 0 {
		t.Fatal("redelivery within the window stored")
	}
	c.Advance(2 * time.Second)
	got := store(t, j, []models.InboxUpdate{upd(7, "new")})
	if len(got) != 1 || got[0].ID <= first[0].ID {
		t.Fatalf("an update id older than the window was not stored as new: %+v", got)
	}
	j2 := openJ(t, path, c.Now)
	if n := len(pending(t, j2)); n != 2 {
		t.Fatalf("after reopen %d rows pending, want 2", n)
	}
	c.Advance(time.Hour)
	if got := store(t, j2, []models.InboxUpdate{upd(7, "again")}); len(got) != 0 {
		t.Fatal("after reopen, a redelivery of the new 7 was stored")
	}
}

// A clock that goes backwards neither reuses ids nor lets a redelivery in.
func TestAttackClockBackwards(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	a := store(t, j, []models.InboxUpdate{upd(1, "a")})
	c.Set(c.Now().Add(-48 * time.Hour)) // the clock goes back
	if got := store(t, j, []models.InboxUpdate{upd(1, "a")}); len(got) != 0 {
		t.Fatal("a redelivery was stored after the clock went back")
	}
	b := store(t, j, []models.InboxUpdate{upd(2, "b")})
	if b[0].ID <= a[0].ID {
		t.Fatalf("id %d after %d", b[0].ID, a[0].ID)
	}
	j2 := openJ(t, path, c.Now)
	sameRows(t, "reopen", pending(t, j2), append(a, b...))
}

// Duplicate update ids in one batch are stored once; marks of unknown ids,
// of ids never given, of ids given in the same call and repeated marks
// change nothing but what they name; memory and a reopen agree.
func TestAttackMarksAndDuplicates(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	rows := store(t, j, []models.InboxUpdate{upd(1, "a"), upd(1, "a2"), upd(2, "b"), upd(1, "a3"), upd(3, "c")})
	if len(rows) != 3 || rows[0].Payload != "a" {
		t.Fatalf("duplicates in one batch: %+v", rows)
	}
	unknown := make([]uint, 0, 5000)
	for i := range 5000 {
		unknown = append(unknown, uint(1_000_000+i))
	}
	// rows[0] handled twice, rows[2] handled; rows[1] stays; the next id
	// (which the new row gets in this very call) is marked too.
	next := rows[2].ID + 1
	marks := append([]uint{rows[0].ID, rows[0].ID, rows[2].ID, 0, next}, unknown...)
	fresh := store(t, j, []models.InboxUpdate{upd(4, "d")}, marks...)
	if len(fresh) != 1 || fresh[0].ID != next {
		t.Fatalf("fresh %+v, want id %d", fresh, next)
	}
	mem := pending(t, j)
	sameRows(t, "reopen agrees with memory", pending(t, openJ(t, path, nil)), mem)
	if len(mem) != 2 || mem[0].ID != rows[1].ID || mem[1].ID != next {
		t.Fatalf("pending %+v", mem)
	}
	// ids 1_000_000.. were marked before they were given: the journal must
	// not skip ahead or treat a later row of that id as handled.
	if got := store(t, j, nil, unknown...); got != nil {
		t.Fatalf("marks only returned rows %+v", got)
	}
	if n := len(pending(t, openJ(t, path, nil))); n != 2 {
		t.Fatalf("after more unknown marks, %d pending", n)
	}
}

// faultyFile is the journal's file with failures injected.
type faultyFile struct {
	*os.File
	short     int   // the next write writes this many bytes, then fails (-1: off)
	truncErr  error // Truncate fails with it
	truncated []int64
}

func (f *faultyFile) Write(p []byte) (int, error) {
	if f.short >= 0 {
		n, _ := f.File.Write(p[:min(f.short, len(p))])
		f.short = -1
		return n, errors.New("injected: no space left on device")
	}
	return f.File.Write(p)
}

func (f *faultyFile) Truncate(size int64) error {
	f.truncated = append(f.truncated, size)
	if f.truncErr != nil {
		return f.truncErr
	}
	return f.File.Truncate(size)
}

func inject(t *testing.T, j *Journal) *faultyFile {
	t.Helper()
	ff := &faultyFile{File: j.f.(*os.File), short: -1}
	j.f = ff
	return ff
}

// A write that fails half way is cut back; the rows of the next write are
// read after a kill, and the failed batch is not.
func TestAttackPartialWriteIsCutBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	a := store(t, j, []models.InboxUpdate{upd(1, "a")})
	ff := inject(t, j)
	ff.short = 17
	if got, err := j.StoreInbox(ctx, []models.InboxUpdate{upd(2, "lost")}, []uint{a[0].ID}); err == nil || got != nil {
		t.Fatalf("failed write: rows %+v, err %v", got, err)
	}
	if len(ff.truncated) != 1 {
		t.Fatalf("Truncate called %d times", len(ff.truncated))
	}
	b := store(t, j, []models.InboxUpdate{upd(2, "b"), upd(3, "c")})
	if b[0].ID <= a[0].ID {
		t.Fatalf("id %d after %d", b[0].ID, a[0].ID)
	}
	sameRows(t, "memory", pending(t, j), append(a, b...))
	j2 := openJ(t, path, nil)
	sameRows(t, "after the kill", pending(t, j2), append(a, b...))
	if next := store(t, j2, []models.InboxUpdate{upd(9, "z")}); next[0].ID <= b[1].ID {
		t.Fatalf("id %d given again after reopen (last %d)", next[0].ID, b[1].ID)
	}
}

// A write that fails and cannot be cut off leaves the journal refusing
// every later write, Adopt's included, so no record follows a torn one.
func TestAttackFailedCutOffRefusesWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	a := store(t, j, []models.InboxUpdate{upd(1, "a")})
	ff := inject(t, j)
	ff.short, ff.truncErr = 5, errors.New("injected: EIO")
	if _, err := j.StoreInbox(ctx, []models.InboxUpdate{upd(2, "b")}, nil); err == nil {
		t.Fatal("failed write returned no error")
	}
	for i := range 3 {
		if got, err := j.StoreInbox(ctx, []models.InboxUpdate{upd(int64(3+i), "c")}, nil); err == nil || got != nil {
			t.Fatalf("write %d after a failed cut-off: rows %+v err %v", i, got, err)
		}
		if _, err := j.StoreInbox(ctx, nil, []uint{a[0].ID}); err == nil {
			t.Fatal("marks after a failed cut-off accepted")
		}
	}
	before, _ := os.ReadFile(path)
	table := &fakeTable{rows: []models.InboxUpdate{{ID: 1, UpdateID: 77, Payload: "t"}}}
	if n, err := Adopt(ctx, table, j); err == nil {
		t.Errorf("Adopt on a broken journal: adopted %d, no error", n)
	}
	after, _ := os.ReadFile(path)
	if !bytes.Equal(before, after) {
		t.Errorf("Adopt wrote %d bytes after a torn record", len(after)-len(before))
	}
	if len(table.marked) != 0 {
		t.Errorf("Adopt marked table rows %v handled though the journal holds none of them", table.marked)
	}
	// The file holds the torn tail; a restart drops it and keeps row a.
	sameRows(t, "restart", pending(t, openJ(t, path, nil)), a)
}

// Using a journal after Close is an error, not a panic.
func TestAttackStoreAfterCloseIsAnError(t *testing.T) {
	j := openJ(t, filepath.Join(t.TempDir(), "j"), nil)
	_ = j.Close()
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("StoreInbox after Close panicked: %v", r)
			}
		}()
		if _, err := j.StoreInbox(ctx, []models.InboxUpdate{upd(1, "a")}, nil); err == nil {
			t.Error("StoreInbox after Close: no error")
		}
	}()
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Errorf("Adopt after Close panicked: %v", r)
			}
		}()
		if _, err := Adopt(ctx, &fakeTable{rows: []models.InboxUpdate{{ID: 1, UpdateID: 2}}}, j); err == nil {
			t.Error("Adopt after Close: no error")
		}
	}()
	if err := j.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A journal path that is a directory is an error at open, not a panic.
func TestAttackOpenDirectoryIsAnError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	if err := os.Mkdir(path, 0o700); err != nil {
		t.Fatal(err)
	}
	if j, err := OpenJournal(path, nil); err == nil {
		_ = j.Close()
		t.Fatal("OpenJournal on a directory: no error")
	}
	// a missing parent directory too
	if j, err := OpenJournal(filepath.Join(path, "no", "such"), nil); err == nil {
		_ = j.Close()
		t.Fatal("OpenJournal under a missing directory: no error")
	}
}

// A rewrite that died before its rename leaves a .tmp behind: the next
// open ignores its content and the journal stays 0600, also when the
// leftover was world-readable.
func TestAttackLeftoverTmpFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	a := store(t, j, []models.InboxUpdate{upd(1, "secret")})
	var forged bytes.Buffer
	appendRecord(&forged, journalRecord{Next: 1})
	appendRecord(&forged, journalRecord{ID: 1, UpdateID: 666, Payload: "forged"})
	if err := os.WriteFile(path+".tmp", append(forged.Bytes(), "torn"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path+".tmp", 0o644); err != nil {
		t.Fatal(err)
	}
	j2 := openJ(t, path, nil)
	sameRows(t, "reopen beside a leftover .tmp", pending(t, j2), a)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("journal mode %v after a rewrite beside a leftover 0644 .tmp, want 0600: it holds what users wrote", fi.Mode().Perm())
	}
}

// The file is created 0600 and stays so across rewrites.
func TestAttackModeIs0600(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, nil)
	store(t, j, []models.InboxUpdate{upd(1, strings.Repeat("x", rotateBytes+1))})
	for _, p := range []string{path} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v (%v), want 0600", p, fi.Mode().Perm(), err)
		}
	}
}

// StoreInbox and PendingInbox from many goroutines (run with -race): ids
// are unique and increasing in the order of the writes, and a reopen
// yields exactly what memory holds.
func TestAttackConcurrentStoreAndPending(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	const workers, each = 8, 60
	var mu sync.Mutex
	ids := map[uint]bool{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				rows, err := j.StoreInbox(ctx, []models.InboxUpdate{upd(int64(w*1000+i), strings.Repeat("y", 4096))}, nil)
				if err != nil || len(rows) != 1 {
					t.Errorf("StoreInbox: %v %d", err, len(rows))
					return
				}
				mu.Lock()
				if ids[rows[0].ID] {
					t.Errorf("id %d given twice", rows[0].ID)
				}
				ids[rows[0].ID] = true
				mu.Unlock()
				if i%3 == 0 {
					if _, err := j.StoreInbox(ctx, nil, []uint{rows[0].ID}); err != nil {
						t.Error(err)
					}
				}
				if _, err := j.PendingInbox(ctx); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	mem := pending(t, j)
	if want := workers * (each - each/3); len(mem) != want {
		t.Fatalf("%d pending, want %d", len(mem), want)
	}
	sameRows(t, "reopen", pending(t, openJ(t, path, nil)), mem)
}

// 10k rows with marks, rotations and reopens: no id is ever given twice.
func TestAttackIDsNeverGivenTwice(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	var last uint
	var keep []models.InboxUpdate
	payload := strings.Repeat("z", 1500)
	for i := range 10_000 {
		c.Advance(time.Second)
		rows := store(t, j, []models.InboxUpdate{upd(int64(i+1), payload)})
		if len(rows) != 1 || rows[0].ID <= last {
			t.Fatalf("row %d: %+v after id %d", i, rows, last)
		}
		last = rows[0].ID
		if i%97 == 0 {
			keep = append(keep, rows[0]) // stays pending
		} else {
			store(t, j, nil, rows[0].ID)
		}
		if i%1500 == 1499 {
			j = openJ(t, path, c.Now) // killed and restarted
		}
	}
	sameRows(t, "end", pending(t, openJ(t, path, c.Now)), keep)
	if got := store(t, openJ(t, path, c.Now), []models.InboxUpdate{upd(99_999, "x")}); got[0].ID <= last {
		t.Fatalf("id %d after %d", got[0].ID, last)
	}
}

// With a row that stays pending throughout (a stuck handler), the file
// stays bounded through many rotations and a reopen keeps the stuck row.
func TestAttackSizeBoundedWithAStuckRow(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	stuck := store(t, j, []models.InboxUpdate{upd(1, "stuck")})
	payload := strings.Repeat("w", 16<<10)
	var peak int64
	rotations := 0
	for i := range 3000 { // ~48 MiB through the journal, over 50 hours
		c.Advance(time.Minute)
		f := j.f
		rows := store(t, j, []models.InboxUpdate{upd(int64(i+2), payload)})
		store(t, j, nil, rows[0].ID)
		if j.f != f {
			rotations++
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		peak = max(peak, fi.Size())
	}
	if rotations < 3 {
		t.Errorf("%d rotations through ~48 MiB", rotations)
	}
	// The rewrite keeps the update ids of the last 24 hours (1440 here),
	// some 32 bytes each.
	if limit := int64(8*rotateBytes + 2*len(payload) + 1441*40); peak > limit {
		t.Errorf("file peaked at %d bytes, limit %d", peak, limit)
	}
	// Rotations come every ~512 minutes here; ids older than 24 hours go.
	if n := len(j.seen); n > 1440+600 {
		t.Errorf("%d update ids remembered after 50 hours, want those of the last 24 only", n)
	}
	sameRows(t, "reopen", pending(t, openJ(t, path, c.Now)), stuck)
}

// When the rows left pending are themselves past the rotation size, each
// write must not rewrite the whole file again.
func TestAttackNoRewritePerWriteWhenPendingIsLarge(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	payload := strings.Repeat("v", 64<<10)
	for i := range 8*rotateBytes/len(payload) + 8 { // stuck: never handled
		store(t, j, []models.InboxUpdate{upd(int64(i+1), payload)})
	}
	rewrites := 0
	for i := range 20 {
		f := j.f
		rows := store(t, j, []models.InboxUpdate{upd(int64(10_000+i), "small")})
		store(t, j, nil, rows[0].ID)
		if j.f != f {
			rewrites++
		}
	}
	if rewrites > 1 {
		t.Errorf("%d rewrites of a >8 MiB file in 40 small writes", rewrites)
	}
}

// fakeTable is the inbox table Adopt reads from.
type fakeTable struct {
	rows   []models.InboxUpdate
	marked []uint
	err    error
}

func (f *fakeTable) StoreInbox(_ context.Context, _ []models.InboxUpdate, handled []uint) ([]models.InboxUpdate, error) {
	if f.err != nil {
		return nil, f.err
	}
	f.marked = append(f.marked, handled...)
	return nil, nil
}

func (f *fakeTable) PendingInbox(context.Context) ([]models.InboxUpdate, error) { return f.rows, nil }
func (f *fakeTable) PruneInbox(context.Context) (int64, error)                  { return 0, nil }

// Adopt moves the table's rows in with new ids above the journal's,
// keeping their payload and order; they survive a kill; the table's rows
// are marked; their update ids count as seen.
func TestAttackAdopt(t *testing.T) {
	c := newClock()
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, c.Now)
	own := store(t, j, []models.InboxUpdate{upd(1, "own")})
	at := c.Now().Add(-time.Hour)
	table := &fakeTable{rows: []models.InboxUpdate{
		{ID: 1, UpdateID: 40, Chat: 4, Payload: "t1\n\"x\"", ReceivedAt: at},
		{ID: 9, UpdateID: 41, Chat: 4, Payload: "t2", ReceivedAt: at},
	}}
	n, err := Adopt(ctx, table, j)
	if err != nil || n != 2 {
		t.Fatalf("Adopt: %d, %v", n, err)
	}
	if fmt.Sprint(table.marked) != "[1 9]" {
		t.Errorf("table marked %v", table.marked)
	}
	rows := pending(t, openJ(t, path, c.Now))
	if len(rows) != 3 || rows[0].ID != own[0].ID || rows[1].ID <= own[0].ID || rows[2].ID <= rows[1].ID ||
		rows[1].Payload != "t1\n\"x\"" || rows[2].UpdateID != 41 {
		t.Fatalf("after adopt and kill: %+v", rows)
	}
	if got := store(t, j, []models.InboxUpdate{upd(40, "t1")}); len(got) != 0 {
		t.Error("a redelivery of an adopted update was stored")
	}
	// A table that fails to mark: the error is reported.
	table2 := &fakeTable{rows: table.rows, err: errors.New("locked")}
	if _, err := Adopt(ctx, table2, j); err == nil {
		t.Error("Adopt hid the table's error")
	}
}

// A torn tail (a line without its newline, a line whose CRC does not
// check) is dropped at reopen, and what is appended after it is read at
// the next reopen.
func TestAttackTornTailDroppedAndLaterAppendsRead(t *testing.T) {
	for name, tail := range map[string]string{
		"partial line": `1234abcd {"id":77,"update_id":77`,
		"bad crc":      "00000000 {\"id\":77,\"update_id\":77}\n",
		"no space":     "deadbeef\n",
		"binary":       "\x00\xff\n\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "j")
			j := openJ(t, path, newClock().Now)
			a := store(t, j, []models.InboxUpdate{upd(1, "a")})
			fh, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fh.WriteString(tail); err != nil {
				t.Fatal(err)
			}
			_ = fh.Close()
			j2 := openJ(t, path, newClock().Now)
			sameRows(t, "torn tail dropped", pending(t, j2), a)
			b := store(t, j2, []models.InboxUpdate{upd(2, "b")})
			if b[0].ID == 77 {
				t.Fatal("an id from the torn tail counted")
			}
			sameRows(t, "append after a torn tail", pending(t, openJ(t, path, nil)), append(a, b...))
		})
	}
}

// A rotation that cannot write its .tmp file leaves the journal appending
// to the file at the path; nothing stored is lost.
func TestAttackFailedRotationLosesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j")
	j := openJ(t, path, newClock().Now)
	if err := os.Mkdir(path+".tmp", 0o700); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("r", rotateBytes/2)
	f := j.f
	for i := range 4 { // handled at once: pending empty, past rotateBytes, a rotation due
		rows := store(t, j, []models.InboxUpdate{upd(int64(i+1), big)})
		store(t, j, nil, rows[0].ID)
	}
	if j.f != f || j.size < 2*rotateBytes {
		t.Fatalf("setup: rotated (%v) or file of %d bytes", j.f != f, j.size)
	}
	want := store(t, j, []models.InboxUpdate{upd(10, big), upd(11, "small")})
	if err := os.Remove(path + ".tmp"); err != nil {
		t.Fatal(err)
	}
	sameRows(t, "after failed rotations", pending(t, openJ(t, path, nil)), want)
}
