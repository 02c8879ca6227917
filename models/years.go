package models

import (
	"fmt"

	"gorm.io/gorm"
)

// upgradeYears brings a database from before plan years up to date, and
// does nothing the second time: the old unique index on (department_id,
// seq) would forbid a second year's tasks, and the tasks of the one plan it
// held get that plan's year from the old single plan_years row.
// AutoMigrate has already added tasks.year (0 on old rows) and the new
// index on (year, department_id, seq).
func upgradeYears(db *gorm.DB) error {
	m := db.Migrator()
	if m.HasIndex(&Task{}, "idx_task_dept_seq") {
		if err := m.DropIndex(&Task{}, "idx_task_dept_seq"); err != nil {
			return fmt.Errorf("upgrade to plan years: drop index: %w", err)
		}
	}
	err := db.Exec("UPDATE tasks SET year = (SELECT MIN(year) FROM plan_years) " +
		"WHERE year = 0 AND EXISTS (SELECT 1 FROM plan_years)").Error
	if err != nil {
		return fmt.Errorf("upgrade to plan years: year of existing tasks: %w", err)
	}
	return nil
}
