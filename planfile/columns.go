package planfile

import (
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"github.com/duban-bot/duban/seeds"
)

// field is a column of the plan sheet.
type field int

const (
	fDept field = iota
	fSeq
	fTitle
	fText
	fMetric
	fKind
	fDirection
	fTarget
	fUnit
	nFields
)

// headers are each column's title as exported, then the aliases a header
// may use (compared trimmed and case-folded).
var headers = [nFields][]string{
	fDept:      {"部门", "department", "dept", "责任单位"},
	fSeq:       {"序号", "seq", "no", "no."},
	fTitle:     {"任务", "title", "task", "任务名称"},
	fText:      {"目标", "text", "target text", "目标任务", "工作目标"},
	fMetric:    {"指标", "metric", "指标名称"},
	fKind:      {"类型", "kind", "指标类型"},
	fDirection: {"方向", "direction"},
	fTarget:    {"目标值", "target"},
	fUnit:      {"单位", "unit"},
}

// required are the columns every plan sheet has.
var required = []field{fDept, fSeq, fTitle, fText}

// metricFields are the columns of a metric; any of them makes a metric row.
var metricFields = []field{fMetric, fKind, fDirection, fTarget, fUnit}

func (f field) title() string { return headers[f][0] }

// fieldOf recognises a header cell.
func fieldOf(cell string) (field, bool) {
	h := strings.ToLower(strings.TrimSpace(cell))
	h = strings.TrimRight(h, "*＊ ")
	for f, names := range headers {
		for _, n := range names {
			if h == n {
				return field(f), true
			}
		}
	}
	return 0, false
}

// columns maps each field to its 0-based column index, -1 when absent.
type columns [nFields]int

func (c columns) has(f field) bool { return c[f] >= 0 }

// letter is the column letter of f for positions ("C").
func (c columns) letter(f field) string {
	if c[f] < 0 {
		return ""
	}
	return colLetter(c[f])
}

// get returns f's trimmed cell in row, "" when absent.
func (c columns) get(row []string, f field) string {
	i := c[f]
	if i < 0 || i >= len(row) {
		return ""
	}
	return strings.TrimSpace(strings.Map(dropInvisible, row[i]))
}

// dropInvisible removes format characters (zero-width space and joiners,
// byte-order marks, bidi marks) that text pasted from documents carries:
// 「市科协\u200b」 looks like 市科协 everywhere but would be another
// department, and a metric name with one would not match its old self.
func dropInvisible(r rune) rune {
	if unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}

// Kinds and directions as people write them. The first Chinese word of each
// is what export writes.
var (
	kindWords = map[string]string{
		"cumulative": "cumulative", "累计": "cumulative", "累计值": "cumulative", "总量": "cumulative",
		"rate": "rate", "比率": "rate", "比例": "rate", "水平": "rate", "率": "rate",
		"rank": "rank", "排名": "rank", "名次": "rank", "位次": "rank",
		"milestone": "milestone", "里程碑": "milestone", "节点": "milestone",
	}
	directionWords = map[string]string{
		"at_least": "at_least", "at least": "at_least", "不低于": "at_least", "以上": "at_least",
		"不少于": "at_least", "至少": "at_least", ">=": "at_least", "≥": "at_least",
		"at_most": "at_most", "at most": "at_most", "不高于": "at_most", "以内": "at_most",
		"不超过": "at_most", "以下": "at_most", "至多": "at_most", "<=": "at_most", "≤": "at_most",
	}
	kindLabels      = map[string]string{"cumulative": "累计", "rate": "比率", "rank": "排名", "milestone": "里程碑"}
	directionLabels = map[string]string{"at_least": "不低于", "at_most": "不高于"}
)

func lookupWord(words map[string]string, s string) (string, bool) {
	v, ok := words[strings.ToLower(strings.TrimSpace(s))]
	return v, ok
}

// colLetter is the letter of the 0-based column i.
func colLetter(i int) string {
	name, _ := excelize.ColumnNumberToName(i + 1)
	return name
}

// dropInvisibleNames does for a plan file what get does for a cell, to the
// names a plan is matched by: departments, task titles and metrics.
func dropInvisibleNames(p *seeds.Plan) {
	clean := func(s string) string { return strings.TrimSpace(strings.Map(dropInvisible, s)) }
	for i := range p.Departments {
		d := &p.Departments[i]
		d.Name = clean(d.Name)
		for j := range d.Tasks {
			t := &d.Tasks[j]
			t.Title = clean(t.Title)
			for k := range t.Metrics {
				t.Metrics[k].Name = clean(t.Metrics[k].Name)
			}
		}
	}
}
