package main

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/duban-bot/duban/calendar"
	"github.com/duban-bot/duban/progress"
)

// Config holds every setting of duban, read from flags and the environment.
type Config struct {
	Token      string
	APIURL     string
	DB         string
	Admins     []int64
	GroupChat  int64
	Loc        *time.Location
	Now        func() time.Time
	Start      time.Time // DUBAN_NOW; zero when the clock is the real one
	Holidays   string    // an operator's holiday file merged over the built-in one
	LogLevel   string
	Thresholds progress.Thresholds
	Schedule   calendar.Schedule
	Calendar   *calendar.Calendar

	// LogFormat is "text", "json", or "" for text on a terminal and JSON
	// otherwise (DUBAN_LOG_FORMAT).
	LogFormat string
	// MetricsListen is the address of /healthz, /readyz and /metrics
	// (DUBAN_METRICS_LISTEN); "" is off.
	Webhook       Webhook // webhook mode when Webhook.URL is set
	MetricsListen string
}

// usageError is wrong usage or a bad setting: main prints it as one line
// and exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// IsUsage reports whether err is a usage error.
func isUsage(err error) bool {
	var u usageError
	return errors.As(err, &u)
}

// loadConfig reads the environment; db, when not empty, is the --db flag and
// wins over DUBAN_DB. start is the real clock, wrapped when DUBAN_NOW is set.
func loadConfig(getenv func(string) string, db string, start func() time.Time) (Config, error) {
	c := Config{
		Token:    getenv("TELEGRAM_BOT_TOKEN"),
		APIURL:   orDefault(getenv("TELEGRAM_API_URL"), "https://api.telegram.org"),
		DB:       orDefault(db, orDefault(getenv("DUBAN_DB"), "duban.db")),
		Holidays: getenv("DUBAN_HOLIDAYS"),
		LogLevel: orDefault(getenv("DUBAN_LOG_LEVEL"), "info"),
	}
	c.LogFormat = strings.TrimSpace(getenv("DUBAN_LOG_FORMAT"))
	c.MetricsListen = strings.TrimSpace(getenv("DUBAN_METRICS_LISTEN"))
	steps := []func(func(string) string, *Config) error{
		loadAdmins, loadGroup, loadTZ, loadLogLevel, loadThresholds, loadSchedule, loadCalendar,
		loadWebhook,
	}
	for _, step := range steps {
		if err := step(getenv, &c); err != nil {
			return Config{}, err
		}
	}
	now, err := clockFrom(getenv("DUBAN_NOW"), start)
	if err != nil {
		return Config{}, err
	}
	c.Now = now
	c.Start, _ = time.Parse(time.RFC3339, strings.TrimSpace(getenv("DUBAN_NOW"))) // clockFrom checked it
	return c, nil
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func loadAdmins(getenv func(string) string, c *Config) error {
	for _, f := range strings.Split(getenv("DUBAN_ADMINS"), ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		id, err := strconv.ParseInt(f, 10, 64)
		if err != nil || id <= 0 {
			return usagef("DUBAN_ADMINS: %q is not a Telegram user id", f)
		}
		c.Admins = append(c.Admins, id)
	}
	return nil
}

func loadGroup(getenv func(string) string, c *Config) error {
	v := strings.TrimSpace(getenv("DUBAN_GROUP_CHAT"))
	if v == "" {
		return nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id == 0 {
		return usagef("DUBAN_GROUP_CHAT: %q is not a Telegram chat id", v)
	}
	c.GroupChat = id
	return nil
}

func loadTZ(getenv func(string) string, c *Config) error {
	name := orDefault(getenv("DUBAN_TZ"), "Asia/Shanghai")
	loc, err := time.LoadLocation(name)
	if err != nil {
		return usagef("DUBAN_TZ: unknown time zone %q", name)
	}
	c.Loc = loc
	return nil
}

func loadLogLevel(_ func(string) string, c *Config) error {
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return usagef("DUBAN_LOG_LEVEL: %q is not one of debug, info, warn, error", c.LogLevel)
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		return usagef("DUBAN_LOG_FORMAT: %q is not text or json", c.LogFormat)
	}
	return nil
}

func loadThresholds(getenv func(string) string, c *Config) error {
	c.Thresholds = progress.DefaultThresholds()
	v := strings.TrimSpace(getenv("DUBAN_LIGHTS"))
	if v == "" {
		return nil
	}
	parts := strings.Split(v, ",")
	if len(parts) != 2 {
		return usagef("DUBAN_LIGHTS: %q must be two numbers of points behind pace, yellow,red (e.g. 10,30)", v)
	}
	y, err1 := strconv.ParseFloat(strings.TrimSpace(parts[0]), 64)
	r, err2 := strconv.ParseFloat(strings.TrimSpace(parts[1]), 64)
	th := progress.Thresholds{Yellow: y, Red: r}
	if err1 != nil || err2 != nil || th.Validate() != nil {
		return usagef("DUBAN_LIGHTS: %q must be two numbers 0 < yellow < red <= 100", v)
	}
	c.Thresholds = th
	return nil
}

func loadSchedule(getenv func(string) string, c *Config) error {
	s := calendar.Schedule{Loc: c.Loc}
	if v := strings.TrimSpace(getenv("DUBAN_PERIOD")); v != "" {
		f, err := calendar.ParseFrequency(v)
		if err != nil {
			return usagef("DUBAN_PERIOD: %q is not monthly, quarterly or weekly", v)
		}
		s.Frequency = f
	}
	if err := loadDeadline(getenv("DUBAN_DEADLINE"), &s); err != nil {
		return err
	}
	if err := loadLadder(getenv("DUBAN_LADDER"), &s); err != nil {
		return err
	}
	n, err := s.Normalized()
	if err != nil {
		return usagef("DUBAN_DEADLINE, DUBAN_LADDER: %v", err)
	}
	c.Schedule = n
	return nil
}

// loadDeadline reads "25" (day of month), "25 17:00" or "workday:3 17:00".
func loadDeadline(v string, s *calendar.Schedule) error {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	fields := strings.Fields(v)
	day := fields[0]
	if rest, ok := strings.CutPrefix(day, "workday:"); ok {
		n, err := strconv.Atoi(rest)
		if err != nil || n <= 0 {
			return usagef("DUBAN_DEADLINE: %q: want workday:N with N ≥ 1", v)
		}
		s.NthWorkday = n
	} else {
		n, err := strconv.Atoi(day)
		if err != nil || n <= 0 || n > 31 {
			return usagef("DUBAN_DEADLINE: %q: want a day of month 1–31, or workday:N", v)
		}
		s.DeadlineDay = n
	}
	if len(fields) > 1 {
		t, err := time.Parse("15:04", fields[1])
		if err != nil {
			return usagef("DUBAN_DEADLINE: %q: the time must look like 17:00", v)
		}
		s.DeadlineClock = time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	return nil
}

// loadLadder reads the reminder ladder's timing, e.g.
// "blue=5,lastcall=on,yellow=on,red=3,at=09:00,digest=09:00": blue's working
// days before the deadline, red's working days after yellow, "off" for a
// rung not sent, and the time of day of the rungs and of the Monday digest.
func loadLadder(v string, s *calendar.Schedule) error {
	for _, item := range strings.Split(v, ",") {
		key, val, _ := strings.Cut(strings.TrimSpace(item), "=")
		if key == "" {
			continue
		}
		if err := ladderSetting(strings.ToLower(key), strings.TrimSpace(val), s); err != nil {
			return usagef("DUBAN_LADDER: %q: %v", item, err)
		}
	}
	return nil
}

func ladderSetting(key, val string, s *calendar.Schedule) error {
	rung := map[string]calendar.Rung{"blue": calendar.RungBlue, "lastcall": calendar.RungLastCall,
		"yellow": calendar.RungYellow, "red": calendar.RungRed}
	switch key {
	case "at", "digest":
		t, err := time.Parse("15:04", val)
		if err != nil {
			return errors.New("the time must look like 09:00")
		}
		clock := time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
		if key == "at" {
			s.RungClock = clock
		} else {
			s.DigestClock = clock
		}
		return nil
	}
	r, ok := rung[key]
	if !ok {
		return errors.New("keys are blue, lastcall, yellow, red, at, digest")
	}
	switch {
	case val == "off":
		s.Off = s.Off.With(r)
	case val == "on" && (r == calendar.RungLastCall || r == calendar.RungYellow):
	case r == calendar.RungBlue || r == calendar.RungRed:
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 || n > 20 {
			return errors.New("want a number of working days 1–20, or off")
		}
		if r == calendar.RungBlue {
			s.BlueWorkdaysBefore = n
		} else {
			s.RedWorkdaysAfterYellow = n
		}
	default:
		return errors.New("want on or off")
	}
	return nil
}

func loadCalendar(_ func(string) string, c *Config) error {
	cal, err := calendar.Default()
	if err != nil {
		return fmt.Errorf("built-in holiday calendar: %w", err)
	}
	if c.Holidays != "" {
		f, err := os.Open(c.Holidays)
		if err != nil {
			return usagef("DUBAN_HOLIDAYS: %v", err)
		}
		defer f.Close()
		extra, err := calendar.LoadCalendar(f)
		if err != nil {
			return usagef("DUBAN_HOLIDAYS: %v", err)
		}
		if cal, err = cal.Merge(extra); err != nil {
			return usagef("DUBAN_HOLIDAYS: %v", err)
		}
	}
	c.Calendar = cal
	return nil
}

// clockFrom returns the bot's clock: the real one, or one that starts at
// DUBAN_NOW and runs on from there.
func clockFrom(v string, real func() time.Time) (func() time.Time, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return real, nil
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return nil, usagef("DUBAN_NOW: %q is not an RFC 3339 time such as 2022-05-20T09:00:00+08:00", v)
	}
	origin := real()
	return func() time.Time { return at.Add(real().Sub(origin)) }, nil
}
