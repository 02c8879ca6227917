package sandbox

import "time"

// Names of the sandbox's chats in the transcript, as the office calls them.
const (
	labelCoordinator   = "督查考核办"
	labelGroup         = "督查考核办群"
	labelStranger      = "陌生人"
	labelContactSuffix = "联络员"
	labelEdit          = "编辑"
	labelToast         = "弹出提示"
	labelRefused       = "Bot API 拒绝"
)

// The sandbox's own lines. Like the rest of the command line they are
// English; what the bot says comes from its catalog.
const (
	errNoSuchPersona = "no such person: want coordinator, group, stranger or a department such as 市科协:"
	helpOneLine      = "commands: :as WHO, :time WHEN, :press LABEL, :expect REGEX, :say TEXT, :who, :help, :quit"
	helpText         = `Type a message or a /command as the person you are now; a number presses that
button of the newest message with buttons in your chat.
  :as coordinator | :as 市科协 | :as group | :as stranger
                     act as the coordinator, a department's contact (bound
                     through an invite on first use), the coordinator in the
                     coordinators' group, or somebody the bot does not know
  :time 2022-05-26 09:30 | :time +3d | :time +2h
                     move the clock forward; reminders, escalations and
                     digests due on the way are sent as they fall due
  :press LABEL       press the button whose label contains LABEL (or matches /regex/)
  :expect REGEX      check that some bot output since the last :expect matches
  :say TEXT          send TEXT as it is (a bare number, or text starting with :)
  :who               who you are, the clock, who is bound
  :help, :quit       this help; leave (so do end of input and Ctrl-C)`
)

// weekdays are the short Chinese weekday names the bot uses too.
var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// stamp formats an instant of the sandbox's clock: "2022-05-20 09:30（周五）".
func stamp(t time.Time, loc *time.Location) string {
	t = t.In(loc)
	return t.Format("2006-01-02 15:04") + "（" + weekdays[t.Weekday()] + "）"
}
