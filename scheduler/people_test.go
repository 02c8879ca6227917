package scheduler

import (
	"fmt"
	"strings"
	"testing"

	"github.com/duban-bot/duban/models"
)

func noDigest(n models.Notice) bool { return n.Rung != digestRung }

// Who gets each rung of May 2022 while contacts are on leave.
//   - 发改委: Wang on leave 16–20 May, two deputies;
//   - 财政局: Li on leave 25–27 May and no deputy;
//   - 经信局: Zhao on leave from 26 May, one deputy.
func TestLeaveHandsRemindersToTheDeputies(t *testing.T) {
	w := newWorld(t)
	w.bind(coordinatorChat, "Coordinator", models.RoleCoordinator, "")
	w.bind(1001, "Wang", models.RoleContact, fgw)
	w.bind(1011, "Deputy A", models.RoleDeputy, fgw)
	w.bind(1012, "Deputy B", models.RoleDeputy, fgw)
	w.bind(1002, "Li", models.RoleContact, czj)
	w.bind(1003, "Zhao", models.RoleContact, jxj)
	w.bind(1013, "Deputy C", models.RoleDeputy, jxj)
	w.leave(1001, "2022-05-16", "2022-05-20")
	w.leave(1002, "2022-05-25", "2022-05-27")
	w.leave(1003, "2022-05-26", "2022-06-01")
	w.walk(w.at("2022-05-16 00:00"), w.at("2022-06-01 00:00"), w.scheduler(nil, nil))

	const blue, last, yellow, red = "2022-05-18 09:00", "2022-05-25 09:00", "2022-05-26 09:00", "2022-05-31 09:00"
	want := []sent{
		// Wang is away for blue: the deputies cover; he is back for the rest,
		// and from yellow on the deputies are told too.
		{fgw, "blue", 1011, blue}, {fgw, "blue", 1012, blue},
		{fgw, "last_call", 1001, last},
		{fgw, "yellow", 1001, yellow}, {fgw, "yellow", 1011, yellow}, {fgw, "yellow", 1012, yellow},
		{fgw, "red", 1001, red}, {fgw, "red", 1011, red}, {fgw, "red", 1012, red},
		// Li has nobody to stand in: someone must hear of it, so Li does.
		{czj, "blue", 1002, blue}, {czj, "last_call", 1002, last}, {czj, "yellow", 1002, yellow}, {czj, "red", 1002, red},
		// Zhao leaves the day of yellow: the deputy stands in from then on.
		{jxj, "blue", 1003, blue}, {jxj, "last_call", 1003, last}, {jxj, "yellow", 1013, yellow}, {jxj, "red", 1013, red},
		// Coordinators get the overdue list at yellow and red, the group at red.
		{"", "yellow", coordinatorChat, yellow}, {"", "red", coordinatorChat, red}, {"", "red", groupChat, red},
	}
	diffSent(t, w.sentLog(noDigest), want)

	texts := map[string]string{}
	audience := map[string]string{}
	for _, n := range w.notices() {
		k := fmt.Sprintf("%s %d", n.Rung, n.ChatID)
		audience[k] = n.Audience
		for _, o := range w.outbox() {
			if *o.DedupKey == fmt.Sprintf("notice:%d", n.ID) {
				texts[k] = o.Text
			}
		}
	}
	for _, c := range []struct{ notice, audience, says string }{
		{"blue 1011", "deputy", "Covering for Wang, on leave"},
		{"yellow 1001", "contact", "[yellow] " + fgw},
		{"yellow 1011", "deputy", "[yellow] " + fgw},
		{"yellow 1013", "deputy", "Covering for Zhao, on leave"},
		{fmt.Sprintf("yellow %d", coordinatorChat), "coordinator", fmt.Sprintf("- %s: %[2]d of %[2]d missing, deadline 2022-05-25 17:00; notified Wang, Deputy A, Deputy B\n", fgw, w.metrics(fgw))},
		{fmt.Sprintf("yellow %d", coordinatorChat), "coordinator", "- 市科协: "}, // no contact bound, still overdue
		{fmt.Sprintf("yellow %d", coordinatorChat), "coordinator", "; nobody bound to notify"},
		{fmt.Sprintf("yellow %d", coordinatorChat), "coordinator", "; notified Deputy C; Zhao on leave"},
		{fmt.Sprintf("red %d", groupChat), "group", "[red] Overdue for 2022-05: 14 departments"},
	} {
		if audience[c.notice] != c.audience {
			t.Errorf("notice %s is for audience %q, want %q", c.notice, audience[c.notice], c.audience)
		}
		if !strings.Contains(texts[c.notice], c.says) {
			t.Errorf("notice %s does not say %q:\n%s", c.notice, c.says, texts[c.notice])
		}
	}
	if strings.Contains(texts["last_call 1001"], "Covering") {
		t.Errorf("Wang, back from leave, is told someone covers for him:\n%s", texts["last_call 1001"])
	}
}

// 发改委 misses May, is told up to yellow, and asks on Friday 27 May to
// report by Thursday 2 June; a coordinator approves. 经信局 asks too and is
// refused. The walk runs on to mid-June.
func TestApprovedExtensionMovesTheLadder(t *testing.T) {
	w := newWorld(t)
	w.bind(coordinatorChat, "Coordinator", models.RoleCoordinator, "")
	w.bind(1001, "Wang", models.RoleContact, fgw)
	w.bind(1002, "Li", models.RoleContact, czj)
	w.bind(1003, "Zhao", models.RoleContact, jxj)
	s := w.scheduler(nil, nil)
	w.walk(w.at("2022-05-16 00:00"), w.at("2022-05-27 10:00"), s)

	w.clk.Set(w.at("2022-05-27 10:00"))
	approved := w.requestExtension(fgw, "2022-06-02 17:00")
	refused := w.requestExtension(jxj, "2022-06-10 17:00")
	w.clk.Set(w.at("2022-05-27 11:00"))
	if _, err := w.st.DecideExtension(w.ctx, approved.ID, true, coordinatorChat, w.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := w.st.DecideExtension(w.ctx, refused.ID, false, coordinatorChat, w.clk.Now()); err != nil {
		t.Fatal(err)
	}
	w.walk(w.at("2022-05-27 11:00"), w.at("2022-06-15 00:00"), s)

	var want []sent
	for _, d := range []struct {
		name string
		chat int64
	}{{fgw, 1001}, {czj, 1002}, {jxj, 1003}} {
		want = append(want, sent{d.name, "blue", d.chat, "2022-05-18 09:00"},
			sent{d.name, "last_call", d.chat, "2022-05-25 09:00"}, sent{d.name, "yellow", d.chat, "2022-05-26 09:00"})
		if d.name != fgw {
			want = append(want, sent{d.name, "red", d.chat, "2022-05-31 09:00"})
		}
	}
	want = append(want,
		sent{"", "yellow", coordinatorChat, "2022-05-26 09:00"},
		sent{"", "red", coordinatorChat, "2022-05-31 09:00"}, sent{"", "red", groupChat, "2022-05-31 09:00"},
		// The ladder recomputed from Thursday 2 June: its blue (26 May) came
		// before the approval and never fires; nothing until the new date.
		sent{fgw, "last_call", 1001, "2022-06-02 09:00"},
		sent{fgw, "yellow", 1001, "2022-06-06 09:00"}, // 端午 3–5 June
		sent{"", "yellow", coordinatorChat, "2022-06-06 09:00"},
		sent{fgw, "red", 1001, "2022-06-09 09:00"},
		sent{"", "red", coordinatorChat, "2022-06-09 09:00"}, sent{"", "red", groupChat, "2022-06-09 09:00"},
	)
	diffSent(t, w.sentLog(noDigest), want)

	for _, n := range w.notices() {
		late := n.SentAt.After(w.at("2022-06-01 00:00"))
		if late && n.Rung != digestRung && n.Round != approved.ID {
			t.Errorf("notice %d (%s at %s) counts as round %d, want the extension's %d", n.ID, n.Rung, n.SentAt, n.Round, approved.ID)
		}
		if !late && n.Round != 0 {
			t.Errorf("notice %d (%s at %s) counts as round %d, want 0", n.ID, n.Rung, n.SentAt, n.Round)
		}
	}
	outbox := strings.Builder{}
	for _, o := range w.outbox() {
		fmt.Fprintf(&outbox, "%d: %s\n", o.ChatID, o.Text)
	}
	for _, says := range []string{
		fmt.Sprintf("1001: [last_call] %s: %[2]d of %[2]d metrics missing for 2022-05\nDeadline: 2022-06-02 17:00 (extended)", fgw, w.metrics(fgw)),
		// Every department but 发改委 is overdue on 31 May; 经信局 was refused.
		fmt.Sprintf("%d: [red] Overdue for 2022-05: 13 departments\n", groupChat),
		fmt.Sprintf("- %s: %[2]d of %[2]d missing, deadline 2022-05-25 17:00; notified Zhao", jxj, w.metrics(jxj)),
		fmt.Sprintf("%d: [yellow] Overdue for 2022-05: 1 departments\n- %s: %[3]d of %[3]d missing, deadline 2022-06-02 17:00 (extended)", coordinatorChat, fgw, w.metrics(fgw)),
		fmt.Sprintf("%d: [red] Overdue for 2022-05: 1 departments\n- %s", groupChat, fgw),
	} {
		if !strings.Contains(outbox.String(), says) {
			t.Errorf("no message says %q; outbox:\n%s", says, outbox.String())
		}
	}
}

func (w *world) requestExtension(dept, until string) models.Extension {
	w.t.Helper()
	e := models.Extension{DepartmentID: w.dept(dept).ID, Period: "2022-05", RequestedBy: 1, Until: w.at(until), Reason: "data late"}
	if err := w.st.RequestExtension(w.ctx, &e); err != nil {
		w.t.Fatal(err)
	}
	return e
}

// An extension three weeks out stops the ladder until the new date: the
// recomputed blue reminder (five working days before it) is not sent, the
// last call on the new date's morning is.
func TestLongExtensionStaysQuietUntilTheNewDate(t *testing.T) {
	w := newWorld(t)
	w.bind(1001, "Wang", models.RoleContact, fgw)
	s := w.scheduler(nil, nil)
	w.walk(w.at("2022-05-16 00:00"), w.at("2022-05-27 10:00"), s)
	w.clk.Set(w.at("2022-05-27 10:00"))
	e := w.requestExtension(fgw, "2022-06-20 17:00")
	if _, err := w.st.DecideExtension(w.ctx, e.ID, true, coordinatorChat, w.clk.Now()); err != nil {
		t.Fatal(err)
	}
	w.walk(w.at("2022-05-27 10:00"), w.at("2022-06-21 00:00"), s)
	want := []sent{
		{fgw, "blue", 1001, "2022-05-18 09:00"},
		{fgw, "last_call", 1001, "2022-05-25 09:00"},
		{fgw, "yellow", 1001, "2022-05-26 09:00"},
		{"", "red", groupChat, "2022-05-31 09:00"},   // the other 13 departments
		{fgw, "blue", 1001, "2022-06-17 09:00"},      // June's own period, due Fri 24 June
		{fgw, "last_call", 1001, "2022-06-20 09:00"}, // May's extended ladder: no blue on 13 June
	}
	diffSent(t, w.sentLog(noDigest), want)
}
