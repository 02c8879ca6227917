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
	RevokedAt    *time.Time
	CreatedAt    time.Time
}

// Reasons an invite is refused.
var (
	ErrInviteUnknown = errors.New("invite unknown")
	ErrInviteUsed    = errors.New("invite already used")
	ErrInviteExpired = errors.New("invite expired")
	ErrInviteRevoked = errors.New("invite revoked")
	// ErrInviteCoordinator: coordinators are not bound by invites.
	ErrInviteCoordinator = errors.New("invite opened by a coordinator")
	// ErrInviteMember: the user is already a contact of the department.
	ErrInviteMember = errors.New("invite opened by a member of the department")
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

// RedeemInvite binds user to the invite's department; see RedeemInviteChange.
func (s *Store) RedeemInvite(ctx context.Context, token string, user int64, name string) (Contact, error) {
	ch, err := s.RedeemInviteChange(ctx, token, user, name)
	return ch.Contact, err
}

// RedeemInviteChange binds user to the invite's department in one
// transaction: as the main contact when the department has none, otherwise
// as a deputy; a main contact of another department hands it over to a
// deputy (ErrSoleContact when there is none). Used, expired, revoked and
// unknown tokens are refused; so are a coordinator (ErrInviteCoordinator)
// and a member of the department already (ErrInviteMember), and then the
// invite stays open for the person it was meant for.
func (s *Store) RedeemInviteChange(ctx context.Context, token string, user int64, name string) (RoleChange, error) {
	var ch RoleChange
	err := s.Tx(ctx, func(tx *Store) error {
		inv, err := tx.openInvite(ctx, token)
		if err != nil {
			return err
		}
		if err := tx.mayRedeem(ctx, inv, user); err != nil {
			return err
		}
		res := tx.db.Model(&Invite{}).Where("id = ? AND used_at IS NULL AND revoked_at IS NULL", inv.ID).
			Updates(map[string]any{"used_by": user, "used_at": tx.now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrInviteUsed
		}
		hasMain, err := tx.hasMainContact(inv.DepartmentID)
		if err != nil {
			return err
		}
		role := RoleContact
		if hasMain {
			role = RoleDeputy
		}
		ch, err = tx.assign(ctx, Contact{TelegramID: user, Name: name, Role: role, DepartmentID: &inv.DepartmentID, Source: SourceInvite})
		return err
	})
	if err != nil {
		return RoleChange{}, fmt.Errorf("redeem invite: %w", err)
	}
	return ch, nil
}

// openInvite finds an invite that may still be redeemed.
func (s *Store) openInvite(ctx context.Context, token string) (Invite, error) {
	var inv Invite
	if err := s.ctx(ctx).Where("token = ?", token).First(&inv).Error; err != nil {
		if errors.Is(translate(err), ErrNotFound) {
			return inv, ErrInviteUnknown
		}
		return inv, err
	}
	switch {
	case inv.RevokedAt != nil:
		return inv, ErrInviteRevoked
	case inv.UsedAt != nil:
		return inv, ErrInviteUsed
	case !s.now().Before(inv.ExpiresAt):
		return inv, ErrInviteExpired
	}
	return inv, nil
}

// mayRedeem refuses an invite to somebody it would not bind anew: a
// coordinator (who would lose their role, or burn the link for nothing) and
// a member of the department already.
func (s *Store) mayRedeem(ctx context.Context, inv Invite, user int64) error {
	c, err := s.ContactByTelegramID(ctx, user)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return err
	case c.IsCoordinator():
		return ErrInviteCoordinator
	case c.DepartmentID != nil && *c.DepartmentID == inv.DepartmentID:
		return ErrInviteMember
	}
	return nil
}

// RevokeInvite closes one invite; it fails with ErrInviteUnknown,
// ErrInviteUsed, ErrInviteRevoked or ErrInviteExpired when there is no open
// invite with that token.
func (s *Store) RevokeInvite(ctx context.Context, token string) (Invite, error) {
	var inv Invite
	err := s.Tx(ctx, func(tx *Store) error {
		var err error
		if inv, err = tx.openInvite(ctx, token); err != nil {
			return err
		}
		n, err := tx.revokeWhere(ctx, "id = ?", inv.ID)
		switch {
		case err != nil:
			return err
		case n == 0:
			return ErrInviteUsed // redeemed since it was read
		}
		return tx.ctx(ctx).Preload("Department").First(&inv, inv.ID).Error
	})
	if err != nil {
		return Invite{}, fmt.Errorf("revoke invite: %w", err)
	}
	return inv, nil
}

// RevokeInvites closes every open invite of a department and says how many.
func (s *Store) RevokeInvites(ctx context.Context, deptID uint) (int, error) {
	n, err := s.revokeWhere(ctx, "department_id = ? AND expires_at > ?", deptID, s.now())
	if err != nil {
		return 0, fmt.Errorf("revoke invites of department %d: %w", deptID, err)
	}
	return n, nil
}

func (s *Store) revokeWhere(ctx context.Context, where string, args ...any) (int, error) {
	res := s.ctx(ctx).Model(&Invite{}).Where(where, args...).Where("used_at IS NULL AND revoked_at IS NULL").
		Update("revoked_at", s.now())
	return int(res.RowsAffected), res.Error
}
