package bot

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/chart"
	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/progress"
)

// exportCmd answers /export [csv]: the workbook for the meeting, the whole
// city for coordinators and their own department for contacts.
func (b *Bot) exportCmd(ctx context.Context, r *request, arg string) error {
	format := export.XLSX
	switch strings.ToLower(strings.TrimSpace(arg)) {
	case "", "xlsx", "excel":
	case "csv":
		format = export.CSV
	default:
		return userError{msgExportUsage}
	}
	if _, err := b.requirePlan(ctx, msgNothingToReport); err != nil {
		return err
	}
	req := export.Request{
		At: b.now(), Loc: b.set.Loc, Schedule: b.set.Schedule, Calendar: b.set.Calendar,
		Thresholds: b.set.Thresholds, Issuer: export.DefaultIssuer,
	}
	if !r.contact.IsCoordinator() {
		req.Department = r.contact.Department.Name
	}
	var buf bytes.Buffer
	if err := export.Write(ctx, b.st, req, format, &buf); err != nil {
		return err
	}
	name := export.FileName(req.At.In(b.set.Loc), format)
	caption := msgExportCaption
	if format == export.CSV {
		caption = msgExportCaptionCSV
	}
	_, err := b.api.SendDocument(ctx, &tg.SendDocumentParams{
		ChatID:   r.chatID,
		Document: &tgmodels.InputFileUpload{Filename: name, Data: &buf},
		Caption:  fmt.Sprintf(caption, b.currentPeriod()),
	})
	if err != nil {
		return fmt.Errorf("send export: %w", err)
	}
	return nil
}

// sendChart answers the overview's 图表 button with the PNG of every
// department's lights; the text overview stays as it is.
func (b *Bot) sendChart(ctx context.Context, r *request, snap progress.Snapshot) error {
	if !r.contact.IsCoordinator() {
		return fmt.Errorf("chart for a contact: %w", errForbidden)
	}
	png, err := chart.OverviewPNG(snap)
	if err != nil {
		return err
	}
	b.toast(ctx, r.query, "")
	_, err = b.api.SendPhoto(ctx, &tg.SendPhotoParams{
		ChatID:  r.chatID,
		Photo:   &tgmodels.InputFileUpload{Filename: "overview.png", Data: bytes.NewReader(png)},
		Caption: msgChartCaption,
	})
	if err != nil {
		return fmt.Errorf("send chart: %w", err)
	}
	return nil
}
