package export_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/duban-bot/duban/export"
	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// The 通报 shows who acknowledged the period's notices, and names a
// department that read its notice and did not report (已收到未报送) apart
// from one that never acknowledged it (未读未报).
func TestBulletinReceipts(t *testing.T) {
	snap, d := generatedYear(t)
	var silent []uint
	var names = map[uint]string{}
	for _, p := range d.Defaulters("2022-05") {
		names[p.ID] = p.Name
		if p.Standing.Standing == progress.Missed {
			silent = append(silent, p.ID)
		}
	}
	if len(silent) < 2 {
		t.Fatalf("seed %d has %d departments that missed May, want 2", seed, len(silent))
	}
	read, unread := silent[0], silent[1]
	ackedAt := time.Date(2022, time.May, 26, 9, 12, 0, 0, shanghai)
	rs := export.Receipts{Period: "2022-05",
		Acked:   map[uint]models.Receipt{read: {DepartmentID: read, Period: "2022-05", Rung: "yellow", AckedBy: 42, AckedAt: ackedAt}},
		Noticed: map[uint]bool{read: true, unread: true}}
	f := openWorkbook(t, snap, export.WithDiscipline(d), export.WithReceipts(rs),
		export.WithReporters(map[int64]string{42: "=王芳"}), export.WithLocation(shanghai))
	const sheet = "月度通报"
	if got := cell(t, f, sheet, "J3"); got != "通知签收" {
		t.Errorf("J3 = %q, want 通知签收", got)
	}
	r := rowWhere(t, f, sheet, 1, names[read], 1, names[read])
	if got := cell(t, f, sheet, fmt.Sprintf("J%d", r)); got != "已收到（=王芳 05-26 09:12）" {
		t.Errorf("receipt of %s = %q", names[read], got)
	}
	r = rowWhere(t, f, sheet, 1, names[unread], 1, names[unread])
	if got := cell(t, f, sheet, fmt.Sprintf("J%d", r)); got != "未读" {
		t.Errorf("receipt of %s = %q, want 未读", names[unread], got)
	}
	footer := cell(t, f, sheet, fmt.Sprintf("A%d", len(snap.Departments)+5))
	for _, want := range []string{names[read] + "（已收到未报送）", names[unread] + "（未读未报）"} {
		if !strings.Contains(footer, want) {
			t.Errorf("footer %q lacks %s", footer, want)
		}
	}
}
