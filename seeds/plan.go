// Package seeds owns the plan data: the embedded 2022 Huzhou target list, its
// validation, and the loader that puts it into the store.
package seeds

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed huzhou-2022.yaml
var huzhou2022 []byte

// Huzhou2022 returns the raw embedded plan file.
func Huzhou2022() []byte { return bytes.Clone(huzhou2022) }

// Plan is a year's target list as written in the plan file.
type Plan struct {
	Year        int          `yaml:"year" json:"year"`
	Departments []Department `yaml:"departments" json:"departments"`
}

// Department is one department of the plan, named as the document names it.
type Department struct {
	Name  string `yaml:"name" json:"name"`
	Tasks []Task `yaml:"tasks" json:"tasks"`
}

// Task is a numbered key task with its full target text.
type Task struct {
	Seq     int      `yaml:"seq" json:"seq"`
	Title   string   `yaml:"title" json:"title"`
	Text    string   `yaml:"text" json:"text"`
	Metrics []Metric `yaml:"metrics" json:"metrics"`
}

// Metric is a number a task is measured by.
type Metric struct {
	Name      string  `yaml:"name" json:"name"`
	Kind      string  `yaml:"kind" json:"kind"`
	Direction string  `yaml:"direction" json:"direction"`
	Target    float64 `yaml:"target" json:"target"`
	Unit      string  `yaml:"unit" json:"unit"`
	// Evidence is "required" when a value counts only with approved
	// evidence (佐证材料 reviewed by a coordinator); "" otherwise.
	Evidence string `yaml:"evidence,omitempty" json:"evidence,omitempty"`
}

// EvidenceRequired is the plan file's value of evidence for a metric that
// needs approved evidence.
const EvidenceRequired = "required"

// Kinds and directions a metric may have.
var (
	kinds      = []string{"cumulative", "rate", "rank", "milestone"}
	directions = []string{"at_least", "at_most"}
)

// ErrInvalid marks a plan file that breaks a rule; the message names the
// department and task.
var ErrInvalid = errors.New("invalid plan")

// Parse reads and validates a plan file.
func Parse(data []byte) (Plan, error) {
	var p Plan
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return Plan{}, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := p.Validate(); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// Validate checks the rules every plan must follow.
func (p Plan) Validate() error {
	if p.Year < 2000 || p.Year > 2100 {
		return fmt.Errorf("%w: year %d", ErrInvalid, p.Year)
	}
	if len(p.Departments) == 0 {
		return fmt.Errorf("%w: no departments", ErrInvalid)
	}
	seen := map[string]bool{}
	for _, d := range p.Departments {
		name := strings.TrimSpace(d.Name)
		switch {
		case name == "":
			return fmt.Errorf("%w: a department without a name", ErrInvalid)
		case seen[name]:
			return fmt.Errorf("%w: department %s listed twice", ErrInvalid, name)
		case len(d.Tasks) == 0:
			return fmt.Errorf("%w: department %s has no tasks", ErrInvalid, name)
		}
		seen[name] = true
		if err := validateTasks(d); err != nil {
			return err
		}
	}
	return nil
}

func validateTasks(d Department) error {
	seqs := map[int]bool{}
	for _, t := range d.Tasks {
		where := fmt.Sprintf("department %s task %d", d.Name, t.Seq)
		switch {
		case t.Seq <= 0:
			return fmt.Errorf("%w: %s: task number must be positive", ErrInvalid, where)
		case seqs[t.Seq]:
			return fmt.Errorf("%w: %s: duplicate task number", ErrInvalid, where)
		case strings.TrimSpace(t.Title) == "":
			return fmt.Errorf("%w: %s: empty title", ErrInvalid, where)
		case len(t.Metrics) == 0:
			return fmt.Errorf("%w: %s: no metrics", ErrInvalid, where)
		}
		seqs[t.Seq] = true
		if err := validateMetrics(where, t.Metrics); err != nil {
			return err
		}
	}
	return nil
}

func validateMetrics(where string, ms []Metric) error {
	names := map[string]bool{}
	for _, m := range ms {
		at := fmt.Sprintf("%s metric %q", where, m.Name)
		switch {
		case strings.TrimSpace(m.Name) == "":
			return fmt.Errorf("%w: %s: a metric without a name", ErrInvalid, where)
		case names[m.Name]:
			return fmt.Errorf("%w: %s: duplicate metric name", ErrInvalid, at)
		case !contains(kinds, m.Kind):
			return fmt.Errorf("%w: %s: unknown kind %q (want one of %s)", ErrInvalid, at, m.Kind, strings.Join(kinds, ", "))
		case !contains(directions, m.Direction):
			return fmt.Errorf("%w: %s: unknown direction %q (want at_least or at_most)", ErrInvalid, at, m.Direction)
		case !(m.Target > 0 || zeroCap(m)) || math.IsInf(m.Target, 0):
			return fmt.Errorf("%w: %s: target %v is not a positive number (0 only for an at_most cumulative or rate)", ErrInvalid, at, m.Target)
		case m.Evidence != "" && m.Evidence != EvidenceRequired:
			return fmt.Errorf("%w: %s: evidence %q (want required, or leave it out)", ErrInvalid, at, m.Evidence)
		case m.Kind == "milestone" && m.Target != 1:
			return fmt.Errorf("%w: %s: a milestone's target is 1", ErrInvalid, at)
		}
		names[m.Name] = true
	}
	return nil
}

// zeroCap reports whether m is an at-most-0 goal (不发生…事故 counted in 起,
// a growth held at or below 0 %), the one case where a target of 0 is meant.
func zeroCap(m Metric) bool {
	return m.Target == 0 && m.Direction == "at_most" && (m.Kind == "cumulative" || m.Kind == "rate")
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
