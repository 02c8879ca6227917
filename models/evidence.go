package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Evidence review states (审核) of a TaskNote with a file.
const (
	ReviewPending  = "pending"
	ReviewApproved = "approved"
	ReviewReturned = "returned"
)

// awaitingReview are the review values of evidence nobody decided on yet:
// "" is evidence stored before reviews were recorded.
var awaitingReview = []string{ReviewPending, ""}

// ErrReviewed is returned when evidence was already approved or returned:
// the first decision stands.
var ErrReviewed = errors.New("evidence already reviewed")

// EvidenceItem is a piece of evidence with where it belongs, for /review and
// the export's list.
type EvidenceItem struct {
	TaskNote
	DepartmentID uint
	Department   string
	TaskSeq      int
	TaskTitle    string
	Year         int
}

func (s *Store) evidenceQuery(ctx context.Context) *gorm.DB {
	return s.ctx(ctx).Table("task_notes").
		Select("task_notes.*, tasks.department_id, departments.name AS department, tasks.seq AS task_seq, tasks.title AS task_title, tasks.year").
		Joins("JOIN tasks ON tasks.id = task_notes.task_id").
		Joins("JOIN departments ON departments.id = tasks.department_id").
		Where("task_notes.file_id <> ''")
}

// PendingEvidence lists evidence waiting for review, oldest first, at most
// limit items, and how many wait in all.
func (s *Store) PendingEvidence(ctx context.Context, limit int) ([]EvidenceItem, int64, error) {
	var total int64
	if err := s.ctx(ctx).Model(&TaskNote{}).Where("file_id <> '' AND review IN ?", awaitingReview).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count pending evidence: %w", err)
	}
	var items []EvidenceItem
	err := s.evidenceQuery(ctx).Where("task_notes.review IN ?", awaitingReview).
		Order("task_notes.created_at, task_notes.id").Limit(limit).Scan(&items).Error
	if err != nil {
		return nil, 0, fmt.Errorf("pending evidence: %w", err)
	}
	return normalizeReview(items), total, nil
}

// Evidence finds one piece of evidence by its note id.
func (s *Store) Evidence(ctx context.Context, id uint) (EvidenceItem, error) {
	var items []EvidenceItem
	if err := s.evidenceQuery(ctx).Where("task_notes.id = ?", id).Limit(1).Scan(&items).Error; err != nil {
		return EvidenceItem{}, fmt.Errorf("evidence %d: %w", id, err)
	}
	if len(items) == 0 {
		return EvidenceItem{}, fmt.Errorf("evidence %d: %w", id, ErrNotFound)
	}
	return normalizeReview(items)[0], nil
}

// YearEvidence lists every piece of evidence of a plan year, by department,
// task and time, for the export.
func (s *Store) YearEvidence(ctx context.Context, year int) ([]EvidenceItem, error) {
	var items []EvidenceItem
	err := s.evidenceQuery(ctx).Where("tasks.year = ?", year).
		Order("departments.seq, tasks.seq, task_notes.created_at, task_notes.id").Scan(&items).Error
	if err != nil {
		return nil, fmt.Errorf("evidence of %d: %w", year, err)
	}
	return normalizeReview(items), nil
}

// normalizeReview shows evidence stored before reviews were recorded as
// pending.
func normalizeReview(items []EvidenceItem) []EvidenceItem {
	for i := range items {
		if items[i].Review == "" {
			items[i].Review = ReviewPending
		}
	}
	return items
}

// ReviewEvidence approves (reason "") or returns evidence that is pending;
// evidence reviewed before is ErrReviewed and stays as it was decided.
func (s *Store) ReviewEvidence(ctx context.Context, id uint, approve bool, by int64, reason string, at time.Time) (EvidenceItem, error) {
	verdict := ReviewApproved
	if !approve {
		verdict = ReviewReturned
	}
	res := s.ctx(ctx).Model(&TaskNote{}).Where("id = ? AND file_id <> '' AND review IN ?", id, awaitingReview).
		Updates(map[string]any{"review": verdict, "reviewed_by": by, "reviewed_at": at.UTC(), "return_reason": reason})
	if res.Error != nil {
		return EvidenceItem{}, fmt.Errorf("review evidence %d: %w", id, res.Error)
	}
	e, err := s.Evidence(ctx, id)
	if err != nil {
		return EvidenceItem{}, err
	}
	if res.RowsAffected == 0 {
		return e, fmt.Errorf("review evidence %d (%s): %w", id, e.Review, ErrReviewed)
	}
	return e, nil
}

// ApprovedEvidence returns, for the given tasks, the periods that have
// approved evidence: task id → period → true.
func (s *Store) ApprovedEvidence(ctx context.Context, taskIDs []uint) (map[uint]map[string]bool, error) {
	out := map[uint]map[string]bool{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []TaskNote
	err := s.ctx(ctx).Select("task_id, period").Distinct().
		Where("task_id IN ? AND review = ?", taskIDs, ReviewApproved).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("approved evidence: %w", err)
	}
	for _, r := range rows {
		if out[r.TaskID] == nil {
			out[r.TaskID] = map[string]bool{}
		}
		out[r.TaskID][r.Period] = true
	}
	return out, nil
}

// TaskEvidence lists a task's evidence, oldest first, for its history.
func (s *Store) TaskEvidence(ctx context.Context, taskID uint) ([]EvidenceItem, error) {
	var items []EvidenceItem
	err := s.evidenceQuery(ctx).Where("task_notes.task_id = ?", taskID).
		Order("task_notes.created_at, task_notes.id").Scan(&items).Error
	if err != nil {
		return nil, fmt.Errorf("evidence of task %d: %w", taskID, err)
	}
	return normalizeReview(items), nil
}
