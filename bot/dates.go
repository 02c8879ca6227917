package bot

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// dayPattern reads the dates people type: 2022-05-31, 2022/5/31, 2022.5.31,
// 2022年5月31日, and without the year 5-31, 5/31, 5.31, 5月31日.
const dayPattern = `^\s*(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?`

// parseDay reads a date at the start of text, in loc, and returns it at
// midnight with the rest of the text. A date without a year takes the year
// of `now`. ok is false when text does not start with a real date.
func parseDay(text string, now time.Time, loc *time.Location) (day time.Time, rest string, ok bool) {
	text = strings.TrimSpace(toHalfWidth(text))
	m := regexp.MustCompile(dayPattern).FindStringSubmatchIndex(text)
	if m == nil {
		return time.Time{}, text, false
	}
	part := func(i int) int {
		if m[2*i] < 0 {
			return 0
		}
		n, _ := strconv.Atoi(text[m[2*i]:m[2*i+1]])
		return n
	}
	y, mo, d := part(1), part(2), part(3)
	if y == 0 {
		y = now.In(loc).Year()
	}
	day = time.Date(y, time.Month(mo), d, 0, 0, 0, 0, loc)
	if day.Year() != y || day.Month() != time.Month(mo) || day.Day() != d {
		return time.Time{}, text, false // 2 月 30 日 and the like
	}
	return day, strings.TrimSpace(text[m[1]:]), true
}

// toHalfWidth turns full-width digits and separators (２０２２／５／３１),
// as a Chinese keyboard types them, into ASCII.
func toHalfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return '0' + (r - '０')
		}
		switch r {
		case '－':
			return '-'
		case '／':
			return '/'
		case '．':
			return '.'
		case '\u3000':
			return ' '
		}
		return r
	}, s)
}
