package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/duban-bot/duban/models"
)

// onCommand routes a slash command.
func (b *Bot) onCommand(ctx context.Context, r *request, cmd, arg string) error {
	if b.inGroup(ctx, r, cmd) {
		return nil
	}
	switch cmd {
	case "start":
		if arg != "" && r.private {
			return b.redeem(ctx, r, arg)
		}
		if r.contact.IsCoordinator() {
			b.answer(ctx, r, msgStartCoordinator)
			return nil
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

// extraCommands are the views (status, overdue, export) and /contacts.
func (b *Bot) extraCommands() map[string]func(context.Context, *request, string) error {
	return map[string]func(context.Context, *request, string) error{
		"status":   b.status,
		"overdue":  b.overdue,
		"export":   b.exportCmd,
		"contacts": b.contacts,
		"target":   b.target,
		"review":   b.review,
	}
}

func (b *Bot) help(ctx context.Context, r *request) error {
	text := msgHelp
	if r.contact.IsCoordinator() {
		text = msgHelpCoordinator
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
	b.answer(ctx, r, fmt.Sprintf(msgWhoami, quote(name, maxQuotedName), roleName(c.Role), dept))
	return nil
}

// redeem binds the sender to the invite's department. An invite the
// sender cannot use (a coordinator's, a member's own department's, the only
// contact of another department) is refused and stays open.
func (b *Bot) redeem(ctx context.Context, r *request, token string) error {
	name := r.user.FirstName
	if r.user.LastName != "" {
		name += " " + r.user.LastName
	}
	ch, err := b.st.RedeemInviteChange(ctx, token, r.user.ID, quote(name, maxStoredName))
	if err != nil {
		return b.redeemRefusal(r, err)
	}
	c := ch.Contact
	dept := ""
	if c.Department != nil {
		dept = c.Department.Name
	}
	b.log.Info("contact bound by invite", "user", r.user.ID, "department", dept, "role", c.Role)
	text := fmt.Sprintf(msgWelcome, dept, roleName(c.Role))
	if h := ch.Handover; h != nil {
		b.log.Warn("a main contact moved by invite", "user", r.user.ID, "department", h.Department.Name, "promoted", promotedID(ch))
		text += welcomeHandover(h)
		if err := b.queueRoleNotices(ctx, ch, 0); err != nil {
			return err
		}
	}
	b.answer(ctx, r, text)
	return nil
}

func welcomeHandover(h *models.Handover) string {
	if h.Promoted == nil {
		return fmt.Sprintf(msgWelcomeNobodyLeft, h.Department.Name)
	}
	return fmt.Sprintf(msgWelcomeHandover, h.Department.Name, shownName(*h.Promoted))
}

// redeemRefusal turns a refused invite into the answer that says why.
func (b *Bot) redeemRefusal(r *request, err error) error {
	switch {
	case errors.Is(err, models.ErrInviteUnknown):
		b.log.Info("refused unknown invite token", "user", r.user.ID)
		return userError{msgInviteUnknown}
	case errors.Is(err, models.ErrInviteUsed):
		return userError{msgInviteUsed}
	case errors.Is(err, models.ErrInviteExpired):
		return userError{msgInviteExpired}
	case errors.Is(err, models.ErrInviteRevoked):
		return userError{msgInviteRevoked}
	case errors.Is(err, models.ErrInviteCoordinator):
		b.log.Info("coordinator opened an invite; kept open", "user", r.user.ID)
		return userError{msgInviteCoordinator}
	case errors.Is(err, models.ErrInviteMember):
		return userErrorf(msgInviteMember, r.contact.Department.Name, roleName(r.contact.Role))
	case errors.Is(err, models.ErrSoleContact):
		return userErrorf(msgInviteSole, r.contact.Department.Name)
	}
	return err
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
		return userErrorf(msgInviteNoDept, quote(arg, maxQuotedArg))
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
