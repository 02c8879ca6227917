package sandbox

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Mode says how Run reads and writes.
type Mode struct {
	// Script stops at the first failed :expect or :press (or unknown
	// command) with an error naming the line; otherwise a failure is
	// printed and the next line read.
	Script bool
	Name   string // the script's name in errors
	Echo   bool   // print every line read, as the transcript's input
	Prompt bool   // print a prompt before reading (an interactive terminal)
	Color  bool   // style the output (a terminal)
}

// failure is a failed :expect or :press, or a line the sandbox cannot run.
type failure struct{ msg string }

func (f failure) Error() string { return f.msg }

func failf(format string, a ...any) error { return failure{fmt.Sprintf(format, a...)} }

// errQuit ends the session on :quit.
var errQuit = errors.New("quit")

// lastShown is how many outputs a failed script line shows.
const lastShown = 5

type session struct {
	s          *Sandbox
	m          Mode
	p          printer
	line       int
	expectFrom int // index of the first output the next :expect looks at
	expectLine int // the line of the previous :expect, 0 for the start
}

// Run reads lines from in until :quit, end of input or ctx ends (Ctrl-C),
// and writes the transcript to out. In a script, a failed check returns
// an error naming the line.
func (s *Sandbox) Run(ctx context.Context, in io.Reader, out io.Writer, m Mode) error {
	err := s.run(ctx, in, out, m)
	if ctx.Err() != nil {
		// Ctrl-C: whatever it cut short, the session ends cleanly.
		fmt.Fprintln(out)
		return nil
	}
	return err
}

func (s *Sandbox) run(ctx context.Context, in io.Reader, out io.Writer, m Mode) error {
	ses := &session{s: s, m: m, p: printer{w: out, color: m.Color}}
	ses.p.meta("sandbox clock %s %s · you are %s · :help lists the commands",
		stamp(s.clock.Now(), s.loc), s.loc, s.cast.as.label)
	// Like serve, catch up at start-up on what fell due while nobody ran.
	if err := s.tick(ctx); err != nil {
		return err
	}
	ses.show()
	stop := make(chan struct{})
	defer close(stop)
	lines := readLines(in, stop)
	for {
		if m.Prompt {
			fmt.Fprint(out, s.cast.as.label+"> ")
		}
		var text string
		select {
		case <-ctx.Done():
			return nil
		case l, ok := <-lines:
			if !ok {
				if m.Prompt { // end of input (Ctrl-D) at the prompt
					fmt.Fprintln(out)
				}
				return nil
			}
			if l.err != nil {
				return fmt.Errorf("sandbox: read input: %w", l.err)
			}
			text = l.text
		}
		ses.line++
		if err := ses.do(ctx, text); errors.Is(err, errQuit) {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// do runs one line and prints what it caused.
func (ses *session) do(ctx context.Context, raw string) error {
	text := strings.TrimSpace(strings.TrimPrefix(raw, "\ufeff"))
	if ses.m.Echo && text != "" {
		if strings.HasPrefix(text, "#") {
			ses.p.plain(text)
		} else {
			ses.p.plain(ses.s.cast.as.label + "> " + text)
		}
	}
	if text == "" || strings.HasPrefix(text, "#") {
		return nil
	}
	err := ses.exec(ctx, text)
	if errors.Is(err, errQuit) {
		return err
	}
	ses.show()
	var f failure
	if !errors.As(err, &f) {
		return err
	}
	ses.p.fail("%s", f.msg)
	if !ses.m.Script {
		return nil
	}
	ses.showLast()
	return fmt.Errorf("%s:%d: %s", ses.m.Name, ses.line, f.msg)
}

// show prints the outputs not printed yet.
func (ses *session) show() {
	for _, o := range ses.s.rec.unprinted() {
		ses.p.output(ses.block(o))
	}
}

func (ses *session) block(o output) (string, string) {
	label := ses.s.cast.as.label
	if o.kind != outToast {
		label = ses.s.cast.chatLabel(o.chat)
	}
	return block(o, label)
}

// showLast prints the newest outputs again, after a failed script line.
func (ses *session) showLast() {
	all, _ := ses.s.rec.since(0)
	from := max(0, len(all)-lastShown)
	ses.p.meta("the last %d bot outputs:", len(all)-from)
	for _, o := range all[from:] {
		ses.p.output(ses.block(o))
	}
}

// exec runs a line: a sandbox command, a button number, or a chat message.
func (ses *session) exec(ctx context.Context, text string) error {
	if strings.HasPrefix(text, ":") {
		return ses.command(ctx, text)
	}
	if n, ok := buttonNumber(text); ok {
		if msg, found := ses.s.rec.keyboard(ses.s.cast.as.chat); found && n <= len(buttons(msg.ReplyMarkup)) {
			return ses.s.press(ctx, msg, buttons(msg.ReplyMarkup)[n-1])
		}
	}
	return ses.s.say(ctx, text)
}

// command runs a `:` command.
func (ses *session) command(ctx context.Context, text string) error {
	name, arg, _ := strings.Cut(text, " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ":as":
		return ses.as(ctx, arg)
	case ":time":
		return ses.advance(ctx, arg)
	case ":press":
		return ses.press(ctx, arg)
	case ":expect":
		return ses.expect(arg)
	case ":say":
		return ses.s.say(ctx, arg)
	case ":who":
		return ses.who(ctx)
	case ":help":
		ses.p.plain(helpText)
		return nil
	case ":quit", ":q", ":exit":
		return errQuit
	}
	return failf("unknown command %s; %s", name, helpOneLine)
}

// buttonNumber reads a line that is only a small positive number.
func buttonNumber(text string) (int, bool) {
	n := 0
	for _, r := range text {
		if r < '0' || r > '9' || n > 100 {
			return 0, false
		}
		n = n*10 + int(r-'0')
	}
	return n, n > 0
}

// line is one line of input, or the error that ended it.
type line struct {
	text string
	err  error
}

// readLines reads in on its own goroutine, so that Ctrl-C ends a session
// waiting for a line. The goroutine ends at the end of the input or, once
// stop is closed, after the read in progress returns (a terminal's read
// does not return before the process exits).
func readLines(in io.Reader, stop <-chan struct{}) <-chan line {
	ch := make(chan line)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			select {
			case ch <- line{text: sc.Text()}:
			case <-stop:
				return
			}
		}
		if err := sc.Err(); err != nil {
			select {
			case ch <- line{err: err}:
			case <-stop:
			}
		}
	}()
	return ch
}
