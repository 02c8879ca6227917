package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Job is one scheduled job's row: when it runs next and who holds it now.
// Several replicas share the table; a lease lets only one of them run the job
// at a time.
type Job struct {
	Name        string `gorm:"primaryKey"`
	NextRunAt   time.Time
	LeaseHolder string `gorm:"not null;default:''"`
	LeaseUntil  time.Time
	UpdatedAt   time.Time
}

// ClaimJob takes the lease of job name for holder until now+leaseFor, when
// the lease is free, expired or already holder's. It creates the job row on
// first use. The claim is a conditional UPDATE checked by its row count, so
// it works the same on SQLite and PostgreSQL without advisory locks.
func (s *Store) ClaimJob(ctx context.Context, name, holder string, now time.Time, leaseFor time.Duration) (bool, error) {
	now = now.UTC()
	err := s.ctx(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&Job{Name: name, LeaseUntil: time.Time{}.UTC()}).Error
	if err != nil {
		return false, fmt.Errorf("create job %s: %w", name, translate(err))
	}
	res := s.ctx(ctx).Model(&Job{}).
		Where("name = ? AND (lease_until < ? OR lease_holder = ?)", name, now, holder).
		Updates(map[string]any{"lease_holder": holder, "lease_until": now.Add(leaseFor)})
	if res.Error != nil {
		return false, fmt.Errorf("claim job %s: %w", name, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// SetJobNext records when job name runs next and gives up holder's lease.
func (s *Store) SetJobNext(ctx context.Context, name, holder string, next time.Time) error {
	res := s.ctx(ctx).Model(&Job{}).Where("name = ? AND lease_holder = ?", name, holder).
		Updates(map[string]any{"next_run_at": next.UTC(), "lease_holder": "", "lease_until": time.Time{}.UTC()})
	if res.Error != nil {
		return fmt.Errorf("set next run of job %s: %w", name, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("set next run of job %s: lease lost by %s: %w", name, holder, ErrConflict)
	}
	return nil
}

// JobState returns job name's row; ErrNotFound before its first claim.
func (s *Store) JobState(ctx context.Context, name string) (Job, error) {
	var j Job
	if err := s.ctx(ctx).Where("name = ?", name).First(&j).Error; err != nil {
		return j, fmt.Errorf("job %s: %w", name, translate(err))
	}
	return j, nil
}

// Notice is the sent-log of the reminder ladder and the digest: one row per
// department, period, rung and chat, so each is issued once whatever the
// number of ticks, restarts or replicas. DepartmentID 0 marks a notice that
// is about several departments (the coordinators' overdue list, the digest).
type Notice struct {
	ID           uint   `gorm:"primaryKey"`
	DepartmentID uint   `gorm:"not null;uniqueIndex:idx_notice_key,priority:1"`
	Period       string `gorm:"not null;uniqueIndex:idx_notice_key,priority:2"`
	Rung         string `gorm:"not null;uniqueIndex:idx_notice_key,priority:3"`
	ChatID       int64  `gorm:"not null;uniqueIndex:idx_notice_key,priority:4"`
	// Round is 0 for the period's own ladder and the approved extension's id
	// for the ladder recomputed from the extended deadline.
	Round     uint `gorm:"not null;default:0;uniqueIndex:idx_notice_key,priority:5"`
	ContactID *uint
	Audience  string    `gorm:"not null;default:''"` // contact | deputy | coordinator | group
	Deadline  time.Time // the deadline the notice was about
	SentAt    time.Time `gorm:"not null"` // when it was put in the outbox
	AckedAt   *time.Time
	AckedBy   int64 `gorm:"not null;default:0"`
}

// IssueNotice inserts n unless its key is already taken; it reports whether
// n is new (and then n.ID is set). A taken key is not an error: the notice
// was issued before.
func (s *Store) IssueNotice(ctx context.Context, n *Notice) (bool, error) {
	n.ID, n.SentAt, n.Deadline = 0, n.SentAt.UTC(), n.Deadline.UTC()
	if n.SentAt.IsZero() {
		n.SentAt = s.now()
	}
	res := s.ctx(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(n)
	if res.Error != nil {
		return false, fmt.Errorf("issue notice %s %s dept=%d chat=%d: %w", n.Period, n.Rung, n.DepartmentID, n.ChatID, translate(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// IssuedRungs returns, for a period, which (department, rung, round) have at
// least one notice, as keys "dept/rung/round".
func (s *Store) IssuedRungs(ctx context.Context, period string) (map[string]bool, error) {
	var rows []Notice
	err := s.ctx(ctx).Select("department_id, rung, round").Distinct().
		Where("period = ?", period).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("issued notices of %s: %w", period, err)
	}
	out := make(map[string]bool, len(rows))
	for _, r := range rows {
		out[RungKey(r.DepartmentID, r.Rung, r.Round)] = true
	}
	return out, nil
}

// RungKey is the key IssuedRungs uses.
func RungKey(deptID uint, rung string, round uint) string {
	return fmt.Sprintf("%d/%s/%d", deptID, rung, round)
}

// Notice finds a notice by id.
func (s *Store) Notice(ctx context.Context, id uint) (Notice, error) {
	var n Notice
	if err := s.ctx(ctx).First(&n, id).Error; err != nil {
		return n, fmt.Errorf("notice %d: %w", id, translate(err))
	}
	return n, nil
}

// AckNotice records that telegramID acknowledged (收到) the notice. Only the
// first acknowledgement counts; the stored notice is returned either way.
func (s *Store) AckNotice(ctx context.Context, id uint, telegramID int64, at time.Time) (Notice, error) {
	err := s.ctx(ctx).Model(&Notice{}).Where("id = ? AND acked_at IS NULL", id).
		Updates(map[string]any{"acked_at": at.UTC(), "acked_by": telegramID}).Error
	if err != nil {
		return Notice{}, fmt.Errorf("ack notice %d: %w", id, err)
	}
	return s.Notice(ctx, id)
}

// Extension statuses.
const (
	ExtensionPending  = "pending"
	ExtensionApproved = "approved"
	ExtensionRejected = "rejected"
)

// Extension is a department's request to report a period later (申请延期)
// and the coordinator's decision on it.
type Extension struct {
	ID           uint   `gorm:"primaryKey"`
	DepartmentID uint   `gorm:"not null;index:idx_extension_dept_period,priority:1;uniqueIndex:idx_extension_pending,where:status = 'pending'"`
	Period       string `gorm:"not null;index:idx_extension_dept_period,priority:2;uniqueIndex:idx_extension_pending,where:status = 'pending'"`
	RequestedBy  int64  `gorm:"not null"`
	// Until is the new deadline asked for; approval moves the department's
	// deadline for the period to it.
	Until     time.Time `gorm:"not null"`
	Reason    string    `gorm:"not null;default:''"`
	Status    string    `gorm:"not null;index"`
	DecidedBy int64     `gorm:"not null;default:0"`
	DecidedAt *time.Time
	CreatedAt time.Time
}

// RequestExtension stores e as pending. A department has at most one pending
// request per period: a second one is ErrConflict.
func (s *Store) RequestExtension(ctx context.Context, e *Extension) error {
	e.ID, e.Status, e.DecidedBy, e.DecidedAt, e.Until = 0, ExtensionPending, 0, nil, e.Until.UTC()
	if err := s.ctx(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("request extension dept=%d period=%s: %w", e.DepartmentID, e.Period, translate(err))
	}
	return nil
}

// DecideExtension approves or rejects a pending extension. Deciding one that
// is no longer pending is ErrConflict, so two coordinators pressing at once
// record one decision.
func (s *Store) DecideExtension(ctx context.Context, id uint, approve bool, by int64, at time.Time) (Extension, error) {
	status := ExtensionRejected
	if approve {
		status = ExtensionApproved
	}
	res := s.ctx(ctx).Model(&Extension{}).Where("id = ? AND status = ?", id, ExtensionPending).
		Updates(map[string]any{"status": status, "decided_by": by, "decided_at": at.UTC()})
	if res.Error != nil {
		return Extension{}, fmt.Errorf("decide extension %d: %w", id, res.Error)
	}
	e, err := s.Extension(ctx, id)
	if err != nil {
		return e, err
	}
	if res.RowsAffected == 0 {
		return e, fmt.Errorf("decide extension %d: already %s: %w", id, e.Status, ErrConflict)
	}
	return e, nil
}

// Extension finds an extension by id.
func (s *Store) Extension(ctx context.Context, id uint) (Extension, error) {
	var e Extension
	if err := s.ctx(ctx).First(&e, id).Error; err != nil {
		return e, fmt.Errorf("extension %d: %w", id, translate(err))
	}
	return e, nil
}

// ActiveExtension returns the latest approved extension of a department for
// a period; ErrNotFound when there is none.
func (s *Store) ActiveExtension(ctx context.Context, deptID uint, period string) (Extension, error) {
	var e Extension
	err := s.ctx(ctx).Where("department_id = ? AND period = ? AND status = ?", deptID, period, ExtensionApproved).
		Order("decided_at DESC, id DESC").First(&e).Error
	if err != nil {
		return e, fmt.Errorf("extension of dept %d for %s: %w", deptID, period, translate(err))
	}
	return e, nil
}

// ApprovedExtensions returns the latest approved extension per department
// for each period asked for, keyed by period then department id.
func (s *Store) ApprovedExtensions(ctx context.Context, periods []string) (map[string]map[uint]Extension, error) {
	out := map[string]map[uint]Extension{}
	if len(periods) == 0 {
		return out, nil
	}
	var rows []Extension
	err := s.ctx(ctx).Where("period IN ? AND status = ?", periods, ExtensionApproved).
		Order("decided_at, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("approved extensions: %w", err)
	}
	for _, e := range rows {
		if out[e.Period] == nil {
			out[e.Period] = map[uint]Extension{}
		}
		out[e.Period][e.DepartmentID] = e // later decisions win
	}
	return out, nil
}

// ExtendedPeriods lists the periods with an approved extension running to
// `since` or later, so a ladder moved past the usual window is still found.
func (s *Store) ExtendedPeriods(ctx context.Context, since time.Time) ([]string, error) {
	var periods []string
	err := s.ctx(ctx).Model(&Extension{}).Distinct().
		Where("status = ? AND until >= ?", ExtensionApproved, since.UTC()).
		Order("period").Pluck("period", &periods).Error
	if err != nil {
		return nil, fmt.Errorf("extended periods: %w", err)
	}
	return periods, nil
}

// PendingExtensions lists the requests waiting for a coordinator, oldest first.
func (s *Store) PendingExtensions(ctx context.Context) ([]Extension, error) {
	var rows []Extension
	if err := s.ctx(ctx).Where("status = ?", ExtensionPending).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("pending extensions: %w", err)
	}
	return rows, nil
}
