package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// version is the release, set at build time:
// go build -ldflags "-X main.version=v1.2.0".
var version = "dev"

// synopsis is the one-line usage of a command.
type synopsis struct{ name, usage, what string }

// synopses lists the commands in the order of `duban help`.
func synopses() []synopsis {
	return []synopsis{
		{"serve", "duban serve", "run the bot (the default command)"},
		{"seed", "duban seed", "load the embedded 2022 plan"},
		{"plan", "duban plan [--json] [--year YYYY]", "print the plan"},
		{"import", "duban import FILE.xlsx|FILE.csv|FILE.yaml --year YYYY [--dry-run] [--replace] [--force]", "load a year's plan from a file"},
		{"status", "duban status [--dept NAME] [--at RFC3339] [--year YYYY] [--json]", "print the /status text or JSON"},
		{"contact", "duban contact add --dept NAME --telegram-id ID [--name N] [--role contact|deputy|coordinator]", "bind a Telegram user"},
		{"contact", "duban contact list [--dept NAME] | duban contact remove --telegram-id ID", "list or unbind people"},
		{"invite", "duban invite --dept NAME | duban invite revoke TOKEN|--dept NAME", "print a one-time /start token, or revoke open ones"},
		{"export", "duban export --out FILE.xlsx|FILE.csv [--dept NAME] [--at RFC3339] [--year YYYY]", "write what /export sends"},
		{"export", "duban export --plan [--year YYYY] --out FILE.xlsx|FILE.csv | --template --out FILE.xlsx", "write a plan in the import layout, or an empty template"},
		{"target", "duban target [--year YYYY] --dept NAME --task N --metric NAME --value V --reason TEXT", "change one metric's target mid-year"},
		{"remind", "duban remind [--at RFC3339] [--year YYYY]", "run the reminder ladder once"},
		{"digest", "duban digest [--at RFC3339] [--send] [--year YYYY]", "print (and queue) the weekly digest"},
		{"migrate", "duban migrate", "apply the schema migrations the database lacks"},
		{"backup", "duban backup --out FILE", "write a consistent copy of the SQLite database (PostgreSQL: pg_dump)"},
		{"sandbox", "duban sandbox [--db FILE] [--script FILE|-]", "try the whole loop without Telegram: a terminal chat on an in-process Bot API"},
		{"healthcheck", "duban healthcheck", "ask a running serve's /healthz on DUBAN_METRICS_LISTEN (the Docker HEALTHCHECK)"},
	}
}

// helpRequest is -h or --help among a command's flags.
type helpRequest struct{ fs *flag.FlagSet }

func (h helpRequest) Error() string { return h.fs.Name() + ": help requested" }

func isHelp(err error) bool {
	var h helpRequest
	return errors.As(err, &h)
}

// wantsHelp reports whether args ask for help: a command without flags
// of its own (contact) answers -h with a usage error instead.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// printUsage answers `duban help [CMD]` and `duban --help`.
func printUsage(w io.Writer, rest []string) error {
	if len(rest) > 1 {
		return printCommandUsage(w, rest[1], nil)
	}
	var b strings.Builder
	b.WriteString("duban runs the annual target-responsibility loop over Telegram.\n\nUsage:\n")
	for _, s := range synopses() {
		fmt.Fprintf(&b, "  %s\n      %s\n", s.usage, s.what)
	}
	b.WriteString("\nGlobal flags (before the command):\n" +
		"  --db DSN     a SQLite file or a postgres:// URL (default $DUBAN_DB, else duban.db)\n" +
		"  --version    print the version and commit\n" +
		"\nSettings come from the environment (TELEGRAM_BOT_TOKEN, DUBAN_ADMINS, …): see README.md.\n" +
		"duban CMD --help describes one command.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// printCommandUsage prints the synopsis of one command and, when the
// command parsed its flags (err is a helpRequest), their descriptions.
func printCommandUsage(w io.Writer, name string, err error) error {
	found := false
	for _, s := range synopses() {
		if s.name != name {
			continue
		}
		found = true
		if _, err := fmt.Fprintf(w, "Usage: %s\n  %s\n", s.usage, s.what); err != nil {
			return err
		}
	}
	if !found {
		return usagef("help: unknown command %q", name)
	}
	var h helpRequest
	if errors.As(err, &h) {
		h.fs.SetOutput(w)
		h.fs.PrintDefaults()
	}
	return nil
}

// printVersion prints the release and the commit it was built from.
func printVersion(w io.Writer) error {
	_, err := fmt.Fprintf(w, "duban %s (commit %s)\n", version, commit())
	return err
}

// commit reads the VCS revision that go build stamps into the binary.
func commit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	rev, dirty := "unknown", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if dirty {
		rev += "-dirty"
	}
	return rev
}
