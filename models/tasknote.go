package models

import (
	"context"
	"fmt"
	"time"
)

// TaskNote is a contact's note or evidence (佐证材料) for a task in a period.
// Evidence is stored by Telegram file id; the file stays on Telegram.
type TaskNote struct {
	ID       uint   `gorm:"primaryKey"`
	TaskID   uint   `gorm:"index:idx_note_task_period;not null"`
	Task     Task   `gorm:"foreignKey:TaskID"` // the constraint refuses a note for no task
	Period   string `gorm:"index:idx_note_task_period;not null"`
	Note     string `gorm:"not null;default:''"`
	FileID   string `gorm:"not null;default:''"`
	FileKind string `gorm:"not null;default:''"` // photo | document
	// FileName is the document's name as sent; "" for a picture.
	FileName   string `gorm:"not null;default:''"`
	ReporterID int64  `gorm:"not null"`
	// Review is the coordinators' verdict on evidence (审核): pending,
	// approved or returned; "" for a note without a file.
	Review       string `gorm:"not null;default:'';index"`
	ReviewedBy   int64  `gorm:"not null;default:0"`
	ReviewedAt   *time.Time
	ReturnReason string `gorm:"not null;default:''"`
	CreatedAt    time.Time
}

// AddTaskNote stores a note or a piece of evidence.
func (s *Store) AddTaskNote(ctx context.Context, n *TaskNote) error {
	n.Review = ""
	if n.FileID != "" {
		n.Review = ReviewPending
	}
	if err := s.ctx(ctx).Omit("Task").Create(n).Error; err != nil {
		return fmt.Errorf("save note for task %d: %w", n.TaskID, err)
	}
	return nil
}

// TaskNotes returns the notes of a task, oldest first.
func (s *Store) TaskNotes(ctx context.Context, taskID uint) ([]TaskNote, error) {
	var ns []TaskNote
	if err := s.ctx(ctx).Where("task_id = ?", taskID).Order("id").Find(&ns).Error; err != nil {
		return nil, fmt.Errorf("notes of task %d: %w", taskID, err)
	}
	return ns, nil
}
