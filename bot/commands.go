package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/duban-bot/duban/models"
)

// onCommand routes a slash command.
func (b *Bot) onCommand(ctx context.Context, r *request, cmd, arg string) error {
	switch cmd {
	case "start":
		if arg != "" && r.private {
			return b.redeem(ctx, r, arg)
		}
		return b.help(ctx, r)
	case "help":
		return b.help(ctx, r)
	case "whoami":
		return b.whoami(ctx, r)
	case "invite":
		return b.invite(ctx, r, arg)
	case "cancel":
		return b.cancel(ctx, r)
	case "report":
		return b.reportThisYear(ctx, r)
	case "mine":
		return b.mine(ctx, r)
	case "leave":
		return b.leave(ctx, r, arg)
	}
	if h, ok := b.extraCommands()[cmd]; ok {
		return h(ctx, r, arg)
	}
	b.answer(ctx, r, msgUnknownInput)
	return nil
}

// extraCommands are the coordinators' views (status, overdue, export).
func (b *Bot) extraCommands() map[string]func(context.Context, *request, string) error {
	return map[string]func(context.Context, *request, string) error{
		"status":  b.status,
		"overdue": b.overdue,
		"export":  b.exportCmd,
		"target":  b.target,
	}
}

func (b *Bot) help(ctx context.Context, r *request) error {
	text := msgHelp
	if r.contact.IsCoordinator() {
		text += msgHelpCoordinator
	}
	b.answer(ctx, r, text)
	return nil
}

func roleName(role string) string {
	switch role {
	case models.RoleCoordinator:
		return msgRoleCoordinator
	case models.RoleDeputy:
		return msgRoleDeputy
	}
	return msgRoleContact
}

func (b *Bot) whoami(ctx context.Context, r *request) error {
	c := r.contact
	dept := ""
	if c.Department != nil {
		dept = "（" + c.Department.Name + "）"
	}
	name := c.Name
	if name == "" {
		name = r.user.FirstName
	}
	b.answer(ctx, r, fmt.Sprintf(msgWhoami, name, roleName(c.Role), dept))
	return nil
}

// redeem binds the sender to the invite's department.
func (b *Bot) redeem(ctx context.Context, r *request, token string) error {
	name := r.user.FirstName
	if r.user.LastName != "" {
		name += " " + r.user.LastName
	}
	c, err := b.st.RedeemInvite(ctx, token, r.user.ID, name)
	switch {
	case errors.Is(err, models.ErrInviteUnknown):
		b.log.Info("refused unknown invite token", "user", r.user.ID)
		return userError{msgInviteUnknown}
	case errors.Is(err, models.ErrInviteUsed):
		return userError{msgInviteUsed}
	case errors.Is(err, models.ErrInviteExpired):
		return userError{msgInviteExpired}
	case err != nil:
		return err
	}
	dept := ""
	if c.Department != nil {
		dept = c.Department.Name
	}
	b.log.Info("contact bound by invite", "user", r.user.ID, "department", dept, "role", c.Role)
	b.answer(ctx, r, fmt.Sprintf(msgWelcome, dept, roleName(c.Role)))
	return nil
}

func (b *Bot) invite(ctx context.Context, r *request, arg string) error {
	if !r.contact.IsCoordinator() {
		return userError{msgCoordOnly}
	}
	if arg == "" {
		return userError{msgInviteUsage}
	}
	d, err := b.st.DepartmentByName(ctx, arg)
	if errors.Is(err, models.ErrNotFound) {
		return userErrorf(msgInviteNoDept, arg)
	}
	if err != nil {
		return err
	}
	inv, err := b.st.CreateInvite(ctx, d.ID, r.user.ID)
	if err != nil {
		return err
	}
	b.answer(ctx, r, fmt.Sprintf(msgInviteCreated, d.Name, b.InviteLink(inv.Token)))
	return nil
}

// InviteLink is the deep link that opens the bot with a /start token.
func (b *Bot) InviteLink(token string) string {
	user := b.set.Username
	if user == "" {
		user = "<bot>"
	}
	return fmt.Sprintf("https://t.me/%s?start=%s", user, token)
}
