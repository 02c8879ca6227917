package main

import (
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// composeFile is the part of compose.yaml the checks read.
type composeFile struct {
	Services map[string]struct {
		Image       string            `yaml:"image"`
		Build       string            `yaml:"build"`
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	} `yaml:"services"`
	Volumes map[string]any `yaml:"volumes"`
}

// compose.yaml parses, and says what the README promises: PostgreSQL 15+
// with a volume and a health check, two duban replicas in webhook mode
// waiting for it, each with the metrics listener, every setting one the
// README documents.
func TestComposeFile(t *testing.T) {
	data, err := os.ReadFile("compose.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c composeFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	pg, ok := c.Services["postgres"]
	if !ok {
		t.Fatal("no postgres service")
	}
	major, err := strconv.Atoi(strings.TrimPrefix(pg.Image, "postgres:"))
	if err != nil || major < 15 {
		t.Errorf("postgres image %q: want postgres:15 or newer", pg.Image)
	}
	if len(pg.Volumes) == 0 {
		t.Fatal("postgres has no volume")
	}
	if vol, _, _ := strings.Cut(pg.Volumes[0], ":"); !strings.HasSuffix(pg.Volumes[0], ":/var/lib/postgresql/data") || !hasKey(c.Volumes, vol) {
		t.Errorf("postgres data not on a named volume: %v (volumes %v)", pg.Volumes, c.Volumes)
	}
	if !slices.ContainsFunc(pg.Healthcheck.Test, func(s string) bool { return strings.Contains(s, "pg_isready") }) {
		t.Errorf("postgres health check %v", pg.Healthcheck.Test)
	}
	documented := readmeSettings(t)
	replicas, ports := 0, map[string]bool{}
	for name, s := range c.Services {
		if s.Build != "." {
			continue
		}
		replicas++
		env := s.Environment
		if !strings.HasPrefix(env["DUBAN_DB"], "postgres://") || env["DUBAN_WEBHOOK_URL"] == "" ||
			env["DUBAN_WEBHOOK_SECRET"] == "" || env["DUBAN_LISTEN"] == "" || env["DUBAN_METRICS_LISTEN"] == "" {
			t.Errorf("%s: not a webhook replica on PostgreSQL with metrics: %v", name, env)
		}
		if s.DependsOn["postgres"].Condition != "service_healthy" {
			t.Errorf("%s does not wait for a healthy postgres", name)
		}
		for k := range env {
			if !documented[k] {
				t.Errorf("%s sets %s, which the README's settings table does not document", name, k)
			}
		}
		for _, p := range s.Ports {
			if ports[p] {
				t.Errorf("port %s published twice", p)
			}
			ports[p] = true
		}
	}
	if replicas != 2 {
		t.Errorf("%d duban replicas, want 2", replicas)
	}
}

func hasKey(m map[string]any, k string) bool { _, ok := m[k]; return ok }

// readmeSettings returns the variables of the README's settings table.
func readmeSettings(t *testing.T) map[string]bool {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\|").FindAllStringSubmatch(string(data), -1) {
		out[m[1]] = true
	}
	return out
}

// The image checks /healthz through the binary itself: the slim image has
// neither curl nor wget.
func TestDockerfileHealthcheck(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^HEALTHCHECK .*CMD \["duban", "healthcheck"\]$`).Match(data) {
		t.Error(`Dockerfile: no HEALTHCHECK ... CMD ["duban", "healthcheck"]`)
	}
	if _, ok := commands()["healthcheck"]; !ok {
		t.Error("no healthcheck subcommand")
	}
}
