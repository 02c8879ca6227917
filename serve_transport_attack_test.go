package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"

	"github.com/duban-bot/duban/telemetry"
)

// Attacks on wholeBody: bodies of unknown length at and around the 64 KiB
// boundary, empty bodies, read errors, replays, and concurrent use.

type received struct {
	body    []byte
	length  int64
	chunked bool
}

func echoServer(t *testing.T) (*httptest.Server, func() received) {
	t.Helper()
	var mu sync.Mutex
	var last received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		last = received{body: b, length: r.ContentLength, chunked: len(r.TransferEncoding) > 0}
		mu.Unlock()
		w.Header().Set("X-Sum", fmt.Sprint(len(b)))
		fmt.Fprint(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, func() received { mu.Lock(); defer mu.Unlock(); return last }
}

// pipeRequest is what go-telegram/bot sends: a POST whose body is the
// read end of a pipe, ContentLength 0, no GetBody.
func pipeRequest(t *testing.T, ctx context.Context, url string, body []byte) *http.Request {
	t.Helper()
	pr, pw := io.Pipe()
	go func() {
		// Written in pieces, as multipart.Writer does.
		for len(body) > 0 {
			n := min(len(body), 4096)
			if _, err := pw.Write(body[:n]); err != nil {
				return
			}
			body = body[n:]
		}
		_ = pw.Close()
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, pr)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestAttackWholeBodyBoundary(t *testing.T) {
	srv, last := echoServer(t)
	client := &http.Client{Transport: wholeBody{http.DefaultTransport}}
	for _, size := range []int{1, maxWholeBody - 1, maxWholeBody, maxWholeBody + 1, 2*maxWholeBody + 7} {
		body := make([]byte, size)
		for i := range body {
			body[i] = byte('a' + i%26)
		}
		resp, err := client.Do(pipeRequest(t, context.Background(), srv.URL, body))
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		got := last()
		if !bytes.Equal(got.body, body) {
			t.Errorf("%d bytes arrived as %d bytes, intact=%v", size, len(got.body), bytes.Equal(got.body, body))
		}
		whole := size <= maxWholeBody
		if whole && (got.chunked || got.length != int64(size)) {
			t.Errorf("%d bytes (≤ %d) arrived chunked=%v length=%d, want one body of known length", size, maxWholeBody, got.chunked, got.length)
		}
		if !whole && !got.chunked {
			t.Errorf("%d bytes (> %d) arrived with length %d, want it streamed", size, maxWholeBody, got.length)
		}
	}
}

// A method called without parameters (getMe, close, logOut,
// getWebhookInfo) has an empty pipe body.
func TestAttackWholeBodyEmptyBodyGoesOutWithALength(t *testing.T) {
	srv, last := echoServer(t)
	client := &http.Client{Transport: wholeBody{http.DefaultTransport}}
	resp, err := client.Do(pipeRequest(t, context.Background(), srv.URL, nil))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := last(); got.chunked || len(got.body) != 0 {
		t.Errorf("an empty body arrived chunked=%v length=%d (%d bytes); want Content-Length: 0, not chunked", got.chunked, got.length, len(got.body))
	}
}

// A body of known content but ContentLength 0 (unknown, for a client
// request) is read whole as well.
func TestAttackWholeBodyZeroLengthButNotEmpty(t *testing.T) {
	srv, last := echoServer(t)
	client := &http.Client{Transport: wholeBody{http.DefaultTransport}}
	req, err := http.NewRequest(http.MethodPost, srv.URL, io.NopCloser(strings.NewReader("hello")))
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = 0
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := last(); string(got.body) != "hello" || got.chunked || got.length != 5 {
		t.Errorf("arrived %q chunked=%v length=%d", got.body, got.chunked, got.length)
	}
}

type trackedBody struct {
	io.Reader
	closed atomic.Int32
}

func (b *trackedBody) Close() error { b.closed.Add(1); return nil }

// recorder is a RoundTripper that keeps the request it was given.
type recorder struct {
	mu  sync.Mutex
	req *http.Request
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.req = req
	r.mu.Unlock()
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
}

func TestAttackWholeBodyReadErrorSurfacesAndClosesTheBody(t *testing.T) {
	broken := errors.New("form build failed")
	for _, prefix := range []int{0, 10, maxWholeBody + 10} {
		body := &trackedBody{Reader: io.MultiReader(bytes.NewReader(make([]byte, prefix)), iotestErr{broken})}
		req, err := http.NewRequest(http.MethodPost, "http://example.invalid/bot1:t/sendMessage", body)
		if err != nil {
			t.Fatal(err)
		}
		next := &recorder{}
		_, err = wholeBody{next}.RoundTrip(req)
		if prefix <= maxWholeBody {
			if !errors.Is(err, broken) {
				t.Errorf("prefix %d: err = %v, want the body's error", prefix, err)
			}
			if next.req != nil {
				t.Errorf("prefix %d: a request whose body failed was sent", prefix)
			}
		}
		if body.closed.Load() == 0 {
			t.Errorf("prefix %d: the request body was not closed", prefix)
		}
	}
}

type iotestErr struct{ err error }

func (e iotestErr) Read([]byte) (int, error) { return 0, e.err }

// The request handed on can be replayed (net/http retries a request that
// never got written when GetBody is set), and the caller's request is not
// changed.
func TestAttackWholeBodyReplaysAndLeavesTheRequestAlone(t *testing.T) {
	pr, pw := io.Pipe()
	go func() { _, _ = pw.Write([]byte("payload")); _ = pw.Close() }()
	req, err := http.NewRequest(http.MethodPost, "http://example.invalid/x", pr)
	if err != nil {
		t.Fatal(err)
	}
	next := &recorder{}
	if _, err := (wholeBody{next}).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	out := next.req
	if out == req {
		t.Fatal("the caller's request was handed on and changed")
	}
	if req.ContentLength != 0 || req.GetBody != nil || req.Body != io.ReadCloser(pr) {
		t.Errorf("the caller's request changed: length=%d getBody=%v", req.ContentLength, req.GetBody != nil)
	}
	if out.GetBody == nil {
		t.Fatal("no GetBody on the whole body")
	}
	for range 2 {
		b, err := out.GetBody()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(b)
		if string(data) != "payload" {
			t.Errorf("GetBody replays %q", data)
		}
	}
}

func TestAttackWholeBodyConcurrent(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d:%d", len(b), int(b[len(b)-1]))
	}))
	defer srv.Close()
	client := &http.Client{Transport: wholeBody{http.DefaultTransport}}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			size := maxWholeBody - 16 + i
			body := bytes.Repeat([]byte{byte(i)}, size)
			resp, err := client.Do(pipeRequest(t, context.Background(), srv.URL, body))
			if err != nil {
				errs <- err
				return
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if want := fmt.Sprintf("%d:%d", size, i); string(got) != want {
				errs <- fmt.Errorf("request %d: server saw %s, want %s", i, got, want)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// A request whose context ends while its body is still being produced
// returns (net/http's transport does). go-telegram/bot produces the body
// in a goroutine writing into a pipe, reading an upload's Data as it goes:
// a Data reader that stalls stalls the pipe. wholeBody reads the body
// before the transport sees the request, and must give up with the
// context as well (duban's uploads are built in memory, so this is
// latent).
func TestAttackWholeBodyHonoursTheContextWhileReading(t *testing.T) {
	pr, pw := io.Pipe()
	stalled := make(chan struct{})
	defer close(stalled)
	go func() {
		_, _ = pw.Write([]byte("--boundary\r\n")) // the form's start, then the upload stalls
		<-stalled
		_ = pw.Close()
	}()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://127.0.0.1:1/x", pr)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := wholeBody{http.DefaultTransport}.RoundTrip(req)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled request: err = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second): // a hang bound, not a timing assertion
		t.Error("RoundTrip still reading the body 5 s after its context was cancelled")
	}
}

// The client newAPI builds (telemetry around wholeBody around the proxy
// aware transport) sends parameterless calls, messages and documents on
// either side of the boundary intact, and a cancelled upload comes back as
// a cancellation.
func TestAttackNewAPIChainCarriesEveryBody(t *testing.T) {
	type seen struct {
		method  string
		size    int
		chunked bool
		length  int64
	}
	var mu sync.Mutex
	var log []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		log = append(log, seen{method: r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:], size: len(b), chunked: len(r.TransferEncoding) > 0, length: r.ContentLength})
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/getMe") {
			fmt.Fprint(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"b","username":"b"}}`)
			return
		}
		fmt.Fprint(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"}}}`)
	}))
	defer srv.Close()
	api, err := newAPI(Config{Token: "1:t", APIURL: srv.URL}, slog.New(slog.DiscardHandler), telemetry.New(nil, time.Now))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := api.GetMe(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := api.SendMessage(ctx, &tg.SendMessageParams{ChatID: 1, Text: "进度"}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{maxWholeBody - 1024, maxWholeBody + 1} {
		doc := bytes.Repeat([]byte("y"), n)
		_, err := api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: 1, Document: &tgmodels.InputFileUpload{Filename: "a.csv", Data: bytes.NewReader(doc)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(log) != 4 {
		t.Fatalf("server saw %d requests, want 4: %+v", len(log), log)
	}
	for _, s := range log[:3] {
		if s.chunked || s.length != int64(s.size) {
			t.Errorf("%s (%d bytes) arrived chunked=%v length=%d, want one body of known length", s.method, s.size, s.chunked, s.length)
		}
	}
	if log[3].size <= maxWholeBody {
		t.Errorf("the large document arrived with %d bytes", log[3].size)
	}
}
