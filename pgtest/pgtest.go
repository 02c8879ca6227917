// Package pgtest gives a test or benchmark a PostgreSQL schema of its own
// on the server DUBAN_TEST_POSTGRES names, dropped when it ends, so that
// tests running at once on one server never see each other's tables.
package pgtest

import (
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Env names the server's DSN.
const Env = "DUBAN_TEST_POSTGRES"

var seq atomic.Int64

// ServerDSN is the server's DSN. Without one the test is skipped, except
// under CI, which must run the PostgreSQL suite: there it fails.
func ServerDSN(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv(Env)
	if dsn == "" {
		if os.Getenv("CI") != "" {
			tb.Fatalf("CI must run the PostgreSQL suite: %s is empty", Env)
		}
		tb.Skipf("%s not set", Env)
	}
	return dsn
}

// SchemaDSN creates a schema named after prefix and returns a DSN whose
// search_path selects it. The schema is dropped when the test ends, after
// the test's own cleanups (which close what it opened on it).
func SchemaDSN(tb testing.TB, prefix string) string {
	tb.Helper()
	dsn := ServerDSN(tb)
	schema := fmt.Sprintf("%s%d_%d", prefix, time.Now().UnixNano(), seq.Add(1))
	exec(tb, dsn, "CREATE SCHEMA "+schema)
	tb.Cleanup(func() { exec(tb, dsn, "DROP SCHEMA "+schema+" CASCADE") })
	return InSchema(dsn, schema)
}

// InSchema is dsn with its search_path set to schema.
func InSchema(dsn, schema string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	return dsn + sep + "search_path=" + schema
}

func exec(tb testing.TB, dsn, stmt string) {
	db, err := gorm.Open(postgres.Open(dsn), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	if sqlDB, err := db.DB(); err == nil {
		defer sqlDB.Close()
	}
	if err := db.Exec(stmt).Error; err != nil {
		tb.Errorf("pgtest: %s: %v", stmt, err)
	}
}
