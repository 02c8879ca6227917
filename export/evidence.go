package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// SheetEvidence lists the year's evidence (佐证材料) and its review.
const SheetEvidence = "佐证材料"

var evidenceHeader = []string{"编号", "单位", "任务", "期别", "提交人", "提交时间", "类型", "文件名", "审核状态", "审核人", "审核时间", "退回理由", "说明"}

var evidenceWidths = []float64{7, 18, 30, 10, 12, 17, 7, 24, 10, 12, 17, 30, 30}

// WithEvidence adds the 佐证材料 sheet: every piece of evidence of the year
// with who sent it, when, the file's name and its review.
func WithEvidence(items []models.EvidenceItem) Option {
	return func(s *settings) { s.evidence = items }
}

// EvidenceStatusLabel names a review state as the office does.
func EvidenceStatusLabel(state string) string {
	switch state {
	case models.ReviewApproved:
		return "已通过"
	case models.ReviewReturned:
		return "已退回"
	}
	return "待审核"
}

func fileKindLabel(kind string) string {
	if kind == "photo" {
		return "图片"
	}
	return "文件"
}

func writeEvidence(sw *excelize.StreamWriter, st styles, set settings) error {
	if err := setWidths(sw, evidenceWidths); err != nil {
		return err
	}
	if err := freezeRows(sw, 1); err != nil {
		return err
	}
	if err := headerRow(sw, st, 1, evidenceHeader); err != nil {
		return err
	}
	for i, e := range set.evidence {
		reviewer, reviewedAt := any(""), any("")
		if e.ReviewedAt != nil {
			reviewer = set.reporterName(e.ReviewedBy, false)
			reviewedAt = excelize.Cell{StyleID: st.date, Value: e.ReviewedAt.In(set.loc)}
		}
		status := excelize.Cell{StyleID: st.light[reviewLight(e.Review)], Value: EvidenceStatusLabel(e.Review)}
		if err := row(sw, i+2,
			excelize.Cell{StyleID: st.integer, Value: e.ID}, e.Department,
			fmt.Sprintf("%d. %s", e.TaskSeq, e.TaskTitle), e.Period, set.reporterName(e.ReporterID, false),
			excelize.Cell{StyleID: st.date, Value: e.CreatedAt.In(set.loc)}, fileKindLabel(e.FileKind), e.FileName,
			status, reviewer, reviewedAt, e.ReturnReason, e.Note); err != nil {
			return err
		}
	}
	return nil
}

// reviewLight colours a review state: approved green, returned red,
// pending yellow.
func reviewLight(state string) progress.Light {
	switch state {
	case models.ReviewApproved:
		return progress.Green
	case models.ReviewReturned:
		return progress.Red
	}
	return progress.Yellow
}
