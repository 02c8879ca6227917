package models_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/duban-bot/duban/models"
)

// twoDepartments is smallPlan plus 市文联, each with one task.
func twoDepartments(t *testing.T, open opener, now func() time.Time) (*models.Store, uint, uint) {
	t.Helper()
	st := open(t, now)
	plan := append(smallPlan(), models.Department{Name: "市文联", Seq: 2, Tasks: []models.Task{{Seq: 1, Title: "任务一", Text: "建成",
		Metrics: []models.Metric{{Name: "建成", Seq: 1, Kind: "milestone", Direction: "at_least", Target: 1}}}}})
	if err := st.SyncPlan(context.Background(), 2022, plan); err != nil {
		t.Fatal(err)
	}
	got, err := st.Plan(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	return st, got[0].ID, got[1].ID
}

// people binds, in order, the given users: role and department per user.
func people(t *testing.T, st *models.Store, cs ...models.Contact) {
	t.Helper()
	for _, c := range cs {
		if err := st.SaveContact(context.Background(), &c); err != nil {
			t.Fatal(err)
		}
	}
}

// roles reads every binding as "id:role@deptID".
func roles(t *testing.T, st *models.Store) map[int64]string {
	t.Helper()
	cs, err := st.ListContacts(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]string{}
	for _, c := range cs {
		dept := "-"
		if c.Department != nil {
			dept = c.Department.Name
		}
		out[c.TelegramID] = c.Role + "@" + dept
	}
	return out
}

func eqRoles(t *testing.T, got, want map[int64]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("bindings %v, want %v", got, want)
		return
	}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("user %d is %q, want %q (all: %v)", id, got[id], w, got)
		}
	}
}

func testRoles(t *testing.T, open opener) {
	ctx := context.Background()
	clock := may20
	st, kexie, wenlian := twoDepartments(t, open, func() time.Time { clock = clock.Add(time.Second); return clock })
	people(t, st,
		models.Contact{TelegramID: 1, Name: "王芳", Role: models.RoleContact, DepartmentID: &kexie},
		models.Contact{TelegramID: 2, Name: "李四", Role: models.RoleDeputy, DepartmentID: &kexie},
		models.Contact{TelegramID: 3, Name: "赵六", Role: models.RoleDeputy, DepartmentID: &kexie},
		models.Contact{TelegramID: 4, Name: "孙七", Role: models.RoleContact, DepartmentID: &wenlian},
	)

	// The sole contact of 市文联 cannot be made a coordinator: nothing changes.
	before := roles(t, st)
	if _, err := st.AssignRole(ctx, models.Contact{TelegramID: 4, Role: models.RoleCoordinator, Source: models.SourceCLI}); !errors.Is(err, models.ErrSoleContact) {
		t.Fatalf("sole contact made coordinator: %v, want ErrSoleContact", err)
	}
	eqRoles(t, roles(t, st), before)

	// 市科协's main contact becomes a coordinator: the oldest deputy takes over.
	ch, err := st.AssignRole(ctx, models.Contact{TelegramID: 1, Role: models.RoleCoordinator, Source: models.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	if ch.Handover == nil || ch.Handover.Promoted == nil || ch.Handover.Promoted.TelegramID != 2 || ch.Handover.Department.Name != "市科协" {
		t.Fatalf("handover %+v, want 李四 promoted in 市科协", ch.Handover)
	}
	eqRoles(t, roles(t, st), map[int64]string{1: "coordinator@-", 2: "contact@市科协", 3: "deputy@市科协", 4: "contact@市文联"})
	if c, _ := st.ContactByTelegramID(ctx, 1); c.Name != "王芳" || c.Source != models.SourceCLI {
		t.Errorf("without a name the stored name stays: %+v", c)
	}

	// 赵六 is made the main contact of 市科协: 李四 steps down to deputy.
	ch, err = st.AssignRole(ctx, models.Contact{TelegramID: 3, Role: models.RoleContact, DepartmentID: &kexie})
	if err != nil || ch.Demoted == nil || ch.Demoted.TelegramID != 2 {
		t.Fatalf("main contact named: %+v, %v; want 李四 demoted", ch.Demoted, err)
	}
	eqRoles(t, roles(t, st), map[int64]string{1: "coordinator@-", 2: "deputy@市科协", 3: "contact@市科协", 4: "contact@市文联"})

	// Removing the main contact promotes the deputy; removing it again changes nothing.
	c3, _ := st.ContactByTelegramID(ctx, 3)
	ch, err = st.RemoveContactByID(ctx, c3.ID)
	if err != nil || ch.Handover == nil || ch.Handover.Promoted == nil || ch.Handover.Promoted.TelegramID != 2 {
		t.Fatalf("remove main contact: %+v, %v", ch.Handover, err)
	}
	if _, err := st.RemoveContactByID(ctx, c3.ID); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("second removal: %v, want ErrNotFound", err)
	}
	eqRoles(t, roles(t, st), map[int64]string{1: "coordinator@-", 2: "contact@市科协", 4: "contact@市文联"})

	// Removing the last contact is allowed and says that nobody is left.
	ch, err = st.RemoveContact(ctx, 4)
	if err != nil || ch.Handover == nil || ch.Handover.Promoted != nil || ch.Handover.Department.Name != "市文联" {
		t.Fatalf("remove last contact: %+v, %v; want a handover to nobody", ch.Handover, err)
	}
	if _, err := st.RemoveContact(ctx, 4); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("removing an unbound user: %v, want ErrNotFound", err)
	}
	eqRoles(t, roles(t, st), map[int64]string{1: "coordinator@-", 2: "contact@市科协"})

	only := kexie
	listed, err := st.ListContacts(ctx, &only)
	if err != nil || len(listed) != 1 || listed[0].TelegramID != 2 {
		t.Errorf("contacts of 市科协: %+v, %v", listed, err)
	}
}

func testAdminSync(t *testing.T, open opener) {
	ctx := context.Background()
	st, kexie, wenlian := twoDepartments(t, open, fixedNow)
	people(t, st,
		models.Contact{TelegramID: 1, Role: models.RoleContact, DepartmentID: &kexie},
		models.Contact{TelegramID: 2, Role: models.RoleDeputy, DepartmentID: &kexie},
		models.Contact{TelegramID: 4, Role: models.RoleContact, DepartmentID: &wenlian},
		models.Contact{TelegramID: 7, Role: models.RoleCoordinator}, // bound before sources were recorded
	)
	if _, err := st.AssignRole(ctx, models.Contact{TelegramID: 8, Role: models.RoleCoordinator, Source: models.SourceCLI}); err != nil {
		t.Fatal(err)
	}

	// The sole contact of 市文联 in the list: refused as a whole, nothing changes.
	before := roles(t, st)
	if _, err := st.SyncAdmins(ctx, []int64{9, 4}); !errors.Is(err, models.ErrSoleContact) {
		t.Fatalf("sync with a sole contact: %v, want ErrSoleContact", err)
	}
	eqRoles(t, roles(t, st), before)

	sync, err := st.SyncAdmins(ctx, []int64{1, 9})
	if err != nil {
		t.Fatal(err)
	}
	if len(sync.Granted) != 2 || sync.Granted[0].Handover == nil || sync.Granted[0].Handover.Promoted.TelegramID != 2 {
		t.Fatalf("granted %+v, want 1 (handing 市科协 to 2) and 9", sync.Granted)
	}
	if len(sync.Unknown) != 1 || sync.Unknown[0].TelegramID != 7 || len(sync.Revoked) != 0 {
		t.Errorf("unknown %v revoked %v, want 7 unknown", sync.Unknown, sync.Revoked)
	}
	eqRoles(t, roles(t, st), map[int64]string{1: "coordinator@-", 2: "contact@市科协", 4: "contact@市文联", 7: "coordinator@-", 8: "coordinator@-", 9: "coordinator@-"})

	// 1 is taken off the list and the bot restarts: 1 is no coordinator any
	// more; 8, made by `contact add`, stays.
	sync, err = st.SyncAdmins(ctx, []int64{9, 8})
	if err != nil {
		t.Fatal(err)
	}
	if len(sync.Revoked) != 1 || sync.Revoked[0].TelegramID != 1 || len(sync.Granted) != 0 {
		t.Errorf("second sync %+v, want 1 revoked", sync)
	}
	eqRoles(t, roles(t, st), map[int64]string{2: "contact@市科协", 4: "contact@市文联", 7: "coordinator@-", 8: "coordinator@-", 9: "coordinator@-"})
	if c, _ := st.ContactByTelegramID(ctx, 8); c.Source != models.SourceCLI {
		t.Errorf("a listed coordinator made by contact add changed source to %q", c.Source)
	}

	if _, err := st.SyncAdmins(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got := roles(t, st)
	if _, ok := got[9]; ok {
		t.Errorf("9 stayed a coordinator after DUBAN_ADMINS was emptied: %v", got)
	}
	if _, ok := got[8]; !ok {
		t.Errorf("8 (contact add) was removed by the DUBAN_ADMINS sync: %v", got)
	}
}

func inviteRow(t *testing.T, st *models.Store, token string) models.Invite {
	t.Helper()
	var inv models.Invite
	if err := st.DB().Where("token = ?", token).First(&inv).Error; err != nil {
		t.Fatal(err)
	}
	return inv
}

func testInviteRefusals(t *testing.T, open opener) {
	ctx := context.Background()
	now := may20
	st, kexie, wenlian := twoDepartments(t, open, func() time.Time { return now })
	people(t, st,
		models.Contact{TelegramID: 1, Role: models.RoleContact, DepartmentID: &kexie},
		models.Contact{TelegramID: 9, Role: models.RoleCoordinator},
		models.Contact{TelegramID: 4, Role: models.RoleContact, DepartmentID: &wenlian},
	)
	inv, err := st.CreateInvite(ctx, kexie, 9)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		user int64
		want error
	}{
		{9, models.ErrInviteCoordinator}, // the coordinator tries the link they made
		{1, models.ErrInviteMember},      // 市科协's own contact
		{4, models.ErrSoleContact},       // 市文联's only contact would leave it empty
	} {
		before := roles(t, st)
		if _, err := st.RedeemInvite(ctx, inv.Token, tc.user, "x"); !errors.Is(err, tc.want) {
			t.Errorf("user %d redeems: %v, want %v", tc.user, err, tc.want)
		}
		if row := inviteRow(t, st, inv.Token); row.UsedAt != nil || row.UsedBy != nil {
			t.Errorf("user %d burned the invite: %+v", tc.user, row)
		}
		eqRoles(t, roles(t, st), before)
	}
	c, err := st.RedeemInvite(ctx, inv.Token, 5, "周八")
	if err != nil || c.Role != models.RoleDeputy || c.Source != models.SourceInvite {
		t.Fatalf("the deputy it was meant for: %+v, %v", c, err)
	}

	// Revoking: one token, then every open invite of a department.
	one, _ := st.CreateInvite(ctx, wenlian, 9)
	if got, err := st.RevokeInvite(ctx, one.Token); err != nil || got.Department.Name != "市文联" {
		t.Fatalf("revoke: %+v, %v", got, err)
	}
	if _, err := st.RevokeInvite(ctx, one.Token); !errors.Is(err, models.ErrInviteRevoked) {
		t.Errorf("revoke twice: %v, want ErrInviteRevoked", err)
	}
	if _, err := st.RedeemInvite(ctx, one.Token, 6, ""); !errors.Is(err, models.ErrInviteRevoked) {
		t.Errorf("redeem a revoked invite: %v, want ErrInviteRevoked", err)
	}
	if _, err := st.RevokeInvite(ctx, inv.Token); !errors.Is(err, models.ErrInviteUsed) {
		t.Errorf("revoke a used invite: %v, want ErrInviteUsed", err)
	}
	stale, _ := st.CreateInvite(ctx, kexie, 9)
	now = now.Add(models.InviteTTL + time.Hour)
	var open2 []models.Invite
	for range 2 {
		inv, _ := st.CreateInvite(ctx, kexie, 9)
		open2 = append(open2, inv)
	}
	other, _ := st.CreateInvite(ctx, wenlian, 9)
	n, err := st.RevokeInvites(ctx, kexie)
	if err != nil || n != 2 {
		t.Fatalf("revoke 市科协's invites: %d, %v; want the 2 open ones", n, err)
	}
	for _, inv := range append(open2, stale) {
		wantRevoked := slices.ContainsFunc(open2, func(o models.Invite) bool { return o.Token == inv.Token })
		if row := inviteRow(t, st, inv.Token); (row.RevokedAt != nil) != wantRevoked {
			t.Errorf("invite %s revoked_at %v", inv.Token, row.RevokedAt)
		}
	}
	if row := inviteRow(t, st, other.Token); row.RevokedAt != nil {
		t.Error("another department's invite was revoked")
	}
}
