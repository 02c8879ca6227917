package seeds

import (
	"context"
	"fmt"

	"github.com/duban-bot/duban/models"
)

// Store is what loading a plan needs from the database.
type Store interface {
	SyncPlan(ctx context.Context, year int, depts []models.Department) error
}

// Load upserts the plan into the store in one transaction: loading the same
// plan twice changes nothing, and a changed target is updated in place.
func Load(ctx context.Context, st Store, p Plan) error {
	if err := p.Validate(); err != nil {
		return err
	}
	depts := make([]models.Department, len(p.Departments))
	for i, d := range p.Departments {
		depts[i] = models.Department{Name: d.Name, Seq: i + 1, Tasks: toTasks(d.Tasks)}
	}
	if err := st.SyncPlan(ctx, p.Year, depts); err != nil {
		return fmt.Errorf("load plan %d: %w", p.Year, err)
	}
	return nil
}

func toTasks(ts []Task) []models.Task {
	out := make([]models.Task, len(ts))
	for i, t := range ts {
		ms := make([]models.Metric, len(t.Metrics))
		for j, m := range t.Metrics {
			ms[j] = models.Metric{
				Name: m.Name, Seq: j + 1, Kind: m.Kind, Direction: m.Direction,
				Target: m.Target, Unit: m.Unit, EvidenceRequired: m.Evidence == EvidenceRequired,
			}
		}
		out[i] = models.Task{Seq: t.Seq, Title: t.Title, Text: t.Text, Metrics: ms}
	}
	return out
}

// FromModels turns the stored plan back into the plan-file shape, which is
// also the `duban plan --json` schema.
func FromModels(year int, depts []models.Department) Plan {
	p := Plan{Year: year, Departments: make([]Department, len(depts))}
	for i, d := range depts {
		ts := make([]Task, len(d.Tasks))
		for j, t := range d.Tasks {
			ms := make([]Metric, len(t.Metrics))
			for k, m := range t.Metrics {
				ms[k] = Metric{Name: m.Name, Kind: m.Kind, Direction: m.Direction, Target: m.Target, Unit: m.Unit}
				if m.EvidenceRequired {
					ms[k].Evidence = EvidenceRequired
				}
			}
			ts[j] = Task{Seq: t.Seq, Title: t.Title, Text: t.Text, Metrics: ms}
		}
		p.Departments[i] = Department{Name: d.Name, Tasks: ts}
	}
	return p
}
