package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"

	"github.com/duban-bot/duban/models"
)

// runMigrate applies the schema migrations this binary has and the
// database lacks, and nothing else (serve and the commands that write do
// the same on open): the step of an upgrade before replicas restart.
func runMigrate(_ context.Context, e env, args []string) error {
	if err := parseFlags(flag.NewFlagSet("migrate", flag.ContinueOnError), args); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	defer st.Close()
	fmt.Fprintf(e.stdout, "schema at version %d\n", models.SchemaVersion())
	return nil
}

// openReadStore opens the database for a command that only reads (status,
// plan, export): it migrates nothing, so a snapshot or a backup being
// inspected stays as it is and a read never races a replica's migration.
// A schema older than the binary's fails, naming the command that fixes it.
func (e env) openReadStore() (*models.Store, error) {
	st, err := models.OpenExisting(e.cfg.DB, e.storeOptions())
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, usagef("database %s does not exist: run `duban seed` first", e.cfg.DB)
	case err != nil:
		return nil, fmt.Errorf("database %s: %w", e.cfg.DB, err)
	}
	return st, nil
}

// openSeededReadStore is openReadStore for the commands that read
// progress: they have nothing to say before `duban seed`.
func (e env) openSeededReadStore(ctx context.Context) (*models.Store, error) {
	return seeded(ctx, e.openReadStore)
}
