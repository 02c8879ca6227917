package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/duban-bot/duban/models"
)

// runBackup writes a consistent copy of the SQLite database while serve
// may be running: `duban backup --out FILE`. PostgreSQL has pg_dump.
func runBackup(ctx context.Context, e env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	out := fs.String("out", "", "the new file to write the copy to")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("backup: --out FILE is required")
	}
	err := models.Backup(ctx, e.cfg.DB, *out)
	if errors.Is(err, models.ErrBackupPostgres) {
		return usagef("backup: the database is PostgreSQL: use pg_dump, e.g. pg_dump --format=custom --file=duban.dump \"$DUBAN_DB\"")
	} else if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backup written to %s\n", *out)
	return nil
}
