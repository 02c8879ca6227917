package scheduler

import (
	"context"
	"time"

	"github.com/duban-bot/duban/models"
)

// Store is what the scheduler needs from the database. *models.Store
// satisfies it.
type Store interface {
	Plan(ctx context.Context, year int) ([]models.Department, error)
	LatestReports(ctx context.Context, maxPeriod string, metricIDs ...uint) (map[uint]models.Report, error)
	PeriodReports(ctx context.Context, period string, metricIDs ...uint) (map[uint]models.Report, error)
	ContactsByDepartment(ctx context.Context) (map[uint][]models.Contact, error)
	Coordinators(ctx context.Context) ([]models.Contact, error)

	ApprovedExtensions(ctx context.Context, periods []string) (map[string]map[uint]models.Extension, error)
	ExtendedPeriods(ctx context.Context, since time.Time) ([]string, error)
	IssuedRungs(ctx context.Context, period string) (map[string]bool, error)

	ClaimJob(ctx context.Context, name, holder string, now time.Time, leaseFor time.Duration) (bool, error)
	SetJobNext(ctx context.Context, name, holder string, next time.Time) error
	JobState(ctx context.Context, name string) (models.Job, error)

	// Tx runs fn in one transaction; notices and their outbox rows are
	// written through tx together, so a notice is never logged unsent.
	Tx(ctx context.Context, fn func(tx *models.Store) error) error
}
