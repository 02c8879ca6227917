package planfile

import (
	"fmt"

	"github.com/duban-bot/duban/seeds"
)

// Position is where in the file something was found: a sheet (or the file
// name for a CSV or YAML file), a 1-based row and a column letter. Row 0 is
// the whole file, Col "" the whole row.
type Position struct {
	Sheet string
	Row   int
	Col   string
}

func (p Position) String() string {
	switch {
	case p.Row == 0:
		return p.Sheet
	case p.Col == "":
		return fmt.Sprintf(msgRowRef, p.Sheet, p.Row)
	}
	return fmt.Sprintf("%s!%s%d", p.Sheet, p.Col, p.Row)
}

// Problem is a reason the file cannot be imported.
type Problem struct {
	Position
	Message string
}

func (p Problem) String() string { return printable(p.Position.String() + ": " + p.Message) }

// Notice is something the import will do that the user should know about
// (a new department, a changed year); it does not stop the import.
type Notice = Problem

// Drafted is a task whose metrics were read from its target text, for the
// user to review.
type Drafted struct {
	Position   // the task's 目标 cell
	Department string
	Seq        int
	Title      string
	Metrics    []seeds.Metric
	Notes      []string
}

// Lines are the drafted metrics as printed for review: the task, then each
// metric, then the drafter's notes (which phrase each metric came from).
func (d Drafted) Lines() []string {
	out := []string{fmt.Sprintf(msgDraftedTask, d.Position, d.Department, d.Seq, d.Title)}
	for _, m := range d.Metrics {
		out = append(out, fmt.Sprintf(msgDraftedMetric, m.Name, describe(m)))
	}
	for _, n := range d.Notes {
		out = append(out, fmt.Sprintf(msgDraftedNote, n))
	}
	for i, l := range out {
		out[i] = printable(l)
	}
	return out
}

// Report is everything Read has to say about a file.
type Report struct {
	Problems []Problem
	Notices  []Notice
	Drafted  []Drafted
}

func (r *Report) problem(at Position, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Position: at, Message: fmt.Sprintf(format, args...)})
}

func (r *Report) notice(at Position, format string, args ...any) {
	r.Notices = append(r.Notices, Notice{Position: at, Message: fmt.Sprintf(format, args...)})
}
