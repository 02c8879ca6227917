package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Buttons of /contacts ride under the status prefix (they are a view of a
// department): "s:k:u:<contact>" asks to unbind a contact, "s:k:y:<contact>"
// confirms, "s:k:n:<department>" cancels back to the list. Each carries a
// row id, so a second press finds nothing to remove.
const (
	contactsKind    = "k"
	contactsPrefix  = statusPrefix + contactsKind + ":"
	maxContactsRows = 30
	maxNameShown    = 24
)

// contacts answers /contacts 市科协: the department's people, each with an
// 解除绑定 button. Coordinators only, and only in a private chat: the list
// holds names and Telegram ids.
func (b *Bot) contacts(ctx context.Context, r *request, arg string) error {
	switch {
	case !r.contact.IsCoordinator():
		return userError{msgCoordOnly}
	case !r.private:
		return userError{msgContactsPrivate}
	case arg == "":
		return userError{msgContactsUsage}
	}
	d, err := b.st.DepartmentByName(ctx, arg)
	if errors.Is(err, models.ErrNotFound) {
		return userErrorf(msgInviteNoDept, quote(arg, maxQuotedArg))
	}
	if err != nil {
		return err
	}
	sc, err := b.contactsScreen(ctx, d, "")
	if err != nil {
		return err
	}
	return b.sendScreen(ctx, r.chatID, sc)
}

// contactsScreen lists a department's contacts under head.
func (b *Bot) contactsScreen(ctx context.Context, d models.Department, head string) (screen, error) {
	cs, err := b.st.DepartmentContacts(ctx, d.ID)
	if err != nil {
		return screen{}, err
	}
	var sb strings.Builder
	sb.WriteString(head)
	if len(cs) == 0 {
		fmt.Fprintf(&sb, msgContactsNone, d.Name)
		return screen{text: sb.String()}, nil
	}
	fmt.Fprintf(&sb, msgContactsHead, d.Name, len(cs))
	sc := screen{}
	for i, c := range cs {
		fmt.Fprintf(&sb, msgContactsLine, i+1, shownName(c), roleName(c.Role), c.TelegramID,
			c.CreatedAt.In(b.set.Loc).Format("2006-01-02"))
		if i < maxContactsRows {
			sc.rows = append(sc.rows, []button{{btnUnbind + shorten(shownName(c), 16), contactsData("u", c.ID)}})
		}
	}
	sc.text = clip(sb.String())
	return sc, nil
}

func contactsData(op string, id uint) string {
	return contactsPrefix + op + ":" + strconv.FormatUint(uint64(id), 10)
}

// shownName is a contact's name as chat messages show it: on one line, cut
// short, and the Telegram id when they gave none.
func shownName(c models.Contact) string {
	name := strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, c.Name))
	if name == "" {
		return "ID " + strconv.FormatInt(c.TelegramID, 10)
	}
	return shorten(name, maxNameShown)
}

// onContactsButton handles the /contacts buttons; arg is what follows
// "s:k:". Only coordinators may press them.
func (b *Bot) onContactsButton(ctx context.Context, r *request, arg string) error {
	if !r.contact.IsCoordinator() {
		return fmt.Errorf("contacts button %q by a contact: %w", r.query.Data, errForbidden)
	}
	op, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseUint(idText, 10, 32)
	if err != nil {
		return fmt.Errorf("contacts button %q: %w", r.query.Data, errForbidden)
	}
	switch op {
	case "u":
		return b.askUnbind(ctx, r, uint(id))
	case "y":
		return b.unbind(ctx, r, uint(id))
	case "n":
		d, err := b.st.Department(ctx, uint(id))
		if err != nil {
			return fmt.Errorf("contacts of department %d: %w", id, errForbidden)
		}
		b.toast(ctx, r.query, "")
		return b.showContacts(ctx, r, d, "")
	}
	return fmt.Errorf("contacts button %q: %w", r.query.Data, errForbidden)
}

// departmentContact finds a department's contact by row id; ok is false
// (and the user told) when the binding is gone.
func (b *Bot) departmentContact(ctx context.Context, r *request, id uint) (models.Contact, bool, error) {
	c, err := b.st.ContactByID(ctx, id)
	switch {
	case errors.Is(err, models.ErrNotFound):
		b.toast(ctx, r.query, msgUnbindGone)
		return c, false, nil
	case err != nil:
		return c, false, err
	case c.Department == nil:
		return c, false, fmt.Errorf("unbind coordinator %d from /contacts: %w", c.TelegramID, errForbidden)
	}
	return c, true, nil
}

// askUnbind replaces the list with a confirmation that says who takes over.
func (b *Bot) askUnbind(ctx context.Context, r *request, id uint) error {
	c, ok, err := b.departmentContact(ctx, r, id)
	if !ok {
		return err
	}
	text := fmt.Sprintf(msgUnbindAsk, shownName(c), c.Department.Name, roleName(c.Role), c.TelegramID)
	if c.Role == models.RoleContact {
		cs, err := b.st.DepartmentContacts(ctx, c.Department.ID)
		if err != nil {
			return err
		}
		if next, ok := nextMain(cs, c.TelegramID); ok {
			text += fmt.Sprintf(msgUnbindAskHandover, shownName(next))
		} else {
			text += fmt.Sprintf(msgUnbindAskLast, c.Department.Name)
		}
	}
	b.toast(ctx, r.query, "")
	return b.replaceScreen(ctx, r, screen{text: text, rows: [][]button{{
		{btnUnbindConfirm, contactsData("y", c.ID)}, {btnUnbindCancel, contactsData("n", c.Department.ID)},
	}}})
}

// nextMain is the deputy who would take over from the main contact: the
// oldest, as models.Store.RemoveContact picks.
func nextMain(cs []models.Contact, leaving int64) (models.Contact, bool) {
	var next models.Contact
	found := false
	for _, c := range cs {
		if c.Role != models.RoleDeputy || c.TelegramID == leaving {
			continue
		}
		if !found || c.CreatedAt.Before(next.CreatedAt) {
			next, found = c, true
		}
	}
	return next, found
}

// unbind removes the binding, reports who took over, and tells the people
// concerned. A second press finds nothing and changes nothing.
func (b *Bot) unbind(ctx context.Context, r *request, id uint) error {
	if _, ok, err := b.departmentContact(ctx, r, id); !ok {
		return err
	}
	ch, err := b.st.RemoveContactByID(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		b.toast(ctx, r.query, msgUnbindGone)
		return nil
	}
	if err != nil {
		return err
	}
	d := *ch.Contact.Department
	b.log.Info("contact unbound", "by", r.user.ID, "user", ch.Contact.TelegramID, "department", d.Name,
		"role", ch.Contact.Role, "promoted", promotedID(ch))
	if err := b.queueRoleNotices(ctx, ch, r.user.ID); err != nil {
		return err
	}
	head := fmt.Sprintf(msgUnbound, shownName(ch.Contact), d.Name) + handoverLine(ch) + "\n"
	b.toast(ctx, r.query, strings.TrimSpace(fmt.Sprintf(msgUnbound, shownName(ch.Contact), d.Name)))
	return b.showContacts(ctx, r, d, head)
}

// handoverLine says who took over after a main contact left; "" otherwise.
func handoverLine(ch models.RoleChange) string {
	h := ch.Handover
	switch {
	case h == nil:
		return ""
	case h.Promoted == nil:
		return fmt.Sprintf(msgNobodyLeft, h.Department.Name)
	}
	return fmt.Sprintf(msgPromoted, shownName(*h.Promoted), h.Department.Name)
}

func promotedID(ch models.RoleChange) int64 {
	if ch.Handover == nil || ch.Handover.Promoted == nil {
		return 0
	}
	return ch.Handover.Promoted.TelegramID
}

// showContacts puts the department's list, under head, in place of the
// pressed message.
func (b *Bot) showContacts(ctx context.Context, r *request, d models.Department, head string) error {
	sc, err := b.contactsScreen(ctx, d, head)
	if err != nil {
		return err
	}
	return b.replaceScreen(ctx, r, sc)
}

// replaceScreen edits the message whose button was pressed, or sends a new
// one when Telegram no longer lets the bot edit it.
func (b *Bot) replaceScreen(ctx context.Context, r *request, sc screen) error {
	if m := r.query.Message.Message; m != nil {
		return b.edit(ctx, r.chatID, m.ID, sc)
	}
	return b.sendScreen(ctx, r.chatID, sc)
}

// queueRoleNotices tells, through the outbox, the people a role change
// concerns: the deputy who became main contact, every coordinator but
// skip, and the person unbound.
func (b *Bot) queueRoleNotices(ctx context.Context, ch models.RoleChange, skip int64) error {
	coords, err := b.st.Coordinators(ctx)
	if err != nil {
		return err
	}
	msgs := RoleNotices(ch, coords, skip)
	if len(msgs) == 0 {
		return nil
	}
	if _, err := b.st.Enqueue(ctx, msgs...); err != nil {
		return err
	}
	b.wake()
	return nil
}

// RoleNotices are the messages a role change sends: to the deputy who
// became a department's main contact, to every coordinator but skip when a
// department lost its main contact, and to a department contact who was
// unbound. The command line queues them too.
func RoleNotices(ch models.RoleChange, coordinators []models.Contact, skip int64) []models.OutboxMessage {
	var msgs []models.OutboxMessage
	if ch.Removed && ch.Contact.Department != nil {
		msgs = append(msgs, models.OutboxMessage{ChatID: ch.Contact.TelegramID,
			Text: fmt.Sprintf(msgNoticeUnbound, ch.Contact.Department.Name)})
	}
	h := ch.Handover
	if h == nil {
		return msgs
	}
	left, why := shownName(h.Left), leftReason(ch)
	text := fmt.Sprintf(msgNoticeNobodyLeft, h.Department.Name, left, why)
	if h.Promoted != nil {
		msgs = append(msgs, models.OutboxMessage{ChatID: h.Promoted.TelegramID,
			Text: fmt.Sprintf(msgNoticePromoted, h.Department.Name, left, why)})
		text = fmt.Sprintf(msgNoticeHandover, h.Department.Name, left, why, shownName(*h.Promoted))
	}
	for _, c := range coordinators {
		if c.TelegramID != skip && c.TelegramID != ch.Contact.TelegramID {
			msgs = append(msgs, models.OutboxMessage{ChatID: c.TelegramID, Text: text})
		}
	}
	return msgs
}

// leftReason says what became of a main contact who left their department.
func leftReason(ch models.RoleChange) string {
	c := ch.Contact
	switch {
	case ch.Removed:
		return txtLeftRemoved
	case c.IsCoordinator():
		return txtLeftToCoord
	case c.Department != nil && c.Department.ID != ch.Handover.Department.ID:
		return fmt.Sprintf(txtLeftMoved, c.Department.Name)
	}
	return txtLeftToDeputy
}

// syncAdmins applies DUBAN_ADMINS (see models.Store.SyncAdmins), logs what
// changed, queues the notices of departments handed over, and returns the
// coordinators it revoked.
func (b *Bot) syncAdmins(ctx context.Context) ([]models.Contact, error) {
	sync, err := b.st.SyncAdmins(ctx, b.set.Admins)
	if errors.Is(err, models.ErrSoleContact) {
		return nil, fmt.Errorf("%w: bind a deputy for that department first (/invite), or unbind the user (duban contact remove --telegram-id ID)", err)
	}
	if err != nil {
		return nil, err
	}
	for _, ch := range sync.Granted {
		b.log.Info("DUBAN_ADMINS: coordinator granted", "user", ch.Contact.TelegramID)
		if h := ch.Handover; h != nil {
			b.log.Warn("DUBAN_ADMINS: a department's main contact became a coordinator",
				"user", ch.Contact.TelegramID, "department", h.Department.Name, "promoted", promotedID(ch))
		}
		if err := b.queueRoleNotices(ctx, ch, 0); err != nil {
			return nil, err
		}
	}
	for _, c := range sync.Revoked {
		b.log.Info("DUBAN_ADMINS: coordinator revoked, no longer listed", "user", c.TelegramID)
	}
	for _, c := range sync.Unknown {
		b.log.Warn("coordinator not in DUBAN_ADMINS, bound before sources were recorded: kept; "+
			"`duban contact remove --telegram-id ID` revokes, `duban contact add --role coordinator` keeps for good",
			"user", c.TelegramID)
	}
	return sync.Revoked, nil
}

// dropCoordinatorMenus removes the coordinators' command menu from the
// chats of revoked coordinators.
func (b *Bot) dropCoordinatorMenus(ctx context.Context, revoked []models.Contact) error {
	for _, c := range revoked {
		_, err := b.api.DeleteMyCommands(ctx, &tg.DeleteMyCommandsParams{Scope: &tgmodels.BotCommandScopeChat{ChatID: c.TelegramID}})
		if err != nil {
			return fmt.Errorf("delete coordinator commands of %d: %w", c.TelegramID, err)
		}
	}
	return nil
}
