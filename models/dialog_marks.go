package models

import (
	"strconv"
	"strings"
	"time"
)

// maxHandled bounds a dialog row's handled marks. A chat sends a few
// updates a minute at most, and a redelivered update arrives within
// minutes: the newest marks are the ones that matter.
const maxHandled = 64

// noteHandled is marks (a DialogState.Handled) with updateID added as
// handled now, and the marks older than UpdateWindow, or beyond the newest
// maxHandled, dropped.
func (s *Store) noteHandled(marks string, updateID int64) string {
	now := s.now().UTC()
	cutoff := now.Add(-UpdateWindow).Unix()
	kept := []string{}
	for _, m := range strings.Fields(marks) {
		id, at, ok := parseMark(m)
		if ok && at >= cutoff && id != updateID {
			kept = append(kept, m)
		}
	}
	if len(kept) >= maxHandled {
		kept = kept[len(kept)-maxHandled+1:]
	}
	kept = append(kept, strconv.FormatInt(updateID, 10)+"@"+strconv.FormatInt(now.Unix(), 10))
	return strings.Join(kept, " ")
}

// handledWithin reports whether marks holds updateID marked after cutoff.
func handledWithin(marks string, updateID int64, cutoff time.Time) bool {
	for _, m := range strings.Fields(marks) {
		if id, at, ok := parseMark(m); ok && id == updateID && at >= cutoff.Unix() {
			return true
		}
	}
	return false
}

func parseMark(m string) (id, at int64, ok bool) {
	i, t, found := strings.Cut(m, "@")
	if !found {
		return 0, 0, false
	}
	id, err1 := strconv.ParseInt(i, 10, 64)
	at, err2 := strconv.ParseInt(t, 10, 64)
	return id, at, err1 == nil && err2 == nil
}
