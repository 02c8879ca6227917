package bot

import (
	"context"
	"time"

	"github.com/duban-bot/duban/models"
)

// Store is what the bot's handlers need from the database.
type Store interface {
	ContactByTelegramID(ctx context.Context, id int64) (models.Contact, error)
	Arrive(ctx context.Context, telegramID, chatID, updateID int64) (models.Arrival, error)
	SyncAdmins(ctx context.Context, ids []int64) (models.AdminSync, error)
	ContactByID(ctx context.Context, id uint) (models.Contact, error)
	RemoveContactByID(ctx context.Context, id uint) (models.RoleChange, error)
	Coordinators(ctx context.Context) ([]models.Contact, error)
	DepartmentByName(ctx context.Context, name string) (models.Department, error)
	Department(ctx context.Context, id uint) (models.Department, error)
	DepartmentPlan(ctx context.Context, year int, id uint) (models.Department, error)
	Plan(ctx context.Context, year int) ([]models.Department, error)
	PlanYears(ctx context.Context) ([]int, error)
	LatestReports(ctx context.Context, maxPeriod string, metricIDs ...uint) (map[uint]models.Report, error)
	PeriodReports(ctx context.Context, period string, metricIDs ...uint) (map[uint]models.Report, error)
	MetricHistory(ctx context.Context, metricID uint) ([]models.Report, error)
	Metric(ctx context.Context, id uint) (models.Metric, models.Task, error)
	SaveReport(ctx context.Context, r *models.Report) error
	AddTaskNote(ctx context.Context, n *models.TaskNote) error
	CreateInvite(ctx context.Context, deptID uint, by int64) (models.Invite, error)
	RedeemInviteChange(ctx context.Context, token string, user int64, name string) (models.RoleChange, error)
	Dialog(ctx context.Context, chatID int64) (models.DialogState, error)
	MarkUpdate(ctx context.Context, updateID int64) (bool, error)
	SaveDialogMarked(ctx context.Context, d *models.DialogState, updateID int64) error
	EndDialogMarked(ctx context.Context, chatID int64, handled string, updateID int64) (bool, error)
	PruneUpdates(ctx context.Context) (int64, error)
	DialogsOwing(ctx context.Context) ([]models.DialogState, error)
	PayReply(ctx context.Context, chatID int64, version int) error
	DepartmentLatest(ctx context.Context, stamp models.ReportStamp, maxPeriod string, ids []uint) (map[uint]models.Report, error)
	RememberLatest(stamp models.ReportStamp, maxPeriod string, ids []uint, latest map[uint]models.Report)
	TaskNotes(ctx context.Context, taskID uint) ([]models.TaskNote, error)
	DepartmentContacts(ctx context.Context, deptID uint) ([]models.Contact, error)
	ContactsByDepartment(ctx context.Context) (map[uint][]models.Contact, error)
	ApprovedExtensions(ctx context.Context, periods []string) (map[string]map[uint]models.Extension, error)
	RecordNudge(ctx context.Context, deptID uint, period string, by int64, minGap time.Duration) (models.Nudge, bool, error)
	Enqueue(ctx context.Context, msgs ...models.OutboxMessage) (int, error)
	PeriodCompletion(ctx context.Context, periods []string, asOf time.Time) ([]models.DeptPeriodRow, error)
	ContactNames(ctx context.Context) (map[int64]string, error)
	PendingEvidence(ctx context.Context, limit int) ([]models.EvidenceItem, int64, error)
	Evidence(ctx context.Context, id uint) (models.EvidenceItem, error)
	ReviewEvidence(ctx context.Context, id uint, approve bool, by int64, reason string, at time.Time) (models.EvidenceItem, error)
	TaskEvidence(ctx context.Context, taskID uint) ([]models.EvidenceItem, error)
	YearEvidence(ctx context.Context, year int) ([]models.EvidenceItem, error)
	Receipts(ctx context.Context, period string) (map[uint]models.Receipt, error)
	NoticedDepartments(ctx context.Context, period string) (map[uint]bool, error)
	DepartmentPeriodCompletion(ctx context.Context, deptID uint, periods []string, asOf time.Time) ([]models.DeptPeriodRow, error)
	Notice(ctx context.Context, id uint) (models.Notice, error)
	AckNotice(ctx context.Context, id uint, telegramID int64, at time.Time) (models.Notice, error)
	SetLeave(ctx context.Context, telegramID int64, from, to *time.Time) error
	ChangeTarget(ctx context.Context, c *models.TargetChange) error
	TargetChanges(ctx context.Context, metricID uint) ([]models.TargetChange, error)
	// Tx runs fn in one transaction, for writes that must land together
	// with the messages they cause.
	Tx(ctx context.Context, fn func(tx *models.Store) error) error
}
