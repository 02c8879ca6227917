package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

// seededDB is a database holding the 2022 plan.
func seededDB(t *testing.T) map[string]string {
	t.Helper()
	vars := map[string]string{"DUBAN_DB": filepath.Join(t.TempDir(), "duban.db")}
	if _, err := runCmd(t, vars, "seed"); err != nil {
		t.Fatal(err)
	}
	return vars
}

func mustRun(t *testing.T, vars map[string]string, args ...string) string {
	t.Helper()
	out, err := runCmd(t, vars, args...)
	if err != nil {
		t.Fatalf("duban %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// withStore opens the command's database to read what it did.
func withStore(t *testing.T, vars map[string]string, fn func(st *models.Store)) {
	t.Helper()
	st, err := models.Open(vars["DUBAN_DB"], models.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	fn(st)
}

// binding reads "role@department" of a user, "none" when unbound.
func binding(t *testing.T, vars map[string]string, id int64) string {
	t.Helper()
	out := ""
	withStore(t, vars, func(st *models.Store) {
		c, err := st.ContactByTelegramID(context.Background(), id)
		switch {
		case errors.Is(err, models.ErrNotFound):
			out = "none"
		case err != nil:
			t.Fatal(err)
		case c.Department == nil:
			out = c.Role + "@- " + c.Name
		default:
			out = c.Role + "@" + c.Department.Name + " " + c.Name
		}
	})
	return out
}

// The operator binds 市科协's contact and a deputy, then makes the contact
// a coordinator: the deputy takes over and the output says so. Making
// 市文联's only contact a coordinator is refused and changes nothing.
func TestContactAddKeepsAMainContact(t *testing.T) {
	vars := seededDB(t)
	mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42", "--name", "王芳")
	mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "43", "--name", "李四", "--role", "deputy")
	mustRun(t, vars, "contact", "add", "--dept", "市文联", "--telegram-id", "44", "--name", "孙七")

	out := mustRun(t, vars, "contact", "add", "--telegram-id", "42", "--role", "coordinator")
	for _, want := range []string{"contact 42 (王芳) is now coordinator", "市科协: deputy 43 (李四) is now the main contact", "queued"} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
	if got := binding(t, vars, 42); got != "coordinator@- 王芳" {
		t.Errorf("42 is %q; the name given before should stay", got)
	}
	if got := binding(t, vars, 43); got != "contact@市科协 李四" {
		t.Errorf("43 is %q, want 市科协's main contact", got)
	}

	_, err := runCmd(t, vars, "contact", "add", "--telegram-id", "44", "--role", "coordinator")
	if err == nil || !isUsage(err) || !strings.Contains(err.Error(), "only contact of 市文联") || !strings.Contains(err.Error(), "contact remove --telegram-id 44") {
		t.Fatalf("sole contact made coordinator: %v", err)
	}
	if got := binding(t, vars, 44); got != "contact@市文联 孙七" {
		t.Errorf("refused, yet 44 is %q", got)
	}
}

// contact list shows every binding, tab-separated; --dept keeps one
// department; a hostile name cannot break the table.
func TestContactList(t *testing.T) {
	vars := seededDB(t)
	mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42", "--name", "王芳")
	mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "43", "--name", "李\t四\n\x1b[31m", "--role", "deputy")
	mustRun(t, vars, "contact", "add", "--dept", "市文联", "--telegram-id", "44", "--name", "孙七")
	mustRun(t, vars, "contact", "add", "--telegram-id", "9", "--role", "coordinator")

	lines := strings.Split(strings.TrimSpace(mustRun(t, vars, "contact", "list")), "\n")
	want := []string{
		"TELEGRAM_ID\tNAME\tROLE\tDEPARTMENT\tMAIN/DEPUTY\tSINCE\tSOURCE",
		"9\t-\tcoordinator\t-\t-\t",
		"42\t王芳\tcontact\t市科协\tmain\t",
		"43\t李?四??[31m\tcontact\t市科协\tdeputy\t",
		"44\t孙七\tcontact\t市文联\tmain\t",
	}
	if len(lines) != len(want) {
		t.Fatalf("contact list:\n%s", strings.Join(lines, "\n"))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) || strings.Count(lines[i], "\t") != 6 {
			t.Errorf("line %d = %q, want it to start with %q and have 7 fields", i, lines[i], w)
		}
	}
	if !strings.HasSuffix(lines[1], "\tcli") {
		t.Errorf("coordinator line %q, want source cli", lines[1])
	}
	one := strings.Split(strings.TrimSpace(mustRun(t, vars, "contact", "list", "--dept", "市文联")), "\n")
	if len(one) != 2 || !strings.HasPrefix(one[1], "44\t") {
		t.Errorf("contact list --dept 市文联:\n%s", strings.Join(one, "\n"))
	}
}

// contact remove unbinds; a main contact's deputy takes over; the last
// contact leaves the department empty, said loudly; an unknown id is a
// usage error.
func TestContactRemove(t *testing.T) {
	vars := seededDB(t)
	mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42", "--name", "王芳")
	mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "43", "--name", "李四", "--role", "deputy")

	out := mustRun(t, vars, "contact", "remove", "--telegram-id", "42")
	if !strings.Contains(out, "removed 42 (王芳), main contact of 市科协") || !strings.Contains(out, "deputy 43 (李四) is now the main contact") {
		t.Errorf("remove main contact: %q", out)
	}
	if binding(t, vars, 42) != "none" || binding(t, vars, 43) != "contact@市科协 李四" {
		t.Errorf("after remove: 42 %q, 43 %q", binding(t, vars, 42), binding(t, vars, 43))
	}
	withStore(t, vars, func(st *models.Store) {
		var n int64
		st.DB().Model(&models.Outbox{}).Where("chat_id IN ?", []int64{42, 43}).Count(&n)
		if n != 2 {
			t.Errorf("%d messages queued to the unbound contact and the deputy, want 2", n)
		}
	})

	out = mustRun(t, vars, "contact", "remove", "--telegram-id", "43")
	if !strings.Contains(out, "市科协 has no contact now") || !strings.Contains(out, "duban invite --dept 市科协") {
		t.Errorf("remove last contact: %q", out)
	}
	if _, err := runCmd(t, vars, "contact", "remove", "--telegram-id", "43"); err == nil || !isUsage(err) || !strings.Contains(err.Error(), "nobody is bound") {
		t.Errorf("remove twice: %v", err)
	}
	vars["DUBAN_ADMINS"] = "42"
	if out := mustRun(t, vars, "contact", "add", "--dept", "市科协", "--telegram-id", "42"); !strings.Contains(out, "listed in DUBAN_ADMINS") {
		t.Errorf("binding an id of DUBAN_ADMINS as a contact does not warn: %q", out)
	}
	if _, err := runCmd(t, vars, "contact", "frobnicate"); err == nil || !strings.Contains(err.Error(), "contact list") {
		t.Errorf("unknown contact subcommand: %v", err)
	}
}

// invite revoke TOKEN closes one invite, --dept every open one of a
// department; a revoked token binds nobody.
func TestInviteRevoke(t *testing.T) {
	vars := seededDB(t)
	token := func(dept string) string {
		return strings.Fields(mustRun(t, vars, "invite", "--dept", dept))[0]
	}
	one := token("市科协")
	if out := mustRun(t, vars, "invite", "revoke", one); !strings.Contains(out, "revoked 1 invite of 市科协") {
		t.Errorf("revoke: %q", out)
	}
	if _, err := runCmd(t, vars, "invite", "revoke", one); err == nil || !strings.Contains(err.Error(), "revoked already") {
		t.Errorf("revoke twice: %v", err)
	}
	if _, err := runCmd(t, vars, "invite", "revoke", "no-such-token"); err == nil || !isUsage(err) {
		t.Errorf("revoke unknown: %v", err)
	}
	a, b, other := token("市文联"), token("市文联"), token("市科协")
	if out := mustRun(t, vars, "invite", "revoke", "--dept", "市文联"); !strings.Contains(out, "revoked 2 open invite(s) of 市文联") {
		t.Errorf("revoke --dept: %q", out)
	}
	withStore(t, vars, func(st *models.Store) {
		ctx := context.Background()
		for _, tk := range []string{one, a, b} {
			if _, err := st.RedeemInvite(ctx, tk, 77, "x"); !errors.Is(err, models.ErrInviteRevoked) {
				t.Errorf("redeem revoked %s: %v", tk, err)
			}
		}
		if _, err := st.RedeemInvite(ctx, other, 78, "y"); err != nil {
			t.Errorf("another department's invite: %v", err)
		}
	})
	if _, err := runCmd(t, vars, "invite", "revoke"); err == nil || !isUsage(err) {
		t.Errorf("revoke without a token: %v", err)
	}
}
