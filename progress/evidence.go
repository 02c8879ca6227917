package progress

import (
	"context"

	"github.com/duban-bot/duban/models"
)

// EvidenceReader is what a Reader also offers when it knows about reviewed
// evidence; Build asks it only when the plan has a metric that needs
// approved evidence (evidence: required), so a plan without one costs no
// query.
type EvidenceReader interface {
	ApprovedEvidence(ctx context.Context, taskIDs []uint) (map[uint]map[string]bool, error)
}

// approvedEvidence reads, for the tasks with a metric that needs approved
// evidence, the periods that have it.
func approvedEvidence(ctx context.Context, r Reader, depts []models.Department) (map[uint]map[string]bool, error) {
	er, ok := r.(EvidenceReader)
	if !ok {
		return nil, nil
	}
	var tasks []uint
	for _, d := range depts {
		for _, t := range d.Tasks {
			for _, m := range t.Metrics {
				if m.EvidenceRequired {
					tasks = append(tasks, t.ID)
					break
				}
			}
		}
	}
	if len(tasks) == 0 {
		return nil, nil
	}
	return er.ApprovedEvidence(ctx, tasks)
}
