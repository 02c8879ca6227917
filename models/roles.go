package models

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
)

// Sources of a binding (Contact.Source).
const (
	SourceAdmins = "admins" // DUBAN_ADMINS at start-up
	SourceCLI    = "cli"    // duban contact add
	SourceInvite = "invite" // an invite link
)

// ErrSoleContact refuses a role change that would leave a department
// without its main contact while it has no deputy to take over (the error
// is a *SoleContactError). Removing a person is never refused (revoking
// access comes first); the removal then says that nobody is left.
var ErrSoleContact = errors.New("sole contact of a department")

// SoleContactError names the contact and the department of ErrSoleContact.
type SoleContactError struct {
	TelegramID int64
	Department string
}

func (e *SoleContactError) Error() string {
	return fmt.Sprintf("%d is the only contact of %s, which has no deputy to take over", e.TelegramID, e.Department)
}

// Is makes errors.Is(err, ErrSoleContact) hold.
func (e *SoleContactError) Is(target error) bool { return target == ErrSoleContact }

// Handover says who took over a department whose main contact left it.
type Handover struct {
	Department Department
	Left       Contact  // the main contact who left (removed, or given another role)
	Promoted   *Contact // the deputy who is the main contact now; nil when nobody is left
}

// RoleChange is what one assignment or removal did.
type RoleChange struct {
	Contact  Contact   // the binding as stored now; for a removal, as it was
	Previous *Contact  // the binding before an assignment; nil when the user was not bound
	Handover *Handover // set when the user was a department's main contact and left it
	Demoted  *Contact  // the department's former main contact, made a deputy by this assignment
	Removed  bool      // the binding was removed
}

// AssignRole binds c.TelegramID to c.Role (and c.DepartmentID), keeping a
// stored name when c.Name is empty, in one transaction. A department always
// has exactly one main contact: when its main contact takes another role or
// department, the oldest deputy takes over (ErrSoleContact when there is
// none, and nothing changes); when somebody is made the main contact of a
// department that has one, the former main contact becomes a deputy.
func (s *Store) AssignRole(ctx context.Context, c Contact) (RoleChange, error) {
	var ch RoleChange
	err := s.Tx(ctx, func(tx *Store) error {
		var err error
		ch, err = tx.assign(ctx, c)
		return err
	})
	if err != nil {
		return RoleChange{}, fmt.Errorf("assign %s to %d: %w", c.Role, c.TelegramID, err)
	}
	return ch, nil
}

// assign is AssignRole inside a transaction.
func (s *Store) assign(ctx context.Context, c Contact) (RoleChange, error) {
	if c.Role == RoleCoordinator {
		c.DepartmentID = nil
	}
	var ch RoleChange
	old, err := s.ContactByTelegramID(ctx, c.TelegramID)
	switch {
	case err == nil:
		ch.Previous = &old
		if c.Name == "" {
			c.Name = old.Name
		}
	case !errors.Is(err, ErrNotFound):
		return ch, err
	}
	if ch.Previous != nil && leavesMain(old, c) {
		h, err := s.handOver(ctx, old, false)
		if err != nil {
			return ch, err
		}
		ch.Handover = &h
	}
	if c.Role == RoleContact && c.DepartmentID != nil {
		if ch.Demoted, err = s.demoteMain(ctx, *c.DepartmentID, c.TelegramID); err != nil {
			return ch, err
		}
	}
	c.ID, c.Department = 0, nil
	if err := s.SaveContact(ctx, &c); err != nil {
		return ch, err
	}
	ch.Contact, err = s.ContactByTelegramID(ctx, c.TelegramID)
	return ch, err
}

// leavesMain reports whether old is a department's main contact and the
// new binding c is not the main contact of that department.
func leavesMain(old, c Contact) bool {
	if old.Role != RoleContact || old.DepartmentID == nil {
		return false
	}
	return c.Role != RoleContact || c.DepartmentID == nil || *c.DepartmentID != *old.DepartmentID
}

// handOver makes the oldest deputy of left's department its main contact.
// Without a deputy it fails with ErrSoleContact unless allowEmpty, when it
// reports that nobody is left.
func (s *Store) handOver(ctx context.Context, left Contact, allowEmpty bool) (Handover, error) {
	h := Handover{Left: left}
	if err := s.ctx(ctx).First(&h.Department, *left.DepartmentID).Error; err != nil {
		return h, fmt.Errorf("department %d: %w", *left.DepartmentID, translate(err))
	}
	var next Contact
	err := s.ctx(ctx).Where("department_id = ? AND role = ? AND telegram_id <> ?", h.Department.ID, RoleDeputy, left.TelegramID).
		Order("created_at, id").First(&next).Error
	switch err = translate(err); {
	case errors.Is(err, ErrNotFound) && allowEmpty:
		return h, nil
	case errors.Is(err, ErrNotFound):
		return h, &SoleContactError{TelegramID: left.TelegramID, Department: h.Department.Name}
	case err != nil:
		return h, fmt.Errorf("deputies of %s: %w", h.Department.Name, err)
	}
	if err := s.ctx(ctx).Model(&Contact{}).Where("id = ?", next.ID).Update("role", RoleContact).Error; err != nil {
		return h, fmt.Errorf("promote %d in %s: %w", next.TelegramID, h.Department.Name, err)
	}
	next.Role = RoleContact
	h.Promoted = &next
	return h, nil
}

// demoteMain makes the main contact of a department, other than except, a
// deputy; it returns who that was, or nil when there was none.
func (s *Store) demoteMain(ctx context.Context, deptID uint, except int64) (*Contact, error) {
	var main Contact
	err := s.ctx(ctx).Where("department_id = ? AND role = ? AND telegram_id <> ?", deptID, RoleContact, except).First(&main).Error
	if err = translate(err); errors.Is(err, ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("main contact of department %d: %w", deptID, err)
	}
	if err := s.ctx(ctx).Model(&Contact{}).Where("id = ?", main.ID).Update("role", RoleDeputy).Error; err != nil {
		return nil, fmt.Errorf("demote %d: %w", main.TelegramID, err)
	}
	main.Role = RoleDeputy
	return &main, nil
}

// RemoveContact unbinds a Telegram user. When they were a department's main
// contact its oldest deputy takes over; Handover.Promoted is nil when the
// department has nobody left. ErrNotFound when the user is not bound.
func (s *Store) RemoveContact(ctx context.Context, telegramID int64) (RoleChange, error) {
	return s.removeWhere(ctx, "telegram_id = ?", telegramID)
}

// RemoveContactByID is RemoveContact for the row id a button carries: a
// second press finds nothing (ErrNotFound) and changes nothing.
func (s *Store) RemoveContactByID(ctx context.Context, id uint) (RoleChange, error) {
	return s.removeWhere(ctx, "id = ?", id)
}

func (s *Store) removeWhere(ctx context.Context, where string, arg any) (RoleChange, error) {
	var ch RoleChange
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.ctx(ctx).Preload("Department").Where(where, arg).First(&ch.Contact).Error; err != nil {
			return translate(err)
		}
		// Delete first: of two concurrent removals only the one whose
		// DELETE hit the row goes on to hand the department over.
		res := tx.ctx(ctx).Where("id = ?", ch.Contact.ID).Delete(&Contact{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		ch.Removed = true
		if ch.Contact.Role != RoleContact || ch.Contact.DepartmentID == nil {
			return nil
		}
		h, err := tx.handOver(ctx, ch.Contact, true)
		ch.Handover = &h
		return err
	})
	if err != nil {
		return RoleChange{}, fmt.Errorf("remove contact (%s %v): %w", where, arg, err)
	}
	return ch, nil
}

// ContactByID finds a binding by its row id.
func (s *Store) ContactByID(ctx context.Context, id uint) (Contact, error) {
	var c Contact
	if err := s.ctx(ctx).Preload("Department").First(&c, id).Error; err != nil {
		return c, fmt.Errorf("contact #%d: %w", id, translate(err))
	}
	return c, nil
}

// ListContacts lists every binding with its department: coordinators
// first, then each department in plan order, main contact first, deputies
// by seniority. deptID, when not nil, keeps one department's.
func (s *Store) ListContacts(ctx context.Context, deptID *uint) ([]Contact, error) {
	q := s.ctx(ctx).Preload("Department")
	if deptID != nil {
		q = q.Where("department_id = ?", *deptID)
	}
	var cs []Contact
	if err := q.Order("created_at, id").Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("list contacts: %w", err)
	}
	slices.SortStableFunc(cs, listOrder)
	return cs, nil
}

// listOrder orders ListContacts: coordinators, then departments in plan
// order, main contact before deputies.
func listOrder(a, b Contact) int {
	switch {
	case a.Department == nil || b.Department == nil:
		return cmpBool(a.Department != nil, b.Department != nil)
	case a.Department.ID != b.Department.ID:
		return cmp.Or(cmp.Compare(a.Department.Seq, b.Department.Seq), cmp.Compare(a.Department.ID, b.Department.ID))
	}
	return cmpBool(a.Role != RoleContact, b.Role != RoleContact)
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// AdminSync is what applying DUBAN_ADMINS changed.
type AdminSync struct {
	Granted []RoleChange // listed users made coordinators now
	Revoked []Contact    // coordinators made by DUBAN_ADMINS and no longer listed, unbound
	// Unknown are coordinators not listed whose source was never recorded
	// (bound before it was): kept, for the operator to decide.
	Unknown []Contact
}

// SyncAdmins makes DUBAN_ADMINS the source of truth for the coordinators it
// names, in one transaction: every listed user is a coordinator (a
// department's main contact hands over to a deputy, ErrSoleContact when
// there is none); a coordinator that DUBAN_ADMINS made and that is no
// longer listed is unbound. Coordinators bound by `duban contact add` stay
// whatever the list says.
func (s *Store) SyncAdmins(ctx context.Context, ids []int64) (AdminSync, error) {
	var out AdminSync
	err := s.Tx(ctx, func(tx *Store) error {
		for _, id := range ids {
			ch, err := tx.grantAdmin(ctx, id)
			if err != nil {
				return err
			}
			if ch != nil {
				out.Granted = append(out.Granted, *ch)
			}
		}
		var err error
		out.Revoked, out.Unknown, err = tx.revokeUnlisted(ctx, ids)
		return err
	})
	if err != nil {
		return AdminSync{}, fmt.Errorf("DUBAN_ADMINS: %w", err)
	}
	return out, nil
}

// grantAdmin makes a listed user a coordinator; nil when they already were.
// A coordinator of unknown source is adopted by the list.
func (s *Store) grantAdmin(ctx context.Context, id int64) (*RoleChange, error) {
	c, err := s.ContactByTelegramID(ctx, id)
	if err == nil && c.IsCoordinator() {
		if c.Source == "" {
			err = s.ctx(ctx).Model(&Contact{}).Where("id = ?", c.ID).Update("source", SourceAdmins).Error
		}
		return nil, err
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	ch, err := s.assign(ctx, Contact{TelegramID: id, Role: RoleCoordinator, Source: SourceAdmins})
	if err != nil {
		return nil, err
	}
	return &ch, nil
}

func (s *Store) revokeUnlisted(ctx context.Context, ids []int64) (revoked, unknown []Contact, err error) {
	var cs []Contact
	if err := s.ctx(ctx).Where("role = ?", RoleCoordinator).Order("id").Find(&cs).Error; err != nil {
		return nil, nil, fmt.Errorf("coordinators: %w", err)
	}
	for _, c := range cs {
		switch {
		case slices.Contains(ids, c.TelegramID):
		case c.Source == SourceAdmins:
			if err := s.ctx(ctx).Where("id = ?", c.ID).Delete(&Contact{}).Error; err != nil {
				return nil, nil, fmt.Errorf("revoke coordinator %d: %w", c.TelegramID, err)
			}
			revoked = append(revoked, c)
		case c.Source == "":
			unknown = append(unknown, c)
		}
	}
	return revoked, unknown, nil
}
