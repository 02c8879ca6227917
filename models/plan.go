package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Department is a municipal department with its own tasks and contacts.
type Department struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"uniqueIndex;not null"`
	Seq       int    `gorm:"not null"` // order in the plan document
	Tasks     []Task `gorm:"foreignKey:DepartmentID"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Task is one of a department's numbered key tasks for a plan year.
type Task struct {
	ID uint `gorm:"primaryKey"`
	// Year is the plan year the task belongs to; the same department and
	// number may appear in every year.
	Year         int      `gorm:"uniqueIndex:idx_task_year_dept_seq;not null;default:0"`
	DepartmentID uint     `gorm:"uniqueIndex:idx_task_year_dept_seq;not null"`
	Seq          int      `gorm:"uniqueIndex:idx_task_year_dept_seq;not null"`
	Title        string   `gorm:"not null"`
	Text         string   `gorm:"not null"`
	Metrics      []Metric `gorm:"foreignKey:TaskID"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Metric is a number (or a milestone) a task is measured by.
type Metric struct {
	ID        uint    `gorm:"primaryKey"`
	TaskID    uint    `gorm:"uniqueIndex:idx_metric_task_name;not null"`
	Name      string  `gorm:"uniqueIndex:idx_metric_task_name;not null"`
	Seq       int     `gorm:"not null"`
	Kind      string  `gorm:"not null"` // cumulative | rate | rank | milestone
	Direction string  `gorm:"not null"` // at_least | at_most
	Target    float64 `gorm:"not null"`
	Unit      string  `gorm:"not null;default:''"`
	// PriorTarget is the target before the latest mid-year change (see
	// ChangeTarget; target_changes holds every change); nil when unchanged.
	PriorTarget *float64
	// Active is false for a metric that a later plan file dropped; its
	// reports stay, but it is no longer shown or reminded.
	Active bool `gorm:"not null;default:true"`
	// EvidenceRequired (plan file: evidence: required) means a value counts
	// as met only once a coordinator approved evidence for its period.
	EvidenceRequired bool `gorm:"not null;default:false"`
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// planYear is one loaded plan year: a row per year.
type planYear struct {
	ID   uint `gorm:"primaryKey"`
	Year int  `gorm:"uniqueIndex"`
	// Revision counts the plan's changes, so a cached plan knows it is stale.
	Revision int64 `gorm:"not null;default:0"`
}

// savePlanYear records the plan year and counts one more revision of it.
func (s *Store) savePlanYear(year int) error {
	return s.db.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "year"}},
		DoUpdates: clause.Assignments(map[string]any{
			"revision": gorm.Expr("plan_years.revision + 1"),
		}),
	}).Create(&planYear{Year: year, Revision: 1}).Error
}

// SyncPlan upserts that year's departments, tasks and metrics by their
// natural keys (department name, year and task number, metric name) in one
// transaction; other years are not touched. Departments are shared by every
// year. A changed target is updated in place, so reports already filed keep
// pointing at it; a metric missing from the year's new plan (with its task
// or alone) is retired, never deleted.
func (s *Store) SyncPlan(ctx context.Context, year int, depts []Department) error {
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.savePlanYear(year); err != nil {
			return fmt.Errorf("save plan year: %w", err)
		}
		var kept []uint
		for i := range depts {
			if err := tx.syncDepartment(year, &depts[i]); err != nil {
				return err
			}
			for _, t := range depts[i].Tasks {
				kept = append(kept, t.ID)
			}
		}
		return tx.retireDroppedTasks(year, kept)
	})
}

// retireDroppedTasks retires the metrics of the year's tasks that the new
// plan no longer lists. The difference is taken here, not in SQL, so that
// no statement carries more bind parameters than a batch, whatever the
// plan's size.
func (s *Store) retireDroppedTasks(year int, kept []uint) error {
	var all []uint
	if err := s.db.Model(&Task{}).Where("year = ?", year).Pluck("id", &all).Error; err != nil {
		return fmt.Errorf("retire dropped tasks of %d: %w", year, err)
	}
	keep := make(map[uint]bool, len(kept))
	for _, id := range kept {
		keep[id] = true
	}
	dropped := slices.DeleteFunc(all, func(id uint) bool { return keep[id] })
	for chunk := range slices.Chunk(dropped, bulkBatch) {
		if err := s.db.Model(&Metric{}).Where("task_id IN ?", chunk).Update("active", false).Error; err != nil {
			return fmt.Errorf("retire dropped tasks of %d: %w", year, err)
		}
	}
	return nil
}

func (s *Store) syncDepartment(year int, d *Department) error {
	row := Department{Name: d.Name, Seq: d.Seq}
	err := s.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"seq", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save department %s: %w", d.Name, translate(err))
	}
	if err := s.db.Where("name = ?", d.Name).First(&row).Error; err != nil {
		return fmt.Errorf("reload department %s: %w", d.Name, translate(err))
	}
	d.ID = row.ID
	for i := range d.Tasks {
		d.Tasks[i].DepartmentID, d.Tasks[i].Year = row.ID, year
		if err := s.syncTask(d.Name, &d.Tasks[i]); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) syncTask(dept string, t *Task) error {
	row := Task{Year: t.Year, DepartmentID: t.DepartmentID, Seq: t.Seq, Title: t.Title, Text: t.Text}
	err := s.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "year"}, {Name: "department_id"}, {Name: "seq"}},
		DoUpdates: clause.AssignmentColumns([]string{"title", "text", "updated_at"}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("save %s task %d: %w", dept, t.Seq, translate(err))
	}
	if err := s.db.Where("year = ? AND department_id = ? AND seq = ?", t.Year, t.DepartmentID, t.Seq).First(&row).Error; err != nil {
		return fmt.Errorf("reload %s task %d: %w", dept, t.Seq, translate(err))
	}
	t.ID = row.ID
	names := make([]string, 0, len(t.Metrics))
	for i := range t.Metrics {
		m := &t.Metrics[i]
		m.TaskID, m.Active = row.ID, true
		if err := s.syncMetric(m); err != nil {
			return fmt.Errorf("save %s task %d metric %s: %w", dept, t.Seq, m.Name, err)
		}
		names = append(names, m.Name)
	}
	q := s.db.Model(&Metric{}).Where("task_id = ?", row.ID)
	if len(names) > 0 {
		q = q.Where("name NOT IN ?", names)
	}
	if err := q.Update("active", false).Error; err != nil {
		return fmt.Errorf("retire metrics of %s task %d: %w", dept, t.Seq, err)
	}
	return nil
}

func (s *Store) syncMetric(m *Metric) error {
	err := s.db.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "task_id"}, {Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{
			"seq", "kind", "direction", "target", "unit", "active", "evidence_required", "updated_at"}),
	}).Create(m).Error
	if err != nil {
		return translate(err)
	}
	return translate(s.db.Where("task_id = ? AND name = ?", m.TaskID, m.Name).First(m).Error)
}

// PlanYears lists the years that have a plan, in ascending order; none
// before seeding.
func (s *Store) PlanYears(ctx context.Context) ([]int, error) {
	if s.hot != nil {
		return s.hotYears(ctx)
	}
	return s.loadPlanYears(ctx)
}

func (s *Store) loadPlanYears(ctx context.Context) ([]int, error) {
	var years []int
	if err := s.ctx(ctx).Model(&planYear{}).Order("year").Pluck("year", &years).Error; err != nil {
		return nil, fmt.Errorf("plan years: %w", err)
	}
	return years, nil
}

// DepartmentByName finds a department by its short name.
func (s *Store) DepartmentByName(ctx context.Context, name string) (Department, error) {
	var d Department
	if err := s.ctx(ctx).Where("name = ?", name).First(&d).Error; err != nil {
		return d, fmt.Errorf("department %q: %w", name, translate(err))
	}
	return d, nil
}

// Department finds a department by id.
func (s *Store) Department(ctx context.Context, id uint) (Department, error) {
	var d Department
	if err := s.ctx(ctx).First(&d, id).Error; err != nil {
		return d, fmt.Errorf("department %d: %w", id, translate(err))
	}
	return d, nil
}

// DepartmentPlan returns one department with its tasks of the year and
// their active metrics. Outside a transaction it comes from the hot cache:
// the tasks and metrics are shared by every caller and must not be
// modified.
func (s *Store) DepartmentPlan(ctx context.Context, year int, id uint) (Department, error) {
	if s.hot != nil {
		return s.hotPlan(ctx, year, id)
	}
	return s.loadDepartmentPlan(ctx, year, id)
}

func (s *Store) loadDepartmentPlan(ctx context.Context, year int, id uint) (Department, error) {
	var d Department
	err := s.ctx(ctx).
		Preload("Tasks", func(db *gorm.DB) *gorm.DB { return db.Where("year = ?", year).Order("seq") }).
		Preload("Tasks.Metrics", func(db *gorm.DB) *gorm.DB {
			return db.Where("active = ?", true).Order("seq, id")
		}).
		First(&d, id).Error
	if err != nil {
		return d, fmt.Errorf("department %d: %w", id, translate(err))
	}
	return d, nil
}

// Counts returns the number of departments with tasks in the year, and the
// year's tasks and active metrics.
func (s *Store) Counts(ctx context.Context, year int) (depts, tasks, metrics int64, err error) {
	db := s.ctx(ctx)
	yearTasks := db.Model(&Task{}).Where("year = ?", year)
	if err = db.Model(&Department{}).Where("id IN (?)", yearTasks.Select("department_id")).Count(&depts).Error; err != nil {
		return
	}
	if err = db.Model(&Task{}).Where("year = ?", year).Count(&tasks).Error; err != nil {
		return
	}
	err = db.Model(&Metric{}).Where("active = ? AND task_id IN (?)", true,
		db.Model(&Task{}).Select("id").Where("year = ?", year)).Count(&metrics).Error
	return
}
