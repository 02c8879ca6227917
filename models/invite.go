package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Invite is a one-time deep-link token that binds whoever opens it to a
// department as its contact.
type Invite struct {
	ID           uint   `gorm:"primaryKey"`
	Token        string `gorm:"uniqueIndex;not null"`
	DepartmentID uint   `gorm:"index;not null"`
	Department   Department
	CreatedBy    int64 `gorm:"not null"`
	ExpiresAt    time.Time
	UsedBy       *int64
	UsedAt       *time.Time
	CreatedAt    time.Time
}

// Reasons an invite is refused.
var (
	ErrInviteUnknown = errors.New("invite unknown")
	ErrInviteUsed    = errors.New("invite already used")
	ErrInviteExpired = errors.New("invite expired")
)

// InviteTTL is how long an invite stays valid.
const InviteTTL = 7 * 24 * time.Hour

// CreateInvite makes a new random token for a department.
func (s *Store) CreateInvite(ctx context.Context, deptID uint, by int64) (Invite, error) {
	buf := make([]byte, 18)
	if _, err := rand.Read(buf); err != nil {
		return Invite{}, fmt.Errorf("invite token: %w", err)
	}
	inv := Invite{
		// 24 characters of [A-Za-z0-9_-]: the alphabet a /start payload allows.
		Token:        base64.RawURLEncoding.EncodeToString(buf),
		DepartmentID: deptID,
		CreatedBy:    by,
		ExpiresAt:    s.now().Add(InviteTTL),
	}
	if err := s.ctx(ctx).Create(&inv).Error; err != nil {
		return Invite{}, fmt.Errorf("save invite: %w", translate(err))
	}
	return inv, nil
}

// RedeemInvite binds user to the invite's department in one transaction: as
// the main contact when the department has none, otherwise as a deputy. A
// coordinator keeps their role. Used, expired and unknown tokens are refused.
func (s *Store) RedeemInvite(ctx context.Context, token string, user int64, name string) (Contact, error) {
	var c Contact
	err := s.Tx(ctx, func(tx *Store) error {
		var inv Invite
		if err := tx.db.Where("token = ?", token).First(&inv).Error; err != nil {
			if errors.Is(translate(err), ErrNotFound) {
				return ErrInviteUnknown
			}
			return err
		}
		now := tx.now()
		switch {
		case inv.UsedAt != nil:
			return ErrInviteUsed
		case !now.Before(inv.ExpiresAt):
			return ErrInviteExpired
		}
		res := tx.db.Model(&Invite{}).Where("id = ? AND used_at IS NULL", inv.ID).
			Updates(map[string]any{"used_by": user, "used_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInviteUsed
		}
		var err error
		c, err = tx.bindInvitee(ctx, inv.DepartmentID, user, name)
		return err
	})
	if err != nil {
		return Contact{}, fmt.Errorf("redeem invite: %w", err)
	}
	return c, nil
}

func (s *Store) bindInvitee(ctx context.Context, deptID uint, user int64, name string) (Contact, error) {
	existing, err := s.ContactByTelegramID(ctx, user)
	if err == nil && existing.IsCoordinator() {
		return existing, nil
	}
	hasMain, err := s.hasMainContact(deptID)
	if err != nil {
		return Contact{}, err
	}
	role := RoleContact
	if hasMain && !(existing.DepartmentID != nil && *existing.DepartmentID == deptID && existing.Role == RoleContact) {
		role = RoleDeputy
	}
	c := Contact{TelegramID: user, Name: name, Role: role, DepartmentID: &deptID}
	if err := s.SaveContact(ctx, &c); err != nil {
		return Contact{}, err
	}
	return s.ContactByTelegramID(ctx, user)
}
