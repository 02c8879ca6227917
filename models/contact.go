package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm/clause"
)

// Roles a Telegram user can have.
const (
	RoleContact     = "contact"     // a department's main contact (联络员)
	RoleDeputy      = "deputy"      // a department's deputy contact
	RoleCoordinator = "coordinator" // the supervision office; sees every department
)

// Contact binds a Telegram user to a role and, for contacts and deputies,
// to a department.
type Contact struct {
	ID           uint   `gorm:"primaryKey"`
	TelegramID   int64  `gorm:"uniqueIndex;not null"`
	Name         string `gorm:"not null;default:''"`
	Role         string `gorm:"not null"`
	DepartmentID *uint  `gorm:"index"`
	Department   *Department
	// Source says how the binding was made (SourceAdmins, SourceCLI,
	// SourceInvite; "" for bindings made before it was recorded), so that
	// DUBAN_ADMINS only ever revokes the coordinators it made.
	Source    string `gorm:"not null;default:''"`
	LeaveFrom *time.Time
	LeaveTo   *time.Time
	CreatedAt time.Time
	UpdatedAt time.Time
}

// IsCoordinator reports whether the contact may see and act for every department.
func (c Contact) IsCoordinator() bool { return c.Role == RoleCoordinator }

// ValidRole reports whether r is one of the known roles.
func ValidRole(r string) bool {
	return r == RoleContact || r == RoleDeputy || r == RoleCoordinator
}

// SaveContact creates or replaces the binding of c.TelegramID as it is
// given, for fixtures; people are bound through AssignRole, which keeps
// every department's main contact.
func (s *Store) SaveContact(ctx context.Context, c *Contact) error {
	if !ValidRole(c.Role) {
		return fmt.Errorf("save contact %d: unknown role %q", c.TelegramID, c.Role)
	}
	if c.Role != RoleCoordinator && c.DepartmentID == nil {
		return fmt.Errorf("save contact %d: a %s needs a department", c.TelegramID, c.Role)
	}
	err := s.ctx(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "telegram_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"name", "role", "department_id", "source", "updated_at"}),
	}).Create(c).Error
	if err != nil {
		return fmt.Errorf("save contact %d: %w", c.TelegramID, translate(err))
	}
	return nil
}

// ContactByTelegramID finds the binding of a Telegram user. Outside a
// transaction it is served from the hot cache, checked against the
// database's generation on every call (one statement instead of two). The
// Department, when set, is shared: callers must not modify it.
func (s *Store) ContactByTelegramID(ctx context.Context, id int64) (Contact, error) {
	if s.hot != nil {
		return s.hotContact(ctx, id)
	}
	return s.loadContact(ctx, id)
}

func (s *Store) loadContact(ctx context.Context, id int64) (Contact, error) {
	var c Contact
	err := s.ctx(ctx).Preload("Department").Where("telegram_id = ?", id).First(&c).Error
	if err != nil {
		return c, fmt.Errorf("contact %d: %w", id, translate(err))
	}
	return c, nil
}

// mainContactFirst orders a department's people: its main contact, then
// the deputies in the order they joined.
const mainContactFirst = "CASE WHEN role = '" + RoleContact + "' THEN 0 ELSE 1 END, id"

// DepartmentContacts lists a department's contacts and deputies, main contact first.
func (s *Store) DepartmentContacts(ctx context.Context, deptID uint) ([]Contact, error) {
	var cs []Contact
	err := s.ctx(ctx).Where("department_id = ?", deptID).Order(mainContactFirst).Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("contacts of department %d: %w", deptID, err)
	}
	return cs, nil
}

// ContactsByDepartment lists every department's contacts and deputies,
// main contact first, in one query: for the views and jobs that cover
// every department.
func (s *Store) ContactsByDepartment(ctx context.Context) (map[uint][]Contact, error) {
	var cs []Contact
	err := s.ctx(ctx).Where("department_id IS NOT NULL").Order("department_id, " + mainContactFirst).Find(&cs).Error
	if err != nil {
		return nil, fmt.Errorf("contacts by department: %w", err)
	}
	out := map[uint][]Contact{}
	for _, c := range cs {
		out[*c.DepartmentID] = append(out[*c.DepartmentID], c)
	}
	return out, nil
}

// Coordinators lists every coordinator.
func (s *Store) Coordinators(ctx context.Context) ([]Contact, error) {
	var cs []Contact
	if err := s.ctx(ctx).Where("role = ?", RoleCoordinator).Order("id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("coordinators: %w", err)
	}
	return cs, nil
}

// hasMainContact reports whether the department already has a main contact.
func (s *Store) hasMainContact(deptID uint) (bool, error) {
	var n int64
	err := s.db.Model(&Contact{}).Where("department_id = ? AND role = ?", deptID, RoleContact).Count(&n).Error
	return n > 0, err
}

// SetLeave records a contact's absence; nil dates clear it.
func (s *Store) SetLeave(ctx context.Context, telegramID int64, from, to *time.Time) error {
	res := s.ctx(ctx).Model(&Contact{}).Where("telegram_id = ?", telegramID).
		Updates(map[string]any{"leave_from": from, "leave_to": to})
	if res.Error != nil {
		return fmt.Errorf("set leave of %d: %w", telegramID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("set leave of %d: %w", telegramID, ErrNotFound)
	}
	return nil
}

// ContactNames maps every contact's Telegram user id to the name they gave,
// for exports that say who reported.
func (s *Store) ContactNames(ctx context.Context) (map[int64]string, error) {
	var cs []Contact
	if err := s.ctx(ctx).Select("telegram_id", "name").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("contact names: %w", err)
	}
	out := make(map[int64]string, len(cs))
	for _, c := range cs {
		if c.Name != "" {
			out[c.TelegramID] = c.Name
		}
	}
	return out, nil
}
