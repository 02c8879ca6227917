// Package secret keeps the bot token and database passwords out of every
// text duban logs, stores or shows: one Redactor, applied at each boundary
// (the slog handler, the outbox's last_error, the error printed on exit).
//
// Errors of the Telegram client quote what the server answered, and a
// misconfigured proxy or a local Bot API server answers with a page that
// echoes the request path, /bot<token>/method; drivers quote the DSN they
// failed to reach. So redaction cannot rely on where a text came from: it
// removes the known secrets wherever they appear, and anything shaped like
// one (a URL's password, a /bot…/ path, a bot token) even when unknown.
package secret

import (
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Mask replaces every secret.
const Mask = "***"

// minSecret is the shortest known secret replaced verbatim: replacing a
// one-character "password" would mangle every text.
const minSecret = 4

var (
	// scheme://user:PASSWORD@host, the password running to the last @
	// before the path: an unencoded @ in it is what a hurried operator types.
	urlPassword = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/?#\s:@]*:)[^\s/]*@`)
	// password=… in a query string or a key/value DSN.
	passwordParam = regexp.MustCompile(`(?i)(password=)[^&\s]+`)
	// /bot<token>/ in a Bot API path, whatever the token.
	botPath = regexp.MustCompile(`/bot[^/\s]+/`)
	// A Telegram bot token: the bot's id, a colon, 35 characters of base64url.
	botToken = regexp.MustCompile(`\b[0-9]{5,}:[A-Za-z0-9_-]{30,}\b`)
)

// Redactor removes secrets from texts. The zero value and nil remove only
// what is shaped like a secret.
type Redactor struct {
	secrets []string // longest first, so a secret containing another goes whole
}

// New returns a Redactor of the bot token and of the password in the
// database DSN (the DSN itself is not secret: errors should name it).
func New(token, dsn string) *Redactor {
	r := &Redactor{}
	r.add(token)
	if pw := dsnPassword(dsn); pw != "" {
		r.add(pw)
		r.add(url.QueryEscape(pw))
		r.add(url.PathEscape(pw))
	}
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	return r
}

func (r *Redactor) add(s string) {
	if len(s) >= minSecret && !slices.Contains(r.secrets, s) {
		r.secrets = append(r.secrets, s)
	}
}

// dsnPassword returns the password of a URL DSN, "" when it has none.
func dsnPassword(dsn string) string {
	u, err := url.Parse(strings.TrimSpace(dsn))
	if err != nil {
		if pw, ok := rawURLPassword(dsn); ok {
			return pw
		}
	}
	if err != nil || u.User == nil {
		if m := passwordParam.FindStringSubmatchIndex(dsn); m != nil {
			return strings.TrimSpace(dsn[m[3]:m[1]])
		}
		return ""
	}
	if pw, ok := u.User.Password(); ok {
		return pw
	}
	return u.Query().Get("password")
}

// rawURLPassword reads the password of a URL that net/url refuses, such
// as one with an unencoded @ in its password: everything between the
// user's colon and the last @ of the authority.
func rawURLPassword(dsn string) (string, bool) {
	_, rest, ok := strings.Cut(strings.TrimSpace(dsn), "://")
	if !ok {
		return "", false
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return "", false
	}
	_, pw, ok := strings.Cut(rest[:at], ":")
	return pw, ok && pw != ""
}

// Redact returns s with every secret replaced by Mask.
func (r *Redactor) Redact(s string) string {
	if r != nil {
		for _, secret := range r.secrets {
			s = strings.ReplaceAll(s, secret, Mask)
		}
	}
	s = urlPassword.ReplaceAllString(s, "${1}"+Mask+"@")
	s = passwordParam.ReplaceAllString(s, "${1}"+Mask)
	s = botPath.ReplaceAllString(s, "/bot"+Mask+"/")
	return botToken.ReplaceAllString(s, Mask)
}

// Error returns err with its message redacted; errors.Is and errors.As
// still see the original chain. nil stays nil.
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	return redacted{text: r.Redact(err.Error()), err: err}
}

// redacted is an error whose message was redacted.
type redacted struct {
	text string
	err  error
}

func (e redacted) Error() string { return e.text }
func (e redacted) Unwrap() error { return e.err }
