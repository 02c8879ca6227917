package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// OutboxBacklog counts the messages still to send (pending or claimed)
// and returns when the oldest of them was written (zero when none waits).
func (s *Store) OutboxBacklog(ctx context.Context) (depth int64, oldest time.Time, err error) {
	waiting := func() *gorm.DB {
		return s.ctx(ctx).Model(&Outbox{}).Where("status IN ?", []string{OutboxPending, OutboxSending})
	}
	if err := waiting().Count(&depth).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox backlog: %w", err)
	}
	if depth == 0 {
		return 0, time.Time{}, nil
	}
	// MIN() would lose SQLite's column type and come back as text.
	var first Outbox
	if err := waiting().Select("created_at").Order("created_at, id").Limit(1).Find(&first).Error; err != nil {
		return 0, time.Time{}, fmt.Errorf("outbox backlog: %w", err)
	}
	return depth, first.CreatedAt, nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}
