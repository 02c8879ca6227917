package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migration is one numbered step of the schema. Steps run in order, each
// at most once per database, and each must be safe to run on a database
// that already has part of what it creates: version 1 adopts databases made
// before the schema had versions, which may be at any older layout.
type migration struct {
	version int
	name    string
	up      func(db *gorm.DB) error
}

// migrations is the schema's history. Append a step for every change of
// the models (a new table: AutoMigrate of its model; a changed column:
// AutoMigrate plus whatever data the change needs); never edit a step that
// has shipped.
func migrations() []migration {
	return []migration{
		{version: 1, name: "baseline", up: baseline},
		{version: 2, name: "inbox and owed replies", up: func(db *gorm.DB) error {
			return db.AutoMigrate(&InboxUpdate{}, &replyOwed{})
		}},
		{version: 3, name: "evidence review", up: func(db *gorm.DB) error {
			return db.AutoMigrate(&TaskNote{}, &Metric{})
		}},
		{version: 4, name: "cache revisions", up: migrateRevisions},
		{version: 5, name: "first-value index of reports", up: migrateReportFirstIndex},
		{version: 6, name: "dialog rows carry their marks and owed reply", up: migrateDialogRows},
	}
}

// SchemaVersion is the version of the schema this binary expects.
func SchemaVersion() int {
	steps := migrations()
	return steps[len(steps)-1].version
}

// schemaMigration records an applied step.
type schemaMigration struct {
	Version   int `gorm:"primaryKey;autoIncrement:false"`
	Name      string
	AppliedAt time.Time
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrateLockKey names the advisory lock of the schema on PostgreSQL. It is
// hashed with the current schema, so replicas of one deployment share it and
// the test suite's schemas do not wait for each other.
const migrateLockKey = "duban.migrate"

// migrate applies the steps this database lacks, in one transaction, under
// the database's lock: on PostgreSQL an advisory lock held until commit; on
// SQLite the write lock that BEGIN IMMEDIATE (the DSN's _txlock) takes. Any
// number of processes may start at once: the first applies, the others wait
// for its commit, then find nothing left to do.
func (s *Store) migrate() error {
	err := s.db.Transaction(func(tx *gorm.DB) error {
		if tx.Dialector.Name() == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ?))", migrateLockKey).Error; err != nil {
				return fmt.Errorf("take the migration lock: %w", err)
			}
		}
		if err := tx.AutoMigrate(&schemaMigration{}); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		applied, err := appliedVersions(tx)
		if err != nil {
			return err
		}
		for _, m := range migrations() {
			if applied[m.version] {
				continue
			}
			if err := m.up(tx); err != nil {
				return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
			}
			row := schemaMigration{Version: m.version, Name: m.name, AppliedAt: s.now()}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("record migration %d: %w", m.version, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("migrate schema: %w", err)
	}
	return nil
}

func appliedVersions(db *gorm.DB) (map[int]bool, error) {
	var versions []int
	if err := db.Model(&schemaMigration{}).Pluck("version", &versions).Error; err != nil {
		return nil, fmt.Errorf("read schema_migrations: %w", err)
	}
	applied := make(map[int]bool, len(versions))
	for _, v := range versions {
		applied[v] = true
	}
	return applied, nil
}

// ErrSchemaOutdated is returned by OpenExisting for a database whose schema
// is older than this binary's (or has no schema at all).
var ErrSchemaOutdated = errors.New("database schema is older than this duban")

// checkSchema reports whether every step of this binary has been applied,
// reading only.
func (s *Store) checkSchema() error {
	if !s.db.Migrator().HasTable(&schemaMigration{}) {
		if !s.db.Migrator().HasTable(&Department{}) {
			return fmt.Errorf("%w: the database is empty (run `duban migrate` or `duban seed`)", ErrSchemaOutdated)
		}
		return fmt.Errorf("%w: it predates schema versions; run `duban migrate` (or start `duban serve`) once with this binary", ErrSchemaOutdated)
	}
	applied, err := appliedVersions(s.db)
	if err != nil {
		return err
	}
	for _, m := range migrations() {
		if !applied[m.version] {
			return fmt.Errorf("%w: version %d (%s) is not applied; run `duban migrate` (or start `duban serve`) once with this binary", ErrSchemaOutdated, m.version, m.name)
		}
	}
	return nil
}

// SchemaCurrent reports whether the database is reachable and has every
// migration of this binary applied (the readiness check).
func (s *Store) SchemaCurrent() error { return s.checkSchema() }

// baseline is the schema as it stood when versions began. On an empty
// database it creates every table; on one made by an older duban (any
// layout since the plan had years or before) it adds what is missing and
// brings the data along, as every start used to.
func baseline(db *gorm.DB) error {
	// Notes for no task could be stored before task_notes had its foreign
	// key; they belong to nothing and would stop the constraint's creation.
	if db.Migrator().HasTable(&TaskNote{}) {
		if err := db.Exec("DELETE FROM task_notes WHERE task_id NOT IN (SELECT id FROM tasks)").Error; err != nil {
			return fmt.Errorf("drop notes without a task: %w", err)
		}
	}
	err := db.AutoMigrate(
		&Department{}, &Task{}, &Metric{}, &Contact{}, &Report{}, &TaskNote{},
		&Invite{}, &DialogState{}, &ProcessedUpdate{}, &planYear{}, &Job{}, &Notice{}, &Extension{}, &Outbox{}, &Nudge{},
		&TargetChange{},
	)
	if err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	return upgradeYears(db)
}

// migrateDialogRows adds the dialog row's department, handled marks and
// owed reply and the revisions of the departments' reports (step 6), and
// moves the owed replies there from their own
// table when the dialog still shows that step.
func migrateDialogRows(db *gorm.DB) error {
	if err := db.AutoMigrate(&DialogState{}, &reportRevision{}); err != nil {
		return fmt.Errorf("add dialog columns: %w", err)
	}
	if !db.Migrator().HasTable(&replyOwed{}) {
		return nil
	}
	err := db.Exec("UPDATE dialog_states SET owed_text = (SELECT o.text FROM replies_owed o " +
		"WHERE o.chat_id = dialog_states.chat_id AND o.version = dialog_states.version AND o.message_id = dialog_states.message_id), " +
		"owed_markup = (SELECT o.markup FROM replies_owed o WHERE o.chat_id = dialog_states.chat_id) " +
		"WHERE EXISTS (SELECT 1 FROM replies_owed o WHERE o.chat_id = dialog_states.chat_id " +
		"AND o.version = dialog_states.version AND o.message_id = dialog_states.message_id)").Error
	if err != nil {
		return fmt.Errorf("move owed replies: %w", err)
	}
	if err := db.Migrator().DropTable(&replyOwed{}); err != nil {
		return fmt.Errorf("drop owed replies: %w", err)
	}
	return nil
}
