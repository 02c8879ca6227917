package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/models"
)

// Receipts says who acknowledged (✅ 收到) the notices of the period the
// 通报 reports on: Acked per department (the first acknowledgement), Noticed
// the departments that were sent any notice.
type Receipts struct {
	Period  string
	Acked   map[uint]models.Receipt
	Noticed map[uint]bool
}

// WithReceipts adds the 通报's 通知签收 column and tells 已收到未报送 from
// 未读未报 in its list of defaulters.
func WithReceipts(r Receipts) Option {
	return func(s *settings) { s.receipts = r }
}

// receiptText is a department's receipt for the 通报: 已收到（王芳 05-26
// 09:12）, 未读 (sent, nobody acknowledged) or 未发通知.
func receiptText(set settings, deptID uint) string {
	if set.receipts.Period == "" {
		return ""
	}
	if rc, ok := set.receipts.Acked[deptID]; ok {
		return fmt.Sprintf("已收到（%s %s）", set.reporterName(rc.AckedBy, false), rc.AckedAt.In(set.loc).Format("01-02 15:04"))
	}
	if set.receipts.Noticed[deptID] {
		return "未读"
	}
	return "未发通知"
}

func receiptCell(st styles, set settings, deptID uint) excelize.Cell {
	return excelize.Cell{StyleID: st.text, Value: receiptText(set, deptID)}
}

// missedLabel tells a department that was read its notice and did not
// report (已收到未报送) from one that never acknowledged it (未读未报).
func missedLabel(set settings, deptID uint) string {
	if _, ok := set.receipts.Acked[deptID]; ok {
		return "已收到未报送"
	}
	return "未读未报"
}
