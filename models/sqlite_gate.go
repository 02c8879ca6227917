package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"
)

// SQLite lets one connection write at a time. A connection that finds the
// lock taken waits in SQLite's busy handler, which sleeps 1, 2, 5, 10 …
// ms between tries: under a steady stream of reports the lock sat free
// while writers slept, and the dispatcher's queues waited on them. The
// gate makes this process's writers queue in Go instead, where the next
// one starts the moment the last one commits. Writers of other processes
// (a CLI import next to the bot) still meet in SQLite's busy handler.
//
// A connection passes the gate for a transaction (held from BEGIN to its
// commit or rollback; with _txlock=immediate every BEGIN takes SQLite's
// write lock) and for a write outside one. Reads do not pass it.

// Every write is committed with synchronous=FULL (the WAL is synced to
// disk before COMMIT returns), so a confirmed value survives a power cut
// or a host crash, not only a killed process: mattn's default, NORMAL,
// syncs only at checkpoints, and a power cut could lose the last seconds
// of commits. A write whose context went through withoutSync (a dialog's
// step between two screens, which the user simply repeats if it is lost)
// is committed with NORMAL; the next synced commit syncs it too.

// syncFull and syncNormal are the values of PRAGMA synchronous.
const (
	syncFull   = "FULL"
	syncNormal = "NORMAL"
)

type unsyncedKey struct{}

// withoutSync marks ctx's writes as ones that may be lost at a power cut.
func withoutSync(ctx context.Context) context.Context {
	return context.WithValue(ctx, unsyncedKey{}, true)
}

func syncFor(ctx context.Context) string {
	if unsynced, _ := ctx.Value(unsyncedKey{}).(bool); unsynced {
		return syncNormal
	}
	return syncFull
}

// gateWait bounds the wait at the gate as the busy timeout bounds SQLite's:
// a writer that waits longer fails as SQLite would ("database is locked"),
// rather than hang a goroutine for ever behind a stuck transaction.
const gateWait = 10 * time.Second

// errGateTimeout is what a writer gets after gateWait.
var errGateTimeout = errors.New("database is locked: another write of this process held it too long")

// writeGate admits one writer at a time.
type writeGate chan struct{}

func (g writeGate) enter(ctx context.Context) error {
	select {
	case g <- struct{}{}: // free: no timer needed
		return nil
	default:
	}
	t := time.NewTimer(gateWait)
	defer t.Stop()
	select {
	case g <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return errGateTimeout
	}
}

func (g writeGate) leave() { <-g }

// gatedConnector opens SQLite connections that share one gate.
type gatedConnector struct {
	dsn  string
	gate writeGate
	drv  *sqlite3.SQLiteDriver
}

func newGatedConnector(dsn string) *gatedConnector {
	return &gatedConnector{dsn: dsn, gate: make(writeGate, 1), drv: &sqlite3.SQLiteDriver{}}
}

func (c *gatedConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	// sqliteDSN asks for synchronous=FULL on every connection it opens.
	return &gatedConn{SQLiteConn: conn.(*sqlite3.SQLiteConn), gate: c.gate, sync: syncFull}, nil
}

func (c *gatedConnector) Driver() driver.Driver { return c.drv }

// gatedConn is one connection; database/sql uses it from one goroutine at
// a time, so tx needs no lock.
type gatedConn struct {
	*sqlite3.SQLiteConn
	gate writeGate
	tx   *gatedTx // the open transaction, holding the gate
	sync string   // the connection's PRAGMA synchronous, "" until set
}

// setSync sets the connection's synchronous mode for the write ctx is
// about to begin; it runs outside a transaction, where SQLite takes it.
func (c *gatedConn) setSync(ctx context.Context) error {
	want := syncFor(ctx)
	if c.sync == want {
		return nil
	}
	if _, err := c.SQLiteConn.ExecContext(ctx, "PRAGMA synchronous = "+want, nil); err != nil {
		return fmt.Errorf("set synchronous %s: %w", want, err)
	}
	c.sync = want
	return nil
}

func (c *gatedConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	if err := c.gate.enter(ctx); err != nil {
		return nil, fmt.Errorf("begin: %w", err)
	}
	if err := c.setSync(ctx); err != nil {
		c.gate.leave()
		return nil, err
	}
	tx, err := c.SQLiteConn.BeginTx(ctx, opts)
	if err != nil {
		c.gate.leave()
		return nil, err
	}
	c.tx = &gatedTx{Tx: tx, conn: c}
	return c.tx, nil
}

func (c *gatedConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *gatedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	release, err := c.enterOutsideTx(ctx, true)
	if err != nil {
		return nil, err
	}
	defer release()
	return c.SQLiteConn.ExecContext(ctx, query, args)
}

func (c *gatedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	write := !isRead(query) && c.tx == nil
	release, err := c.enterOutsideTx(ctx, write)
	if err != nil {
		return nil, err
	}
	// A write's rows (RETURNING) are read before the gate opens again:
	// SQLite commits an autocommit write when its statement is reset.
	rows, err := c.SQLiteConn.QueryContext(ctx, query, args)
	return gatedRows(rows, err, release, write)
}

func (c *gatedConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	st, err := c.SQLiteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s := st.(*sqlite3.SQLiteStmt)
	return &gatedStmt{SQLiteStmt: s, conn: c, write: !s.Readonly()}, nil
}

func (c *gatedConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *gatedConn) Close() error {
	if c.tx != nil {
		c.tx.end()
	}
	return c.SQLiteConn.Close()
}

// enterOutsideTx passes the gate for a write outside a transaction; the
// connection's own transaction holds it already.
func (c *gatedConn) enterOutsideTx(ctx context.Context, write bool) (func(), error) {
	if !write || c.tx != nil {
		return func() {}, nil
	}
	if err := c.gate.enter(ctx); err != nil {
		return nil, fmt.Errorf("write: %w", err)
	}
	if err := c.setSync(ctx); err != nil {
		c.gate.leave()
		return nil, err
	}
	return c.gate.leave, nil
}

// isRead tells a plain read: a SELECT, or a PRAGMA that sets nothing.
// Anything else read through Query counts as a write (INSERT … RETURNING).
func isRead(query string) bool {
	q := strings.TrimLeft(query, " \t\r\n(")
	// mattn runs every statement of the text: a read is one statement (a
	// ';' inside a literal only makes a read queue at the gate).
	if i := strings.IndexByte(q, ';'); i >= 0 && strings.TrimSpace(q[i+1:]) != "" {
		return false
	}
	word := func(w string) bool { return len(q) >= len(w) && strings.EqualFold(q[:len(w)], w) }
	return word("select") || word("pragma") && !strings.ContainsAny(q, "=(")
}

type gatedTx struct {
	driver.Tx
	conn *gatedConn
}

func (t *gatedTx) Commit() error {
	defer t.end()
	return t.Tx.Commit()
}

func (t *gatedTx) Rollback() error {
	defer t.end()
	return t.Tx.Rollback()
}

// end opens the gate once, whichever of Commit, Rollback or Close comes.
func (t *gatedTx) end() {
	if t.conn.tx == t {
		t.conn.tx = nil
		t.conn.gate.leave()
	}
}

type gatedStmt struct {
	*sqlite3.SQLiteStmt
	conn  *gatedConn
	write bool
}

func (s *gatedStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	release, err := s.conn.enterOutsideTx(ctx, s.write)
	if err != nil {
		return nil, err
	}
	defer release()
	return s.SQLiteStmt.ExecContext(ctx, args)
}

func (s *gatedStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	write := s.write && s.conn.tx == nil
	release, err := s.conn.enterOutsideTx(ctx, write)
	if err != nil {
		return nil, err
	}
	rows, err := s.SQLiteStmt.QueryContext(ctx, args)
	return gatedRows(rows, err, release, write)
}

// gatedRows opens the gate when the rows are closed (or at once on error).
// Rows read without passing the gate are handed on as they are, so
// database/sql still sees every optional interface of the driver's rows.
func gatedRows(rows driver.Rows, err error, release func(), gated bool) (driver.Rows, error) {
	if err != nil {
		release()
		return nil, err
	}
	if !gated {
		return rows, nil
	}
	return &releasingRows{SQLiteRows: rows.(*sqlite3.SQLiteRows), release: release}, nil
}

type releasingRows struct {
	*sqlite3.SQLiteRows
	release func()
}

func (r *releasingRows) Close() error {
	err := r.SQLiteRows.Close()
	if r.release != nil {
		r.release()
		r.release = nil
	}
	return err
}
