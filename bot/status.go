package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// Status views are read-only, so their buttons carry no dialog version:
// "s:o" overview, "s:d:<dept>", "s:t:<task>", "s:m:<metric>", each with
// "@<year>" when it shows a year other than the active one.
const statusPrefix = "s:"

// maxText keeps a message under Telegram's 4096 characters.
const maxText = 3900

// status answers /status [department] [year]: the city for coordinators,
// their own department for contacts; the active year unless one is named.
func (b *Bot) status(ctx context.Context, r *request, arg string) error {
	arg, want := yearArg(arg)
	y, err := b.planYear(ctx, want)
	if err != nil {
		return err
	}
	notice := ""
	if r.contact.IsCoordinator() {
		notice = HolidayNotice(b.set.Calendar.Covers, b.now(), b.set.Loc)
	}
	if !y.Loaded {
		b.answer(ctx, r, notice+NoPlanText(y, lookChat, r.contact.IsCoordinator()))
		return nil
	}
	snap, err := b.snapshotOf(ctx, y)
	if err != nil {
		return err
	}
	if !r.contact.IsCoordinator() {
		if asked := strings.TrimSpace(arg); asked != "" && asked != r.contact.Department.Name {
			// Say so rather than silently show another department.
			notice += fmt.Sprintf(msgOwnDeptOnly, quote(asked, maxQuotedArg), r.contact.Department.Name)
		}
		arg = r.contact.Department.Name
	}
	var sc screen
	if arg == "" {
		sc, err = b.overviewScreen(ctx, snap)
	} else {
		d, ok := snap.Department(arg)
		if !ok {
			return b.notInYear(ctx, arg, y.Year)
		}
		sc, err = b.deptStatusScreen(ctx, r, snap, d)
	}
	if err != nil {
		return err
	}
	sc.text = notice + sc.text
	return b.sendScreen(ctx, r.chatID, sc)
}

// statusData is a status button's data for snap: the year is added when it
// is not the active one, so a drill-down stays in the year it started in.
func (b *Bot) statusData(snap progress.Snapshot, data string) string {
	if snap.Year == b.now().In(b.set.Loc).Year() {
		return statusPrefix + data
	}
	return statusPrefix + data + "@" + strconv.Itoa(snap.Year)
}

func (b *Bot) sendScreen(ctx context.Context, chatID int64, sc screen) error {
	p := &tg.SendMessageParams{ChatID: chatID, Text: sc.text}
	if len(sc.rows) > 0 {
		p.ReplyMarkup = sc.markup()
	}
	if _, err := b.api.SendMessage(ctx, p); err != nil {
		return fmt.Errorf("send status: %w", err)
	}
	return nil
}

func (b *Bot) overviewScreen(ctx context.Context, snap progress.Snapshot) (screen, error) {
	marks, err := b.deptMarks(ctx, snap)
	if err != nil {
		return screen{}, err
	}
	depts := worstFirst(snap.Departments)
	sc := screen{text: clip(OverviewTextMarked(snap, depts, marks))}
	var row []button
	for i, d := range depts {
		if i == 30 { // a keyboard of hundreds of buttons is unusable; /status 名称 reaches the rest
			break
		}
		row = append(row, button{d.Counts.Worst().Emoji() + d.Name, b.statusData(snap, "d:"+strconv.Itoa(int(d.ID)))})
		if len(row) == 3 {
			sc.rows, row = append(sc.rows, row), nil
		}
	}
	if len(row) > 0 {
		sc.rows = append(sc.rows, row)
	}
	sc.rows = append(sc.rows, []button{{btnChart, b.statusData(snap, "c")}})
	return sc, nil
}

func worstFirst(ds []progress.DepartmentStatus) []progress.DepartmentStatus {
	out := append([]progress.DepartmentStatus(nil), ds...)
	progress.SortWorstFirst(out, func(d progress.DepartmentStatus) progress.Counts { return d.Counts })
	return out
}

func (b *Bot) deptStatusScreen(ctx context.Context, r *request, snap progress.Snapshot, d progress.DepartmentStatus) (screen, error) {
	text := DepartmentText(snap, d)
	if r.contact.IsCoordinator() {
		record, err := b.deptRecord(ctx, snap, d)
		if err != nil {
			return screen{}, err
		}
		head, rest, _ := strings.Cut(text, "\n")
		text = head + "\n" + record + rest
	}
	sc := screen{text: clip(text)}
	for _, t := range d.Tasks {
		label := fmt.Sprintf("%s %d. %s", t.Counts.Worst().Emoji(), t.Seq, shorten(t.Title, 16))
		sc.rows = append(sc.rows, []button{{label, b.statusData(snap, "t:"+strconv.Itoa(int(t.ID)))}})
	}
	if r.contact.IsCoordinator() {
		sc.rows = append(sc.rows, []button{{btnCity, b.statusData(snap, "o")}})
	}
	return sc, nil
}

// onStatusButton handles a drill-down press by editing the message in place.
func (b *Bot) onStatusButton(ctx context.Context, r *request) error {
	data, yearText, _ := strings.Cut(strings.TrimPrefix(r.query.Data, statusPrefix), "@")
	kind, arg, _ := strings.Cut(data, ":")
	if kind == contactsKind {
		return b.onContactsButton(ctx, r, arg)
	}
	if kind == evidenceKind {
		return b.onEvidenceButton(ctx, r, arg)
	}
	want, _ := strconv.Atoi(yearText)
	y, err := b.planYear(ctx, want)
	if err != nil {
		return err
	}
	snap, err := b.snapshotOf(ctx, y)
	if err != nil {
		return err
	}
	id64, _ := strconv.ParseUint(arg, 10, 32)
	id := uint(id64)
	var sc screen
	switch kind {
	case "c":
		return b.sendChart(ctx, r, snap)
	case "o":
		if !r.contact.IsCoordinator() {
			return fmt.Errorf("overview for a contact: %w", errForbidden)
		}
		sc, err = b.overviewScreen(ctx, snap)
	case "d":
		sc, err = b.deptDrill(ctx, r, snap, id)
	case "t":
		sc, err = b.taskDrill(r, snap, id)
	case "m":
		sc, err = b.metricDrill(ctx, r, snap, id)
	default:
		err = fmt.Errorf("status button %q: %w", r.query.Data, errForbidden)
	}
	if err != nil {
		return err
	}
	b.toast(ctx, r.query, "")
	m := r.query.Message.Message
	if m == nil {
		return b.sendScreen(ctx, r.chatID, sc)
	}
	return b.edit(ctx, r.chatID, m.ID, sc)
}

func (b *Bot) deptDrill(ctx context.Context, r *request, snap progress.Snapshot, id uint) (screen, error) {
	if err := b.authorize(r, id); err != nil {
		return screen{}, err
	}
	for _, d := range snap.Departments {
		if d.ID == id {
			return b.deptStatusScreen(ctx, r, snap, d)
		}
	}
	return screen{}, fmt.Errorf("department %d: %w", id, errForbidden)
}

// findStatusTask finds a task and its department in the snapshot.
func findStatusTask(snap progress.Snapshot, id uint) (progress.DepartmentStatus, progress.TaskStatus, bool) {
	for _, d := range snap.Departments {
		for _, t := range d.Tasks {
			if t.ID == id {
				return d, t, true
			}
		}
	}
	return progress.DepartmentStatus{}, progress.TaskStatus{}, false
}

func (b *Bot) taskDrill(r *request, snap progress.Snapshot, id uint) (screen, error) {
	d, t, ok := findStatusTask(snap, id)
	if !ok {
		return screen{}, fmt.Errorf("task %d: %w", id, errForbidden)
	}
	if err := b.authorize(r, d.ID); err != nil {
		return screen{}, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "「%s」%d. %s\n%s\n\n", d.Name, t.Seq, t.Title, t.Text)
	sc := screen{}
	for _, m := range t.Metrics {
		fmt.Fprintf(&sb, "%s %s\n  %s / %s %s\n  %s\n", m.Eval.Light.Emoji(), m.Metric.Name, metricLatest(m),
			targetShown(m.Metric), bar(m.Eval.Progress), paceLine(m))
		sc.rows = append(sc.rows, []button{{"📈 " + shorten(m.Metric.Name, 20), b.statusData(snap, "m:"+strconv.Itoa(int(m.Metric.ID)))}})
	}
	sc.text = clip(sb.String())
	sc.rows = append(sc.rows, []button{{btnBackTo + d.Name, b.statusData(snap, "d:"+strconv.Itoa(int(d.ID)))}})
	return sc, nil
}

// paceLine says how far from pace a metric is and where it ends the year.
func paceLine(m progress.MetricStatus) string {
	if m.Latest == nil {
		return txtNeverReported
	}
	ev := m.Eval
	line := standingText(m)
	if m.Metric.Kind == string(progress.KindCumulative) {
		line += txtProjection + computedText(m.Metric, ev.Projection)
		if ev.MonthlyNeeded > 0 {
			line += txtMonthlyNeeded + neededText(m.Metric, ev.MonthlyNeeded)
		}
	}
	return line
}

func fmtNum(f float64) string { return strconv.FormatFloat(round1(f), 'f', -1, 64) }

func (b *Bot) metricDrill(ctx context.Context, r *request, snap progress.Snapshot, id uint) (screen, error) {
	for _, d := range snap.Departments {
		for _, t := range d.Tasks {
			for _, m := range t.Metrics {
				if m.Metric.ID == id {
					if err := b.authorize(r, d.ID); err != nil {
						return screen{}, err
					}
					return b.historyScreen(ctx, snap, d, t, m)
				}
			}
		}
	}
	return screen{}, fmt.Errorf("metric %d: %w", id, errForbidden)
}

func (b *Bot) historyScreen(ctx context.Context, snap progress.Snapshot, d progress.DepartmentStatus, t progress.TaskStatus, m progress.MetricStatus) (screen, error) {
	hist, err := b.st.MetricHistory(ctx, m.Metric.ID)
	if err != nil {
		return screen{}, err
	}
	notes, err := b.st.TaskNotes(ctx, t.ID)
	if err != nil {
		return screen{}, err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, txtHistoryHead, d.Name, m.Metric.Name, targetShown(m.Metric))
	if err := b.targetHistory(ctx, &sb, m.Metric); err != nil {
		return screen{}, err
	}
	if len(hist) == 0 {
		sb.WriteString(txtNoHistory)
	}
	for _, h := range hist {
		b.historyLine(ctx, &sb, m.Metric, h)
	}
	for _, n := range notes {
		if n.FileID == "" {
			fmt.Fprintf(&sb, "📝 %s %s：%s\n", n.Period, txtNote, quote(n.Note, maxQuotedNote))
		}
	}
	evidence, err := b.st.TaskEvidence(ctx, t.ID)
	if err != nil {
		return screen{}, err
	}
	var rows [][]button
	for _, e := range evidence {
		sb.WriteString(b.evidenceLine(e) + "\n")
		if len(rows) < 10 { // a keyboard stays usable; every piece is listed above
			rows = append(rows, []button{{fmt.Sprintf(btnViewEvidence, e.ID), evidenceData(evidenceView, e.ID)}})
		}
	}
	back := []button{{btnBackTo + shorten(t.Title, 12), b.statusData(snap, "t:"+strconv.Itoa(int(t.ID)))}}
	return screen{text: clip(sb.String()), rows: append(rows, back)}, nil
}

func (b *Bot) historyLine(ctx context.Context, sb *strings.Builder, m models.Metric, h models.Report) {
	who := strconv.FormatInt(h.ReporterID, 10)
	if c, err := b.st.ContactByTelegramID(ctx, h.ReporterID); err == nil && c.Name != "" {
		who = quote(c.Name, maxQuotedName)
	} else if err != nil && !errors.Is(err, models.ErrNotFound) {
		b.log.Warn("reporter name", "err", err)
	}
	flags := ""
	if h.OnBehalf {
		flags += txtOnBehalf
	}
	if h.Late {
		flags += txtLate
	}
	line := fmt.Sprintf("%s  %s  %s %s%s", h.Period, valueText(m, h.Value), who,
		h.ReportedAt.In(b.set.Loc).Format("01-02 15:04"), flags)
	if h.SupersededAt != nil {
		line = fmt.Sprintf(txtCorrected, line)
	}
	sb.WriteString(line + "\n")
}

// clip cuts a text to fit one Telegram message.
func clip(s string) string {
	r := []rune(s)
	if len(r) <= maxText {
		return s
	}
	return string(r[:maxText]) + txtClipped
}
