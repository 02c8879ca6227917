package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/duban-bot/duban/models"
	"github.com/duban-bot/duban/seeds"
)

type command func(ctx context.Context, e env, args []string) error

func commands() map[string]command {
	return map[string]command{
		"serve":   runServe,
		"seed":    runSeed,
		"plan":    runPlan,
		"status":  runStatus,
		"contact": runContactCmd,
		"invite":  runInviteCmd,
		"export":  runExport,
		"remind":  runRemind,
		"digest":  runDigest,
		"import":  runImport,
		"target":  runTarget,
		"migrate": runMigrate,
		"backup":  runBackup,
		"sandbox": runSandbox,

		"healthcheck": runHealthcheck,
	}
}

// global holds the flags before the subcommand.
type global struct {
	db            string
	help, version bool
}

// parseGlobal reads the flags before the subcommand.
func parseGlobal(args []string) (g global, rest []string, err error) {
	fs := flag.NewFlagSet("duban", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&g.db, "db", "", "database: a SQLite file or a postgres:// URL")
	fs.BoolVar(&g.version, "version", false, "print the version and commit")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return global{help: true}, nil, nil
	} else if err != nil {
		return global{}, nil, usagef("%v", err)
	}
	return g, fs.Args(), nil
}

// parseFlags parses a subcommand's flags; stray arguments are an error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return helpRequest{fs: fs}
	} else if err != nil {
		return usagef("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usagef("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

func (e env) storeOptions() models.Options {
	return models.Options{Now: e.cfg.Now, Logger: newLogger(e.cfg, e.stderr), Secrets: e.cfg.secrets()}
}

func (e env) openStore() (*models.Store, error) {
	st, err := models.Open(e.cfg.DB, e.storeOptions())
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", e.cfg.DB, err)
	}
	return st, nil
}

func runSeed(ctx context.Context, e env, args []string) error {
	if err := parseFlags(flag.NewFlagSet("seed", flag.ContinueOnError), args); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	if err := seedPlan(ctx, st); err != nil {
		return err
	}
	d, t, m, err := st.Counts(ctx, seedYear)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "seeded %d: %d departments, %d tasks, %d metrics\n", seedYear, d, t, m)
	return nil
}

// seedYear is the year of the embedded plan.
const seedYear = 2022

func seedPlan(ctx context.Context, st *models.Store) error {
	p, err := seeds.Parse(seeds.Huzhou2022())
	if err != nil {
		return fmt.Errorf("embedded plan: %w", err)
	}
	return seeds.Load(ctx, st, p)
}

func runPlan(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	year := yearFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	st, err := e.openSeededReadStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := e.storedPlan(ctx, st, *year)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(e.stdout, p)
	}
	for _, d := range p.Departments {
		fmt.Fprintln(e.stdout, d.Name)
		for _, t := range d.Tasks {
			fmt.Fprintf(e.stdout, "  %d. %s (%d)\n", t.Seq, t.Title, len(t.Metrics))
		}
	}
	return nil
}

// openSeededStore opens the database and checks it holds a plan: the
// commands that read progress have nothing to say before `duban seed`.
func (e env) openSeededStore(ctx context.Context) (*models.Store, error) {
	return seeded(ctx, e.openStore)
}

// seeded opens a store with open and checks it holds a plan.
func seeded(ctx context.Context, open func() (*models.Store, error)) (*models.Store, error) {
	st, err := open()
	if err != nil {
		return nil, err
	}
	if err := requirePlan(ctx, st); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func requirePlan(ctx context.Context, st *models.Store) error {
	if years, err := st.PlanYears(ctx); err != nil {
		return err
	} else if len(years) == 0 {
		return usagef("the database holds no plan yet: run `duban seed` first")
	}
	return nil
}

// storedPlan reads the plan of year (0: the active year).
func (e env) storedPlan(ctx context.Context, st *models.Store, year int) (seeds.Plan, error) {
	y, err := chooseYear(ctx, "plan", st, e.cfg.Now(), e.cfg.Loc, year)
	if err != nil {
		return seeds.Plan{}, err
	}
	if !y.Loaded {
		return seeds.Plan{}, noPlanError("plan", y)
	}
	depts, err := st.Plan(ctx, y.Year)
	if err != nil {
		return seeds.Plan{}, err
	}
	return seeds.FromModels(y.Year, depts), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}

func runContact(ctx context.Context, e env, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return usagef("contact: want `contact add --dept NAME --telegram-id ID [--name N] [--role contact|coordinator]`")
	}
	fs := flag.NewFlagSet("contact add", flag.ContinueOnError)
	dept := fs.String("dept", "", "department short name")
	id := fs.Int64("telegram-id", 0, "Telegram user id")
	name := fs.String("name", "", "display name")
	role := fs.String("role", models.RoleContact, "contact, deputy or coordinator")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	switch {
	case *id <= 0:
		return usagef("contact add: --telegram-id must be a positive Telegram user id")
	case !models.ValidRole(*role):
		return usagef("contact add: --role %q is not contact, deputy or coordinator", *role)
	case *role != models.RoleCoordinator && *dept == "":
		return usagef("contact add: --dept is required for a %s", *role)
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	c := models.Contact{TelegramID: *id, Name: *name, Role: *role}
	if *dept != "" {
		d, err := findDept(ctx, st, *dept)
		if err != nil {
			return err
		}
		c.DepartmentID = &d.ID
	}
	return assignFromCLI(ctx, e, st, c)
}

func findDept(ctx context.Context, st *models.Store, name string) (models.Department, error) {
	d, err := st.DepartmentByName(ctx, strings.TrimSpace(name))
	if errors.Is(err, models.ErrNotFound) {
		return d, usagef("--dept: no department named %q (see `duban plan`)", name)
	}
	return d, err
}

func runInvite(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("invite", flag.ContinueOnError)
	dept := fs.String("dept", "", "department short name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *dept == "" {
		return usagef("invite: --dept is required")
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	d, err := findDept(ctx, st, *dept)
	if err != nil {
		return err
	}
	inv, err := st.CreateInvite(ctx, d.ID, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s\n/start %s (valid until %s)\n", inv.Token, inv.Token,
		inv.ExpiresAt.In(e.cfg.Loc).Format("2006-01-02 15:04"))
	return nil
}
