package models

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// hotCache keeps what every update of the report path reads and what
// changes only on seed, import, target change, binding, role change or
// leave: the contacts by Telegram id and the department plans by year.
// Entries are shared and immutable: a change drops them all, and they are
// read again as a whole.
//
// Freshness is checked in two ways:
//   - in this process, every write to a cached table (a GORM callback, see
//     watch) bumps a local counter, so the next read reloads;
//   - across processes and replicas (the CLI seeding a plan, another
//     replica binding a contact), one cheap statement reads a generation
//     of the database: the contacts' revision (cache_revisions, bumped in
//     the transaction of every write to contacts) and the sum of every
//     plan year's revision (bumped by SyncPlan, CreatePlan, ChangeTarget). ContactByTelegramID, which starts every update, always
//     checks it; a plan read checks it when the last check is older than
//     planCheckEvery, so within one update the plan costs nothing.
type hotCache struct {
	local atomic.Int64 // bumped by every write to a cached table

	mu        sync.Mutex
	gen       generation
	checkedAt time.Time // monotonic: a cache age, not business time
	contacts  map[int64]Contact
	plans     map[planKey]Department
	years     []int // nil: not read since the last change
	// values are the dialog screens' latest values per department and
	// period, each with the count of the department's reports it was read
	// at (see DepartmentLatest).
	values map[valuesKey]valuesEntry
}

type planKey struct {
	year int
	dept uint
}

// generation is what the cache was read at; any difference reloads it.
type generation struct {
	local    int64
	contacts int64 // cache_revisions' row for contacts
	plan     int64 // plan years plus the sum of their revisions
}

// cacheRevision counts the changes of a cached table that has no revision
// of its own (contacts): every write to it through GORM bumps the row in
// the same transaction (see watch), whichever process makes it.
type cacheRevision struct {
	Name     string `gorm:"primaryKey"`
	Revision int64  `gorm:"not null;default:0"`
}

const bumpContacts = "UPDATE cache_revisions SET revision = revision + 1 WHERE name = 'contacts'"

// migrateRevisions creates the revision table and its contacts row
// (migration step 4).
func migrateRevisions(db *gorm.DB) error {
	if err := db.AutoMigrate(&cacheRevision{}); err != nil {
		return fmt.Errorf("create cache revisions: %w", err)
	}
	err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&cacheRevision{Name: "contacts"}).Error
	if err != nil {
		return fmt.Errorf("create cache revisions: %w", err)
	}
	return nil
}

// planCheckEvery bounds how stale a plan read outside an update may be
// when another process changed the plan.
const planCheckEvery = time.Second

func newHotCache() *hotCache {
	return &hotCache{contacts: map[int64]Contact{}, plans: map[planKey]Department{}, values: map[valuesKey]valuesEntry{}}
}

// cachedTables are the tables whose writes drop the cache.
var cachedTables = []string{"contacts", "departments", "tasks", "metrics", "plan_years"}

// writtenTable is the table a raw INSERT, UPDATE or DELETE writes, so that
// a subquery reading a cached table does not drop the cache; for any other
// statement (DDL, an unusual form) it is the whole statement, which drops
// the cache when it names a cached table anywhere.
func writtenTable(sql string) string {
	f := strings.Fields(sql)
	var name string
	switch {
	case len(f) >= 3 && strings.EqualFold(f[0], "INSERT") && strings.EqualFold(f[1], "INTO"),
		len(f) >= 3 && strings.EqualFold(f[0], "DELETE") && strings.EqualFold(f[1], "FROM"):
		name = f[2]
	case len(f) >= 2 && strings.EqualFold(f[0], "UPDATE"):
		name = f[1]
	default:
		return sql
	}
	return strings.Trim(name, "`\"")
}

// watch registers the callbacks that drop the cache on a write to one of
// its tables through db (in a transaction too: the commit may follow, and
// a read before it reloads once more, which is harmless).
func (h *hotCache) watch(db *gorm.DB) error {
	bump := func(tx *gorm.DB) {
		table := tx.Statement.Table
		if table == "" {
			table = writtenTable(tx.Statement.SQL.String())
		}
		if tx.Statement.Table == "contacts" && tx.Error == nil {
			// GORM runs a write in a transaction of its own (or the
			// caller's): the bump commits or rolls back with it.
			if _, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, bumpContacts); err != nil {
				_ = tx.AddError(fmt.Errorf("bump contacts revision: %w", err))
			}
		}
		for _, t := range cachedTables {
			if strings.Contains(table, t) {
				h.local.Add(1)
				return
			}
		}
	}
	cb := db.Callback()
	for name, err := range map[string]error{
		"create": cb.Create().After("gorm:create").Before("gorm:commit_or_rollback_transaction").Register("hot:create", bump),
		"update": cb.Update().After("gorm:update").Before("gorm:commit_or_rollback_transaction").Register("hot:update", bump),
		"delete": cb.Delete().After("gorm:delete").Before("gorm:commit_or_rollback_transaction").Register("hot:delete", bump),
		"raw":    cb.Raw().After("gorm:raw").Register("hot:raw", bump),
	} {
		if err != nil {
			return fmt.Errorf("watch %s: %w", name, err)
		}
	}
	return nil
}

// readGeneration is the one statement that tells whether the cache is stale.
func (s *Store) readGeneration(ctx context.Context, local int64) (generation, error) {
	g := generation{local: local}
	row := s.ctx(ctx).Raw("SELECT (SELECT revision FROM cache_revisions WHERE name = 'contacts'), " +
		"(SELECT CAST(COUNT(*) + COALESCE(SUM(revision), 0) AS BIGINT) FROM plan_years)").Row()
	if err := row.Scan(&g.contacts, &g.plan); err != nil {
		return g, fmt.Errorf("cache generation: %w", err)
	}
	return g, nil
}

// check reads the generation and drops the cache when it moved.
func (s *Store) checkHot(ctx context.Context) error {
	h := s.hot
	g, err := s.readGeneration(ctx, h.local.Load())
	if err != nil {
		return err
	}
	h.advance(g)
	return nil
}

// advance records a generation just read, dropping the cache when it moved.
func (h *hotCache) advance(g generation) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if g != h.gen {
		h.gen = g
		clear(h.contacts)
		clear(h.plans)
		clear(h.values)
		h.years = nil
	}
	h.checkedAt = time.Now()
}

// hotContact is ContactByTelegramID through the cache.
func (s *Store) hotContact(ctx context.Context, id int64) (Contact, error) {
	if err := s.checkHot(ctx); err != nil {
		return Contact{}, err
	}
	return s.cachedContact(ctx, id)
}

// cachedContact reads a contact through the cache as last checked.
func (s *Store) cachedContact(ctx context.Context, id int64) (Contact, error) {
	h := s.hot
	h.mu.Lock()
	c, ok := h.contacts[id]
	gen := h.gen
	h.mu.Unlock()
	if ok {
		return c, nil
	}
	c, err := s.loadContact(ctx, id)
	if err != nil {
		return c, err
	}
	h.store(gen, func() { h.contacts[id] = c })
	return c, nil
}

// recheck reads the generation again unless it was read within
// planCheckEvery and nothing was written here since.
func (s *Store) recheck(ctx context.Context) error {
	h := s.hot
	h.mu.Lock()
	stale := time.Since(h.checkedAt) > planCheckEvery || h.gen.local != h.local.Load()
	h.mu.Unlock()
	if stale {
		return s.checkHot(ctx)
	}
	return nil
}

// hotYears is PlanYears through the cache.
func (s *Store) hotYears(ctx context.Context) ([]int, error) {
	if err := s.recheck(ctx); err != nil {
		return nil, err
	}
	h := s.hot
	h.mu.Lock()
	years, gen := h.years, h.gen
	h.mu.Unlock()
	if years != nil {
		return slices.Clone(years), nil
	}
	years, err := s.loadPlanYears(ctx)
	if err != nil {
		return nil, err
	}
	if years == nil {
		years = []int{}
	}
	h.store(gen, func() { h.years = years })
	return slices.Clone(years), nil
}

// hotPlan is DepartmentPlan through the cache.
func (s *Store) hotPlan(ctx context.Context, year int, id uint) (Department, error) {
	if err := s.recheck(ctx); err != nil {
		return Department{}, err
	}
	h := s.hot
	key := planKey{year, id}
	h.mu.Lock()
	d, ok := h.plans[key]
	gen := h.gen
	h.mu.Unlock()
	if ok {
		return d, nil
	}
	d, err := s.loadDepartmentPlan(ctx, year, id)
	if err != nil {
		return d, err
	}
	h.store(gen, func() { h.plans[key] = d })
	return d, nil
}

// store keeps an entry read at gen, unless the cache moved on meanwhile
// (then the entry may be older than what the cache holds).
func (h *hotCache) store(gen generation, put func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gen == gen && h.local.Load() == gen.local {
		put()
	}
}
