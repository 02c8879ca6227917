package bot

import (
	"context"
	"fmt"
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
