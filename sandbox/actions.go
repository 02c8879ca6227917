package sandbox

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/delivery"
)

// settleHorizon is how far settle moves the clock to send what the rate
// limits held back (the next second for a chat, the next minute for a group).
const settleHorizon = 2 * time.Minute

// say sends text from the current persona in its chat.
func (s *Sandbox) say(ctx context.Context, text string) error {
	p := s.cast.as
	msg := s.srv.NewMessage(p.chat, p.user)
	msg.Text = text
	if strings.HasPrefix(text, "/") {
		command, _, _ := strings.Cut(text, " ")
		msg.Entities = []tgmodels.MessageEntity{{
			Type: tgmodels.MessageEntityTypeBotCommand, Length: len(utf16.Encode([]rune(command))),
		}}
	}
	return s.deliver(ctx, &tgmodels.Update{Message: msg})
}

// press presses b under msg as the current persona.
func (s *Sandbox) press(ctx context.Context, msg *tgmodels.Message, b tgmodels.InlineKeyboardButton) error {
	if b.CallbackData == "" {
		return failf("button %q opens %s; it sends nothing to the bot", b.Text, b.URL)
	}
	p := s.cast.as
	s.updates++
	return s.deliver(ctx, &tgmodels.Update{CallbackQuery: &tgmodels.CallbackQuery{
		ID:           strconv.FormatInt(s.updates, 10),
		From:         p.user,
		Message:      tgmodels.MaybeInaccessibleMessage{Type: tgmodels.MaybeInaccessibleMessageTypeMessage, Message: msg},
		ChatInstance: strconv.FormatInt(p.chat, 10),
		Data:         b.CallbackData,
	}})
}

// deliver hands u to the bot, as polling would, and sends what it queued.
func (s *Sandbox) deliver(ctx context.Context, u *tgmodels.Update) error {
	s.updates++
	u.ID = s.updates
	s.bot.HandleUpdate(ctx, u)
	return s.settle(ctx)
}

// settle drains the outbox through the real sender. Messages the rate
// limits hold back a little are sent by moving the clock to them.
func (s *Sandbox) settle(ctx context.Context) error {
	for {
		stats, err := s.sender.Drain(ctx)
		if err != nil {
			return fmt.Errorf("sandbox: send the outbox: %w", err)
		}
		at, ok, err := s.st.NextOutboxDue(ctx)
		if err != nil || !ok {
			return err
		}
		now := s.clock.Now()
		if at.Sub(now) > settleHorizon || !at.After(now) && stats == (delivery.Stats{}) {
			return nil
		}
		s.clock.Set(at)
	}
}

// as switches the persona; a department's contact not bound yet joins
// through an invite first.
func (ses *session) as(ctx context.Context, who string) error {
	p, err := ses.s.cast.pick(who)
	if err != nil {
		return failure{err.Error()}
	}
	ses.s.cast.as = p
	if p.dept == "" {
		ses.p.meta("you are %s", p.label)
		return nil
	}
	ok, err := bound(ctx, ses.s.st, p)
	if err != nil || ok {
		ses.p.meta("you are %s", p.label)
		return err
	}
	return ses.join(ctx, p)
}

// join binds p as if through an invite: the link a coordinator made with
// /invite when the transcript shows one, else a new one.
func (ses *session) join(ctx context.Context, p persona) error {
	s := ses.s
	all, _ := s.rec.since(0)
	if token := inviteToken(all, p.dept); token != "" {
		ses.p.meta("%s opens the invite link", p.label)
		if err := s.say(ctx, "/start "+token); err != nil {
			return err
		}
		if ok, err := bound(ctx, s.st, p); err != nil || ok {
			return err
		}
	}
	inv, err := s.st.CreateInvite(ctx, s.cast.depts[p.dept], coordinatorID)
	if err != nil {
		return fmt.Errorf("sandbox: invite: %w", err)
	}
	ses.p.meta("%s opens an invite link made for the sandbox", p.label)
	return s.say(ctx, "/start "+inv.Token)
}

// press presses the button whose label contains arg (or matches /arg/)
// in the newest message with buttons in the persona's chat.
func (ses *session) press(ctx context.Context, arg string) error {
	if arg == "" {
		return failf(":press needs a label")
	}
	msg, ok := ses.s.rec.keyboard(ses.s.cast.as.chat)
	if !ok {
		return failf(":press %s: no message with buttons in %s's chat", arg, ses.s.cast.as.label)
	}
	match, err := labelMatcher(arg)
	if err != nil {
		return err
	}
	var found []tgmodels.InlineKeyboardButton
	var labels []string
	for _, b := range buttons(msg.ReplyMarkup) {
		labels = append(labels, b.Text)
		if b.Text == arg {
			found = []tgmodels.InlineKeyboardButton{b}
			break
		}
		if match(b.Text) {
			found = append(found, b)
		}
	}
	switch len(found) {
	case 0:
		return failf(":press %s: no button matches; buttons of #%d: %s", arg, msg.ID, strings.Join(labels, " | "))
	case 1:
		return ses.s.press(ctx, msg, found[0])
	}
	return failf(":press %s: %d buttons match; buttons of #%d: %s", arg, len(found), msg.ID, strings.Join(labels, " | "))
}

// labelMatcher reads a :press argument: /regex/ or a part of the label.
func labelMatcher(arg string) (func(string) bool, error) {
	if len(arg) > 2 && strings.HasPrefix(arg, "/") && strings.HasSuffix(arg, "/") {
		re, err := regexp.Compile(arg[1 : len(arg)-1])
		if err != nil {
			return nil, failf(":press %s: %v", arg, err)
		}
		return re.MatchString, nil
	}
	return func(label string) bool { return strings.Contains(label, arg) }, nil
}

// expect checks the outputs since the previous :expect.
func (ses *session) expect(arg string) error {
	re, err := regexp.Compile(arg)
	if arg == "" || err != nil {
		return failf(":expect needs a regular expression: %v", err)
	}
	outs, next := ses.s.rec.since(ses.expectFrom)
	from, start := ses.expectLine, ses.expectFrom
	ses.expectFrom, ses.expectLine = next, ses.line
	for i, o := range outs {
		header, body := ses.block(o)
		if re.MatchString(header + "\n" + body) {
			// The next :expect looks after this output: a run of them
			// checks that outputs came in that order.
			ses.expectFrom = start + i + 1
			return nil
		}
	}
	if from == 0 {
		return failf(":expect %s: no bot output since the start matches (%d outputs)", arg, len(outs))
	}
	return failf(":expect %s: no bot output since line %d matches (%d outputs)", arg, from, len(outs))
}

// who prints the persona, the clock and who is bound.
func (ses *session) who(ctx context.Context) error {
	s := ses.s
	p := s.cast.as
	ses.p.meta("you are %s (Telegram user %d, chat %d); clock %s", p.label, p.user.ID, p.chat, stamp(s.clock.Now(), s.loc))
	people, err := s.st.ListContacts(ctx, nil)
	if err != nil {
		return fmt.Errorf("sandbox: contacts: %w", err)
	}
	for _, c := range people {
		ses.p.meta("bound: %s (%d, %s)", s.cast.chatLabel(c.TelegramID), c.TelegramID, c.Role)
	}
	return nil
}
