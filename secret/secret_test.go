package secret_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/duban-bot/duban/secret"
)

const (
	token = "123456789:AAH-the_bot_token_of_thirty_five_chars"
	dsn   = "postgres://duban:S3cretPW@db.internal:5432/duban?sslmode=disable"
)

func TestRedact(t *testing.T) {
	r := secret.New(token, dsn)
	tests := []struct {
		name, in, want string
	}{
		{"echoed Bot API path", `error decode response body for method getMe, <html>404 /bot` + token + `/getMe</html>, invalid character '<'`,
			`error decode response body for method getMe, <html>404 /bot***/getMe</html>, invalid character '<'`},
		{"the token alone", "token " + token + " refused", "token *** refused"},
		{"a DSN keeps host and database", "database " + dsn + ": connection refused",
			"database postgres://duban:***@db.internal:5432/duban?sslmode=disable: connection refused"},
		{"the DB password alone", `auth failed for "S3cretPW"`, `auth failed for "***"`},
		{"another URL's password", "dial https://proxy:hunter2@10.0.0.1:3128 failed", "dial https://proxy:***@10.0.0.1:3128 failed"},
		{"password in a query", "postgres://db/x?user=a&password=pw1&sslmode=disable", "postgres://db/x?user=a&password=***&sslmode=disable"},
		{"another bot token", "999999:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 leaked", "*** leaked"},
		{"a bot path with another token", "POST /botwhatever/sendMessage", "POST /bot***/sendMessage"},
		{"innocent text unchanged", "user 42 (department 7) asked for 12:30 at http://example.com/a@b", "user 42 (department 7) asked for 12:30 at http://example.com/a@b"},
		{"a user without password unchanged", "postgres://duban@127.0.0.1:1/x", "postgres://duban@127.0.0.1:1/x"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Redact(tc.in); got != tc.want {
				t.Errorf("Redact(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestRedactEscapedPassword(t *testing.T) {
	r := secret.New("", "postgres://duban:p%40ss%2Fw0rd@127.0.0.1:1/x")
	for _, in := range []string{"p@ss/w0rd", "p%40ss%2Fw0rd", "postgres://duban:p%40ss%2Fw0rd@127.0.0.1:1/x"} {
		if got := r.Redact(in); strings.Contains(got, "ss/w0rd") || strings.Contains(got, "ss%2Fw0rd") {
			t.Errorf("Redact(%q) = %q", in, got)
		}
	}
}

// A nil Redactor (no known secrets) still removes what is shaped like one.
func TestNilRedactor(t *testing.T) {
	var r *secret.Redactor
	if got := r.Redact("/bot" + token + "/getMe"); got != "/bot***/getMe" {
		t.Errorf("got %q", got)
	}
}

var errSentinel = errors.New("unauthorized")

func TestErrorKeepsTheChain(t *testing.T) {
	r := secret.New(token, "")
	err := r.Error(fmt.Errorf("getMe at /bot%s/: %w", token, errSentinel))
	if strings.Contains(err.Error(), token) || !errors.Is(err, errSentinel) {
		t.Errorf("err = %v, errors.Is = %v", err, errors.Is(err, errSentinel))
	}
	if r.Error(nil) != nil {
		t.Error("Error(nil) != nil")
	}
}

type request struct{ URL string }

func TestHandlerRedactsEveryPart(t *testing.T) {
	r := secret.New(token, dsn)
	var buf bytes.Buffer
	log := slog.New(r.Handler(slog.NewTextHandler(&buf, nil)))
	log = log.With("dsn", dsn).WithGroup("g")
	log.Warn("telegram "+token,
		"err", fmt.Errorf("decode /bot%s/getUpdates", token),
		"text", "S3cretPW",
		slog.Group("req", "url", "https://api.telegram.org/bot"+token+"/getMe"),
		"any", request{URL: "/bot" + token + "/x"},
		"n", 42)
	out := buf.String()
	for _, leak := range []string{token, "S3cretPW", "AAH-the_bot"} {
		if strings.Contains(out, leak) {
			t.Errorf("log leaks %q:\n%s", leak, out)
		}
	}
	for _, keep := range []string{"db.internal:5432", "g.n=42", "telegram ***", "g.req.url="} {
		if !strings.Contains(out, keep) {
			t.Errorf("log lost %q:\n%s", keep, out)
		}
	}
}

// An operator who types an @ into the password without encoding it gets a
// DSN net/url refuses; the whole password is still redacted, known or not.
func TestRedactUnencodedAtInPassword(t *testing.T) {
	dsn := "postgres://duban:p@ssW0rd@db.internal:5432/duban"
	known := secret.New("", dsn)
	for _, tc := range []struct {
		name string
		r    *secret.Redactor
		in   string
	}{
		{"the DSN, known", known, "open " + dsn + ": invalid userinfo"},
		{"the password alone, known", known, `auth failed for "p@ssW0rd"`},
		{"the DSN, unknown", nil, "open " + dsn + ": invalid userinfo"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.r.Redact(tc.in)
			if strings.Contains(got, "ssW0rd") {
				t.Errorf("Redact(%q) = %q: part of the password is left", tc.in, got)
			}
			if strings.Contains(tc.in, "db.internal") && !strings.Contains(got, "db.internal:5432/duban") {
				t.Errorf("Redact(%q) = %q: the host and database should stay", tc.in, got)
			}
		})
	}
}
