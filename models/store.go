// Package models owns persistence: the GORM models of the plan, contacts,
// reports and bot state, and the queries the rest of duban needs. It is the
// only package that imports gorm.
package models

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"github.com/duban-bot/duban/secret"
)

// Options are the dependencies of a Store.
type Options struct {
	// Now is the clock used for CreatedAt/UpdatedAt and every "now" the store needs.
	Now func() time.Time
	// Logger receives slow queries and database errors.
	Logger *slog.Logger
	// Secrets redacts the error texts the store keeps (outbox.last_error);
	// nil still removes whatever looks like a token or a URL password.
	Secrets *secret.Redactor
	// NoMigrate opens the database as it is, for commands that only read:
	// it changes nothing and fails with ErrSchemaOutdated when the schema
	// is older than this binary's (see OpenExisting).
	NoMigrate bool
}

// Store is the database behind duban: SQLite by default, PostgreSQL for a
// postgres:// DSN.
type Store struct {
	db      *gorm.DB
	now     func() time.Time
	secrets *secret.Redactor
	// views keeps what the overview read last (see overview_cache.go);
	// nil inside a transaction, which always reads afresh.
	views *overviewCache
	// hot keeps contacts and department plans (see hot_cache.go); nil
	// inside a transaction, which always reads afresh.
	hot *hotCache
	// inTx is set on the store Tx hands to its function (see atomically).
	inTx bool
}

// idleConns keeps open the connections of the busiest moment: the eight
// dispatcher queues, the poller and the outbox. With database/sql's
// default of two, the others were closed after each use and opened again
// (SQLite runs its PRAGMAs and prepares every statement anew on a new
// connection): a sixth of a report's CPU.
const idleConns = 12

// preparedStatements bounds the prepared statement cache (LRU).
const preparedStatements = 128

// IsPostgres reports whether dsn selects PostgreSQL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn, applies the migrations it lacks and returns the
// store.
func Open(dsn string, o Options) (*Store, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	now := func() time.Time { return o.Now().UTC() }
	cfg := &gorm.Config{
		TranslateError: true,
		NowFunc:        now,
		Logger:         dbLogger{log: o.Logger, slow: slowStatement},
		// Prepared once per connection and reused: parsing the SQL was a
		// tenth of a report's CPU. The cache is bounded (IN lists of
		// varying length make new statements) to keep memory flat.
		PrepareStmt:        true,
		PrepareStmtMaxSize: preparedStatements,
	}
	if IsPostgres(dsn) {
		return open(postgres.Open(dsn), cfg, o)
	}
	path := sqlitePath(dsn)
	if path != "" && o.NoMigrate {
		if _, err := os.Stat(path); err != nil {
			return nil, fmt.Errorf("no database to read: %w", err)
		}
	} else if path != "" {
		if err := prepareSQLiteFile(path, o.Logger); err != nil {
			return nil, explainOpen(path, err, dirWritable)
		}
	}
	conn := sql.OpenDB(newGatedConnector(sqliteDSN(dsn, o.NoMigrate)))
	s, err := open(sqlite.New(sqlite.Config{Conn: conn}), cfg, o)
	if err != nil {
		_ = conn.Close() // open closes it too once GORM holds it; twice is harmless
	}
	if err != nil && path != "" {
		return nil, explainOpen(path, err, dirWritable)
	}
	return s, err
}

func open(dial gorm.Dialector, cfg *gorm.Config, o Options) (*Store, error) {
	db, err := gorm.Open(dial, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s := &Store{db: db, now: cfg.NowFunc, secrets: o.Secrets, views: &overviewCache{}, hot: newHotCache()}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.SetMaxIdleConns(idleConns)
	}
	// Migrate before keeping statements prepared on the pool: preparing an
	// UPDATE on PostgreSQL locks its table, which a migration's own
	// transaction may hold exclusively (ALTER TABLE), and the two would
	// wait for each other.
	check := s.migrate
	if o.NoMigrate {
		check = s.checkSchema
	}
	if err := check(); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := keepPrepared(db); err != nil {
		_ = s.Close()
		return nil, err
	}
	if err := s.hot.watch(db); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// OpenExisting opens dsn for reading without changing its schema: a
// snapshot or a backup can be inspected, and a read-only command never
// races a replica's migration. A schema older than this binary's is
// ErrSchemaOutdated.
func OpenExisting(dsn string, o Options) (*Store, error) {
	o.NoMigrate = true
	return Open(dsn, o)
}

// sqliteDSN adds the connection parameters duban relies on:
//   - WAL lets readers (status, exports) run while a report is written;
//   - a busy timeout waits for the writer instead of failing at once;
//   - immediate transactions take the write lock at BEGIN, because a deferred
//     transaction that read first cannot wait for the lock (SQLITE_BUSY_SNAPSHOT);
//   - foreign keys are off in SQLite unless asked for.
//
// A read-only open (a backup being inspected) keeps the file's journal mode
// and opens it mode=ro, so it writes nothing.
func sqliteDSN(dsn string, readOnly bool) string {
	params := "_synchronous=FULL&_journal_mode=WAL&_busy_timeout=10000&_txlock=immediate&_foreign_keys=1"
	if readOnly {
		params = "mode=ro&_busy_timeout=10000&_foreign_keys=1"
	}
	if !strings.HasPrefix(dsn, "file:") {
		dsn = "file:" + dsn
	}
	if strings.Contains(dsn, "?") {
		return dsn + "&" + params
	}
	return dsn + "?" + params
}

// Close releases the database connections.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("close database: %w", err)
	}
	return sqlDB.Close()
}

// Now is the store's clock, in UTC.
func (s *Store) Now() time.Time { return s.now() }

// Tx runs fn in one transaction: everything fn does through the given store
// commits together or not at all.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	return s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Store{db: db, now: s.now, secrets: s.secrets, inTx: true})
	})
}

// DB exposes the gorm handle for tests that count queries; production code
// goes through the Store's methods.
func (s *Store) DB() *gorm.DB { return s.db }

func (s *Store) ctx(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }
