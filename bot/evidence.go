package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/models"
)

// Evidence buttons ride on the status prefix: "s:e:v:<id>" sends the file
// again, "s:e:a:<id>" approves (通过), "s:e:r:<id>" asks for the reason of a
// return (退回).
const (
	evidenceKind    = "e"
	evidenceView    = "v"
	evidenceApprove = "a"
	evidenceReturn  = "r"
)

// stepEvidenceReason waits for the reason of a 退回.
const stepEvidenceReason step = "evidence_reason"

// reviewListMax bounds the /review list: a keyboard of hundreds of buttons
// is unusable, and the oldest come first.
const reviewListMax = 20

func evidenceData(op string, id uint) string {
	return statusPrefix + evidenceKind + ":" + op + ":" + strconv.Itoa(int(id))
}

// fileKindLabel names a kind of file as users read it; the stored kinds
// are English words that never reach a user.
func fileKindLabel(kind string) string {
	if kind == "photo" {
		return txtKindPicture
	}
	return txtKindFile
}

func reviewLabel(state string) string {
	switch state {
	case models.ReviewApproved:
		return txtReviewApproved
	case models.ReviewReturned:
		return txtReviewReturned
	}
	return txtReviewPending
}

// evidenceLine is one piece of evidence in a metric's history or /review.
func (b *Bot) evidenceLine(e models.EvidenceItem) string {
	what := fileKindLabel(e.FileKind)
	if e.FileName != "" {
		what += " " + quote(e.FileName, maxQuotedArg)
	}
	line := fmt.Sprintf(txtEvidenceLine, e.ID, e.Period, what, reviewLabel(e.Review))
	if e.Review == models.ReviewReturned && e.ReturnReason != "" {
		line += fmt.Sprintf(txtReturnReason, quote(e.ReturnReason, maxQuotedNote))
	}
	if e.Note != "" {
		line += "：" + quote(e.Note, maxQuotedNote)
	}
	return line
}

// review lists the evidence waiting for review, oldest first, each with a
// button that sends the file with 通过 / 退回 under it.
func (b *Bot) review(ctx context.Context, r *request, _ string) error {
	if !r.contact.IsCoordinator() {
		return userError{msgCoordOnly}
	}
	if !r.private {
		return userError{msgPrivateOnly}
	}
	items, total, err := b.st.PendingEvidence(ctx, reviewListMax)
	if err != nil {
		return err
	}
	if total == 0 {
		b.answer(ctx, r, msgReviewNone)
		return nil
	}
	names, err := b.st.ContactNames(ctx)
	if err != nil {
		return err
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, msgReviewHead, total)
	sc := screen{}
	for _, e := range items {
		fmt.Fprintf(&sb, txtReviewItem, e.ID, e.Department, e.TaskSeq, shorten(e.TaskTitle, 16), e.Period,
			fileKindLabel(e.FileKind), personName(names, e.ReporterID), e.CreatedAt.In(b.set.Loc).Format("01-02 15:04"))
		sc.rows = append(sc.rows, []button{{fmt.Sprintf(btnViewEvidence, e.ID), evidenceData(evidenceView, e.ID)}})
	}
	if int(total) > len(items) {
		fmt.Fprintf(&sb, msgReviewMore, int(total)-len(items))
	}
	sc.text = clip(sb.String())
	return b.sendScreen(ctx, r.chatID, sc)
}

func personName(names map[int64]string, id int64) string {
	if n := names[id]; n != "" {
		return quote(n, maxQuotedName)
	}
	return "ID " + strconv.FormatInt(id, 10)
}

// onEvidenceButton handles the evidence buttons of the drill-down and
// /review.
func (b *Bot) onEvidenceButton(ctx context.Context, r *request, arg string) error {
	op, idText, _ := strings.Cut(arg, ":")
	id, err := strconv.ParseUint(idText, 10, 32)
	if err != nil {
		return fmt.Errorf("evidence button %q: %w", r.query.Data, errForbidden)
	}
	e, err := b.st.Evidence(ctx, uint(id))
	if errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("evidence %d: %w", id, errForbidden)
	}
	if err != nil {
		return err
	}
	if err := b.authorize(r, e.DepartmentID); err != nil {
		return err
	}
	switch op {
	case evidenceView:
		b.toast(ctx, r.query, "")
		return b.sendEvidence(ctx, r, e)
	case evidenceApprove, evidenceReturn:
		if !r.contact.IsCoordinator() || !r.private {
			return fmt.Errorf("review of evidence %d by %d: %w", id, r.user.ID, errForbidden)
		}
		if op == evidenceApprove {
			return b.decideEvidence(ctx, r, e, true, "")
		}
		return b.askReturnReason(ctx, r, e)
	}
	return fmt.Errorf("evidence button %q: %w", r.query.Data, errForbidden)
}

// sendEvidence sends the file again by its Telegram file id, captioned with
// where it belongs, with 通过 / 退回 for a coordinator while it is pending.
func (b *Bot) sendEvidence(ctx context.Context, r *request, e models.EvidenceItem) error {
	caption := fmt.Sprintf(txtEvidenceCaption, e.Department, e.TaskSeq, shorten(e.TaskTitle, 24), e.Period, reviewLabel(e.Review))
	if e.Note != "" {
		caption += "\n" + quote(e.Note, maxQuotedNote)
	}
	var markup tgmodels.ReplyMarkup
	if r.contact.IsCoordinator() && e.Review == models.ReviewPending {
		markup = screen{rows: [][]button{{
			{btnApproveEvidence, evidenceData(evidenceApprove, e.ID)},
			{btnReturnEvidence, evidenceData(evidenceReturn, e.ID)},
		}}}.markup()
	}
	file := &tgmodels.InputFileString{Data: e.FileID}
	var err error
	if e.FileKind == "photo" {
		_, err = b.api.SendPhoto(ctx, &tg.SendPhotoParams{ChatID: r.chatID, Photo: file, Caption: caption, ReplyMarkup: markup})
	} else {
		_, err = b.api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: r.chatID, Document: file, Caption: caption, ReplyMarkup: markup})
	}
	if err != nil {
		return fmt.Errorf("send evidence %d again: %w", e.ID, err)
	}
	return nil
}

// askReturnReason opens the one-step dialog that takes the reason of a 退回.
func (b *Bot) askReturnReason(ctx context.Context, r *request, e models.EvidenceItem) error {
	if e.Review != models.ReviewPending {
		b.toast(ctx, r.query, fmt.Sprintf(msgReviewAlready, reviewLabel(e.Review)))
		return nil
	}
	s, err := b.freshSession(ctx, r.chatID)
	if err != nil {
		return err
	}
	s.dialog = dialog{Step: stepEvidenceReason, Dept: e.DepartmentID, Period: e.Period, Evidence: e.ID}
	b.toast(ctx, r.query, "")
	return b.show(ctx, r, s, true)
}

func (b *Bot) returnReasonScreen(s *session) screen {
	return screen{text: fmt.Sprintf(msgReviewAskReason, s.Evidence)}
}

// returnReasonInput reads the reason and returns the evidence.
func (b *Bot) returnReasonInput(ctx context.Context, r *request, s *session) error {
	reason := strings.TrimSpace(r.msg.Text)
	if len([]rune(reason)) < 2 {
		return userErrorf(msgReviewAskReason, s.Evidence)
	}
	e, err := b.st.Evidence(ctx, s.Evidence)
	if err != nil {
		return err
	}
	if err := b.endDialog(ctx, r); err != nil {
		return err
	}
	return b.decideEvidence(ctx, r, e, false, shorten(reason, 200))
}

// decideEvidence stores the verdict and tells the person who sent the file
// (and the department's contact): a return says why and how to send again.
func (b *Bot) decideEvidence(ctx context.Context, r *request, e models.EvidenceItem, approve bool, reason string) error {
	e, err := b.st.ReviewEvidence(ctx, e.ID, approve, r.user.ID, reason, b.now())
	if errors.Is(err, models.ErrReviewed) {
		b.answer(ctx, r, fmt.Sprintf(msgReviewAlready, reviewLabel(e.Review)))
		return nil
	}
	if err != nil {
		return err
	}
	b.log.Info("evidence reviewed", "evidence", e.ID, "department", e.Department, "verdict", e.Review, "by", r.user.ID)
	text := fmt.Sprintf(msgEvidenceApproved, e.Department, e.TaskSeq, shorten(e.TaskTitle, 24), e.Period)
	done := fmt.Sprintf(msgReviewDoneApproved, e.ID)
	if !approve {
		text = fmt.Sprintf(msgEvidenceReturned, e.Department, e.TaskSeq, shorten(e.TaskTitle, 24), e.Period, quote(reason, maxQuotedNote))
		done = fmt.Sprintf(msgReviewDoneReturned, e.ID)
	}
	if err := b.queueVerdict(ctx, e, text); err != nil {
		return err
	}
	b.answer(ctx, r, done)
	return nil
}

// queueVerdict sends the verdict to whoever sent the file and to the
// department's main contact, once each.
func (b *Bot) queueVerdict(ctx context.Context, e models.EvidenceItem, text string) error {
	to := []int64{e.ReporterID}
	contacts, err := b.st.DepartmentContacts(ctx, e.DepartmentID)
	if err != nil {
		return err
	}
	if len(contacts) > 0 && contacts[0].TelegramID != e.ReporterID {
		to = append(to, contacts[0].TelegramID)
	}
	msgs := make([]models.OutboxMessage, 0, len(to))
	for _, id := range to {
		msgs = append(msgs, models.OutboxMessage{ChatID: id, Text: text,
			DedupKey: fmt.Sprintf("evidence:%d:%s:%d", e.ID, e.Review, id)})
	}
	if _, err := b.st.Enqueue(ctx, msgs...); err != nil {
		return err
	}
	b.wake()
	return nil
}
