package inbox

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/duban-bot/duban/models"
)

// Journal is the inbox of the polling loop on SQLite: an append-only file
// beside the database. A fetched batch and the marks due are one write()
// there instead of a transaction of the database, which every handler's
// commit made start cold: at 50 contacts, where every update is a batch of
// its own, the inbox's transactions were a fifth of duban's CPU. Like an
// unsynced commit, a write survives a killed process (the operating system
// holds it) and not a power cut (README, "Durability").
//
// Each line is a record, "crc32c-in-hex JSON\n": a fetched update with its
// own id, a list of ids handled, or the next id to give with the update
// ids seen within models.UpdateWindow. Reading stops at the first line
// that is torn or does not check; a failed write is cut off again, so a
// later record never follows a torn one. The file is rewritten with those
// seen ids and the rows still unhandled when it is opened and whenever it
// grows by rotateBytes (8 times that while more than rewriteRows are
// pending); ids are never given twice.
//
// Webhook mode keeps the table (models.Store): replicas share it.
type Journal struct {
	path string
	now  func() time.Time

	mu      sync.Mutex
	f       journalFile
	size    int64
	base    int64                       // size right after the last rewrite
	next    uint                        // the id the next row gets
	pending map[uint]models.InboxUpdate // stored, not handled
	seen    map[int64]time.Time         // update ids stored, for redeliveries
	broken  error                       // a write that could not be cut off
}

// journalFile is what Journal needs of its file; tests inject failures.
type journalFile interface {
	io.Writer
	Truncate(size int64) error
	Close() error
}

// rotateBytes is the size past which the journal is rewritten, once at
// most rewriteRows are pending (the batch just stored is, at any load), or
// whatever is pending past eight times that (a handler stuck on one chat).
const (
	rotateBytes = 1 << 20
	rewriteRows = 256
)

// journalRecord is one line's JSON. A row has ID; Done lists handled ids;
// Next carries the id counter over a rewrite, Seen the update ids stored
// within models.UpdateWindow ([update id, unix nanoseconds]).
type journalRecord struct {
	ID       uint      `json:"id,omitempty"`
	UpdateID int64     `json:"update_id,omitempty"`
	Chat     int64     `json:"chat,omitempty"`
	At       time.Time `json:"at,omitzero"`
	Payload  string    `json:"payload,omitempty"`
	// Raw holds a payload that is not valid UTF-8, which a JSON string
	// would carry with U+FFFD in place of its bytes.
	Raw  []byte     `json:"raw,omitempty"`
	Done []uint     `json:"done,omitempty"`
	Next uint       `json:"next,omitempty"`
	Seen [][2]int64 `json:"seen,omitempty"`
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// OpenJournal reads the journal at path (creating it, mode 0600), keeps the
// rows not handled and rewrites the file with only those and the update
// ids seen within the window.
func OpenJournal(path string, now func() time.Time) (*Journal, error) {
	if now == nil {
		now = time.Now
	}
	j := &Journal{path: path, now: now, next: 1, pending: map[uint]models.InboxUpdate{}, seen: map[int64]time.Time{}}
	if err := j.read(); err != nil {
		return nil, err
	}
	if err := j.rewrite(); err != nil {
		return nil, err
	}
	return j, nil
}

// read replays the file into the journal's state.
func (j *Journal) read() error {
	f, err := os.Open(j.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open inbox journal: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 64<<10)
	for {
		line, err := r.ReadBytes('\n')
		if err == io.EOF {
			return nil // a line without its newline is torn: dropped
		}
		if err != nil {
			return fmt.Errorf("read inbox journal: %w", err)
		}
		rec, ok := decodeRecord(line)
		if !ok {
			return nil // torn or damaged: nothing after it was written by us
		}
		j.apply(rec)
	}
}

func decodeRecord(line []byte) (journalRecord, bool) {
	var rec journalRecord
	sum, body, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\n")), []byte(" "))
	if !ok || len(sum) != 8 {
		return rec, false
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil || crc32.Checksum(body, castagnoli) != uint32(want) {
		return rec, false
	}
	return rec, json.Unmarshal(body, &rec) == nil
}

func (j *Journal) apply(rec journalRecord) {
	j.next = max(j.next, rec.Next, rec.ID+1)
	if rec.ID != 0 {
		payload := rec.Payload
		if rec.Raw != nil {
			payload = string(rec.Raw)
		}
		j.pending[rec.ID] = models.InboxUpdate{ID: rec.ID, UpdateID: rec.UpdateID, Chat: rec.Chat, Payload: payload, ReceivedAt: rec.At}
		j.see(rec.UpdateID, rec.At)
	}
	for _, s := range rec.Seen {
		j.see(s[0], time.Unix(0, s[1]).UTC())
	}
	for _, id := range rec.Done {
		delete(j.pending, id)
	}
}

// see remembers that update id was stored at, keeping the later time.
func (j *Journal) see(updateID int64, at time.Time) {
	if old, ok := j.seen[updateID]; !ok || at.After(old) {
		j.seen[updateID] = at
	}
}

// rewrite replaces the file with the id counter, the update ids seen
// within the window and the pending rows. The new file is renamed over
// the old one, so a kill leaves one or the other; the descriptor written
// is the one renamed, so no append can go to a file no longer at path.
//
// The seen ids are kept because a handled update is not yet confirmed to
// Telegram when the file is rewritten at a flush or at a start: the last
// batch comes again at the next start.
func (j *Journal) rewrite() error {
	cutoff := j.now().UTC().Add(-models.UpdateWindow)
	seen := make([][2]int64, 0, len(j.seen))
	for id, at := range j.seen {
		if at.Before(cutoff) {
			delete(j.seen, id) // older than the window: a new update
			continue
		}
		seen = append(seen, [2]int64{id, at.UnixNano()})
	}
	slices.SortFunc(seen, func(a, b [2]int64) int { return cmp.Compare(a[0], b[0]) })
	var buf bytes.Buffer
	appendRecord(&buf, journalRecord{Next: j.next, Seen: seen})
	for _, row := range j.sortedPending() {
		appendRecord(&buf, rowRecord(row))
	}
	tmp := j.path + ".tmp"
	// O_TRUNC keeps a leftover file's mode: Chmod sets it, as the file
	// holds what users wrote.
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("rewrite inbox journal: %w", err)
	}
	err = f.Chmod(0o600)
	if err == nil {
		_, err = f.Write(buf.Bytes())
	}
	if err == nil {
		err = os.Rename(tmp, j.path)
	}
	if err != nil {
		_ = f.Close()
		return fmt.Errorf("rewrite inbox journal: %w", err)
	}
	if j.f != nil {
		_ = j.f.Close()
	}
	j.f, j.size, j.base = f, int64(buf.Len()), int64(buf.Len())
	return nil
}

func rowRecord(row models.InboxUpdate) journalRecord {
	rec := journalRecord{ID: row.ID, UpdateID: row.UpdateID, Chat: row.Chat, At: row.ReceivedAt, Payload: row.Payload}
	if !utf8.ValidString(row.Payload) {
		rec.Payload, rec.Raw = "", []byte(row.Payload)
	}
	return rec
}

func appendRecord(buf *bytes.Buffer, rec journalRecord) {
	body, _ := json.Marshal(rec) // only strings, numbers and a time: cannot fail
	fmt.Fprintf(buf, "%08x ", crc32.Checksum(body, castagnoli))
	buf.Write(body)
	buf.WriteByte('\n')
}

func (j *Journal) sortedPending() []models.InboxUpdate {
	rows := make([]models.InboxUpdate, 0, len(j.pending))
	for _, row := range j.pending {
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b models.InboxUpdate) int { return cmp.Compare(a.ID, b.ID) })
	return rows
}

// StoreInbox writes batch and the marks of handled in one write and
// returns the rows stored, with their ids. An update id stored within
// models.UpdateWindow is a redelivery and is skipped, as the table does.
func (j *Journal) StoreInbox(_ context.Context, batch []models.InboxUpdate, handled []uint) ([]models.InboxUpdate, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if err := j.writable(); err != nil {
		return nil, err
	}
	now := j.now().UTC()
	var buf bytes.Buffer
	if len(handled) > 0 {
		appendRecord(&buf, journalRecord{Done: handled})
	}
	stored := j.fresh(batch, now)
	for _, row := range stored {
		appendRecord(&buf, rowRecord(row))
	}
	if buf.Len() == 0 {
		return nil, nil
	}
	if err := j.append(buf.Bytes()); err != nil {
		return nil, err
	}
	j.commit(stored, handled, now)
	// Measured from the last rewrite's size: rows left pending (a stuck
	// handler) past the bound must not make every write a rewrite.
	if grown := j.size - j.base; grown > rotateBytes && len(j.pending) <= rewriteRows || grown > 8*rotateBytes {
		_ = j.rewrite() // failing, it is still appending to the old file, which holds everything
	}
	return stored, nil
}

// writable tells why the journal takes no write: closed, or a failed
// write left a torn record that could not be cut off.
func (j *Journal) writable() error {
	if j.broken != nil {
		return j.broken
	}
	if j.f == nil {
		return fmt.Errorf("inbox journal %s: closed", j.path)
	}
	return nil
}

// fresh numbers the updates of batch not seen within the window.
func (j *Journal) fresh(batch []models.InboxUpdate, now time.Time) []models.InboxUpdate {
	var out []models.InboxUpdate
	next := j.next
	seen := map[int64]bool{}
	for _, u := range batch {
		if at, ok := j.seen[u.UpdateID]; ok && now.Sub(at) < models.UpdateWindow || seen[u.UpdateID] {
			continue
		}
		seen[u.UpdateID] = true
		u.ID, u.ReceivedAt, u.HandledAt = next, now, nil
		next++
		out = append(out, u)
	}
	return out
}

// append writes data whole or, failing, cuts the file back to where it was.
func (j *Journal) append(data []byte) error {
	n, err := j.f.Write(data)
	if err == nil {
		j.size += int64(n)
		return nil
	}
	if terr := j.f.Truncate(j.size); terr != nil {
		j.broken = fmt.Errorf("inbox journal %s: a failed write could not be cut off (%v): restart duban", j.path, terr)
	}
	return fmt.Errorf("write inbox journal: %w", err)
}

func (j *Journal) commit(stored []models.InboxUpdate, handled []uint, now time.Time) {
	for _, id := range handled {
		delete(j.pending, id)
	}
	for _, row := range stored {
		j.pending[row.ID] = row
		j.seen[row.UpdateID] = now
		j.next = row.ID + 1
	}
}

// PendingInbox returns the rows not handled, in the order they came.
func (j *Journal) PendingInbox(context.Context) ([]models.InboxUpdate, error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.sortedPending(), nil
}

// PruneInbox has nothing to do: StoreInbox rewrites the file as it grows.
func (j *Journal) PruneInbox(context.Context) (int64, error) { return 0, nil }

// Close closes the file.
func (j *Journal) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// Adopt moves the rows the inbox table holds unhandled (left by a version
// of duban before the journal) into the journal, then marks them handled
// in the table. A crash in between hands them over twice, and the
// handler's duplicate check drops the second.
func Adopt(ctx context.Context, table Store, j *Journal) (int, error) {
	rows, err := table.PendingInbox(ctx)
	if err != nil || len(rows) == 0 {
		return 0, err
	}
	ids := make([]uint, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	j.mu.Lock()
	if err := j.writable(); err != nil {
		j.mu.Unlock()
		return 0, err
	}
	var buf bytes.Buffer
	adopted := make([]models.InboxUpdate, len(rows))
	for i, row := range rows {
		row.ID, row.HandledAt = j.next+uint(i), nil
		adopted[i] = row
		appendRecord(&buf, rowRecord(row))
	}
	err = j.append(buf.Bytes())
	if err == nil {
		j.commit(adopted, nil, j.now().UTC())
	}
	j.mu.Unlock()
	if err != nil {
		return 0, err
	}
	if _, err := table.StoreInbox(ctx, nil, ids); err != nil {
		return 0, fmt.Errorf("mark adopted inbox rows handled: %w", err)
	}
	return len(rows), nil
}
