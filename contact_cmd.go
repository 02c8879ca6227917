package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/duban-bot/duban/bot"
	"github.com/duban-bot/duban/models"
)

const contactUsage = "contact: want `contact add --dept NAME --telegram-id ID [--name N] [--role contact|deputy|coordinator]`, " +
	"`contact list [--dept NAME]` or `contact remove --telegram-id ID`"

// runContactCmd dispatches `duban contact add|list|remove`.
func runContactCmd(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		return usagef(contactUsage)
	}
	switch args[0] {
	case "add":
		return runContact(ctx, e, args)
	case "list":
		return runContactList(ctx, e, args[1:])
	case "remove":
		return runContactRemove(ctx, e, args[1:])
	}
	return usagef(contactUsage)
}

// assignFromCLI binds a user as `contact add` asks and says what became of
// the departments concerned.
func assignFromCLI(ctx context.Context, e env, st *models.Store, c models.Contact) error {
	c.Source = models.SourceCLI
	ch, err := st.AssignRole(ctx, c)
	var sole *models.SoleContactError
	if errors.As(err, &sole) {
		return usagef("contact add: %v; bind a deputy first (`duban invite --dept %s`) or unbind them (`duban contact remove --telegram-id %d`)",
			sole, sole.Department, sole.TelegramID)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "contact %s is now %s\n", who(ch.Contact), roleAndDept(ch.Contact))
	if !ch.Contact.IsCoordinator() {
		warnListed(e, c.TelegramID)
	}
	return reportRoleChange(ctx, e, st, ch)
}

func runContactList(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("contact list", flag.ContinueOnError)
	dept := fs.String("dept", "", "only this department")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	var only *uint
	if *dept != "" {
		d, err := findDept(ctx, st, *dept)
		if err != nil {
			return err
		}
		only = &d.ID
	}
	cs, err := st.ListContacts(ctx, only)
	if err != nil {
		return err
	}
	writeContacts(e, cs)
	return nil
}

// writeContacts prints one tab-separated line per binding, under a header.
func writeContacts(e env, cs []models.Contact) {
	fmt.Fprintln(e.stdout, "TELEGRAM_ID\tNAME\tROLE\tDEPARTMENT\tMAIN/DEPUTY\tSINCE\tSOURCE")
	for _, c := range cs {
		role, dept, rank := "coordinator", "-", "-"
		if c.Department != nil {
			role, dept, rank = "contact", c.Department.Name, "main"
			if c.Role == models.RoleDeputy {
				rank = "deputy"
			}
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", c.TelegramID, orDash(cliText(c.Name)), role, dept, rank,
			c.CreatedAt.In(e.cfg.Loc).Format("2006-01-02 15:04"), orDash(c.Source))
	}
}

func runContactRemove(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("contact remove", flag.ContinueOnError)
	id := fs.Int64("telegram-id", 0, "Telegram user id")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *id <= 0 {
		return usagef("contact remove: --telegram-id must be a positive Telegram user id")
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	ch, err := st.RemoveContact(ctx, *id)
	if errors.Is(err, models.ErrNotFound) {
		return usagef("contact remove: nobody is bound to Telegram id %d (see `duban contact list`)", *id)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "removed %s, %s\n", who(ch.Contact), roleAndDept(ch.Contact))
	warnListed(e, *id)
	return reportRoleChange(ctx, e, st, ch)
}

// reportRoleChange prints what a change did to the departments concerned
// and queues the messages that tell the people (sent by `duban serve`).
func reportRoleChange(ctx context.Context, e env, st *models.Store, ch models.RoleChange) error {
	if h := ch.Handover; h != nil && h.Promoted != nil {
		fmt.Fprintf(e.stdout, "%s: deputy %s is now the main contact\n", h.Department.Name, who(*h.Promoted))
	} else if h != nil {
		fmt.Fprintf(e.stdout, "%s has no contact now: invite one with `duban invite --dept %s`\n", h.Department.Name, h.Department.Name)
	}
	if d := ch.Demoted; d != nil {
		fmt.Fprintf(e.stdout, "%s, the former main contact, is now a deputy\n", who(*d))
	}
	coords, err := st.Coordinators(ctx)
	if err != nil {
		return err
	}
	msgs := bot.RoleNotices(ch, coords, 0)
	if len(msgs) == 0 {
		return nil
	}
	n, err := st.Enqueue(ctx, msgs...)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "queued %d message(s) to the people concerned; `duban serve` sends them\n", n)
	return nil
}

// warnListed says when DUBAN_ADMINS will undo a change at the next start.
func warnListed(e env, id int64) {
	if slices.Contains(e.cfg.Admins, id) {
		fmt.Fprintf(e.stdout, "note: %d is listed in DUBAN_ADMINS; the next `duban serve` makes it a coordinator again unless you take it off the list\n", id)
	}
}

// who names a person on the command line: "42 (王芳)", or "42" without a name.
func who(c models.Contact) string {
	if c.Name == "" {
		return strconv.FormatInt(c.TelegramID, 10)
	}
	return fmt.Sprintf("%d (%s)", c.TelegramID, cliText(c.Name))
}

func roleAndDept(c models.Contact) string {
	switch {
	case c.IsCoordinator():
		return "coordinator"
	case c.Role == models.RoleDeputy:
		return "deputy of " + c.Department.Name
	}
	return "main contact of " + c.Department.Name
}

// cliText makes a name safe to print on a terminal: control and bidi
// characters (which could rewrite the line or the table) become '?', and
// the name is cut at 40 characters.
func cliText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' {
			return '?'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// runInviteCmd dispatches `duban invite --dept NAME` and `duban invite revoke`.
func runInviteCmd(ctx context.Context, e env, args []string) error {
	if len(args) > 0 && args[0] == "revoke" {
		return runInviteRevoke(ctx, e, args[1:])
	}
	return runInvite(ctx, e, args)
}

const inviteRevokeUsage = "invite revoke: want `invite revoke TOKEN` or `invite revoke --dept NAME`"

// runInviteRevoke closes one invite by its token, or every open invite of a
// department, and says how many.
func runInviteRevoke(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("invite revoke", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dept := fs.String("dept", "", "revoke every open invite of this department")
	if len(args) == 1 && !isFlagArg(args[0]) {
		// A token may start with "-" (one in 64 does): it is not a flag.
		args = []string{"--", args[0]}
	}
	if err := fs.Parse(args); err != nil {
		return usagef("invite revoke: %v", err)
	}
	token := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if (token == "") == (*dept == "") || strings.ContainsAny(token, " \t") {
		return usagef(inviteRevokeUsage)
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if *dept != "" {
		d, err := findDept(ctx, st, *dept)
		if err != nil {
			return err
		}
		n, err := st.RevokeInvites(ctx, d.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked %d open invite(s) of %s\n", n, d.Name)
		return nil
	}
	inv, err := st.RevokeInvite(ctx, token)
	if err != nil {
		return revokeRefusal(err)
	}
	fmt.Fprintf(e.stdout, "revoked 1 invite of %s (created %s)\n", inv.Department.Name,
		inv.CreatedAt.In(e.cfg.Loc).Format("2006-01-02 15:04"))
	return nil
}

// revokeRefusal says why a token cannot be revoked; nothing was changed.
func revokeRefusal(err error) error {
	switch {
	case errors.Is(err, models.ErrInviteUnknown):
		return usagef("invite revoke: no invite has that token")
	case errors.Is(err, models.ErrInviteRevoked):
		return usagef("invite revoke: that invite was revoked already")
	case errors.Is(err, models.ErrInviteExpired):
		return usagef("invite revoke: that invite has expired already; nobody can use it")
	case errors.Is(err, models.ErrInviteUsed):
		return usagef("invite revoke: that invite was used already; to unbind the person: `duban contact list`, then `duban contact remove --telegram-id ID`")
	}
	return err
}

// isFlagArg says whether arg is one of invite revoke's flags (or help).
func isFlagArg(arg string) bool {
	name, _, _ := strings.Cut(strings.TrimLeft(arg, "-"), "=")
	return strings.HasPrefix(arg, "-") && (name == "dept" || name == "h" || name == "help")
}
