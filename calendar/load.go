package calendar

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

//go:embed holidays.yaml
var defaultHolidays string

// maxBlockDays bounds one holiday or workday range; the longest Chinese
// holiday block is 9 days, so anything near a month is a typo.
const maxBlockDays = 31

type yearSpec struct {
	Holidays []entrySpec `yaml:"holidays"`
	Workdays []entrySpec `yaml:"workdays"`
}

type entrySpec struct {
	Name string `yaml:"name"`
	Days string `yaml:"days"`
}

// Default returns the calendar embedded in the binary (holidays.yaml).
func Default() (*Calendar, error) {
	c, err := LoadCalendar(strings.NewReader(defaultHolidays))
	if err != nil {
		return nil, fmt.Errorf("embedded holidays.yaml: %w", err)
	}
	return c, nil
}

// LoadCalendar reads a holiday file: a map from year to its holidays (days
// off, every day of each block) and workdays (weekend days that are working
// days). Errors name the year, the entry and the date at fault.
func LoadCalendar(r io.Reader) (*Calendar, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var spec map[int]yearSpec
	if err := dec.Decode(&spec); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("calendar: the file lists no year")
		}
		return nil, fmt.Errorf("calendar: malformed file: %w", err)
	}
	if len(spec) == 0 {
		return nil, errors.New("calendar: the file lists no year")
	}
	years := map[int]yearDays{}
	for _, y := range slices.Sorted(maps.Keys(spec)) {
		days, err := parseYear(y, spec[y])
		if err != nil {
			return nil, err
		}
		years[y] = days
	}
	return newCalendar(years)
}

func parseYear(year int, spec yearSpec) (yearDays, error) {
	if year < 1900 || year > 9999 {
		return yearDays{}, fmt.Errorf("calendar: %d is not a plausible year", year)
	}
	holidays, err := parseEntries(year, "holidays", spec.Holidays)
	if err != nil {
		return yearDays{}, err
	}
	workdays, err := parseEntries(year, "workdays", spec.Workdays)
	if err != nil {
		return yearDays{}, err
	}
	for _, d := range sortedDates(workdays) {
		if wd := d.weekday(); wd != time.Saturday && wd != time.Sunday {
			return yearDays{}, fmt.Errorf("calendar: %d workdays %s: %s is a %s, not a weekend day",
				year, workdays[d], d, wd)
		}
	}
	return yearDays{holidays: holidays, workdays: workdays}, nil
}

func parseEntries(year int, list string, entries []entrySpec) (map[date]string, error) {
	out := map[date]string{}
	for i, e := range entries {
		name := strings.TrimSpace(e.Name)
		if name == "" {
			name = fmt.Sprintf("#%d", i+1)
		}
		days, err := parseDays(year, e.Days)
		if err != nil {
			return nil, fmt.Errorf("calendar: %d %s %s: %w", year, list, name, err)
		}
		for _, d := range days {
			out[d] = name
		}
	}
	return out, nil
}

// parseDays reads "2022-01-29", "2022-01-31..2022-02-06" or several of
// those separated by commas. Every item must touch year: a block may spill
// into the neighbouring year (the 2023 元旦 block starts 2022-12-31).
func parseDays(year int, s string) ([]date, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errors.New("no days given")
	}
	var out []date
	for item := range strings.SplitSeq(s, ",") {
		first, last, err := parseRange(strings.TrimSpace(item))
		if err != nil {
			return nil, err
		}
		if first.y != year && last.y != year {
			return nil, fmt.Errorf("%q lies outside %d", strings.TrimSpace(item), year)
		}
		for d := first; !last.before(d); d = d.add(1) {
			out = append(out, d)
		}
	}
	return out, nil
}

func parseRange(item string) (first, last date, err error) {
	from, to, isRange := strings.Cut(item, "..")
	if first, err = parseDate(from); err != nil {
		return date{}, date{}, err
	}
	if !isRange {
		return first, first, nil
	}
	if last, err = parseDate(to); err != nil {
		return date{}, date{}, err
	}
	if last.before(first) {
		return date{}, date{}, fmt.Errorf("range %q ends before it starts", item)
	}
	if first.add(maxBlockDays).before(last) {
		return date{}, date{}, fmt.Errorf("range %q is longer than %d days", item, maxBlockDays)
	}
	return first, last, nil
}

func parseDate(s string) (date, error) {
	s = strings.TrimSpace(s)
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return date{}, fmt.Errorf("date %q is not YYYY-MM-DD: %w", s, err)
	}
	return dateOf(t), nil
}
