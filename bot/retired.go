package bot

import (
	"context"
	"fmt"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/progress"
)

// missingMetric explains why the session's metric is not in its
// department's plan. A metric an import retired while its screen was open
// is the plan changing under the user, not a crafted request: they are told
// so and nothing is stored. Anything else stays a refusal.
func (b *Bot) missingMetric(ctx context.Context, s *session) error {
	m, t, err := b.st.Metric(ctx, s.Metric)
	if err == nil && !m.Active && t.DepartmentID == s.Dept && t.ID == s.Task {
		return userError{dlgMetricRetired}
	}
	return fmt.Errorf("metric %d: %w", s.Metric, errForbidden)
}

// recheckValue reads the typed value again against metric m as it is now:
// an import may have changed its unit or kind since the read-back was
// drawn, and "1.2万人" confirmed for a metric now counted in 人 must not be
// stored as 1.2.
func recheckValue(s *session, m models.Metric) error {
	if m.Kind == string(progress.KindMilestone) {
		if s.Raw != milestoneLabel(*s.Value) {
			return userError{dlgMetricChanged}
		}
		return nil
	}
	if v, err := readValue(s.Raw, m); err != nil || v != *s.Value {
		return userError{dlgMetricChanged}
	}
	return nil
}
