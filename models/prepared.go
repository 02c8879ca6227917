package models

import (
	"fmt"

	"gorm.io/gorm"
)

// keepPrepared works around how GORM's prepared statement cache meets
// database/sql: a statement first run inside a transaction is cached as
// that transaction's statement, which database/sql closes at commit and
// prepares again in every later transaction. The report path runs its
// writes in transactions, so without this its statements were parsed on
// every update (7 % of a report's CPU). After a statement in a
// transaction, a transaction-bound cache entry is replaced by one
// prepared on the pool; transactions then reuse it per connection. A
// write's callback runs before GORM commits the write's own transaction,
// while the statement still sees it.
func keepPrepared(db *gorm.DB) error {
	promote := func(tx *gorm.DB) {
		ptx, ok := tx.Statement.ConnPool.(*gorm.PreparedStmtTX)
		if !ok || tx.Error != nil {
			return
		}
		p, query := ptx.PreparedStmtDB, tx.Statement.SQL.String()
		if st, ok := p.Stmts.Get(query); !ok || !st.Transaction {
			return
		}
		p.Mux.Lock()
		if st, ok := p.Stmts.Get(query); !ok || !st.Transaction {
			p.Mux.Unlock()
			return
		}
		// New unlocks the mutex once the entry is in place. A failure
		// leaves no entry: the next use prepares it as before.
		_, _ = p.Stmts.New(tx.Statement.Context, query, false, p.ConnPool, p.Mux)
	}
	cb := db.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().After("gorm:create").Before("gorm:commit_or_rollback_transaction").Register("prepared:create", promote),
		"query":  cb.Query().After("gorm:query").Register("prepared:query", promote),
		"update": cb.Update().After("gorm:update").Before("gorm:commit_or_rollback_transaction").Register("prepared:update", promote),
		"delete": cb.Delete().After("gorm:delete").Before("gorm:commit_or_rollback_transaction").Register("prepared:delete", promote),
		"row":    cb.Row().After("gorm:row").Register("prepared:row", promote),
		"raw":    cb.Raw().After("gorm:raw").Register("prepared:raw", promote),
	} {
		if err != nil {
			return fmt.Errorf("keep prepared %s: %w", name, err)
		}
	}
	return nil
}
