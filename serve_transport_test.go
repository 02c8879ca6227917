package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"
)

// seenRequest is what the Bot API server below received.
type seenRequest struct {
	chunked bool
	length  int64
	field   string // the form's text or the uploaded document
}

func wholeBodyServer(t *testing.T) (*httptest.Server, func() seenRequest) {
	var mu sync.Mutex
	var last seenRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		seen := seenRequest{chunked: len(r.TransferEncoding) > 0, length: r.ContentLength, field: r.FormValue("text")}
		if f, _, err := r.FormFile("document"); err == nil {
			data, _ := io.ReadAll(f)
			seen.field = string(data)
		}
		mu.Lock()
		last = seen
		mu.Unlock()
		fmt.Fprint(w, `{"ok":true,"result":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"}}}`)
	}))
	t.Cleanup(srv.Close)
	return srv, func() seenRequest { mu.Lock(); defer mu.Unlock(); return last }
}

func TestBotAPIRequestsGoOutWhole(t *testing.T) {
	srv, last := wholeBodyServer(t)
	client := &http.Client{Timeout: 10 * time.Second, Transport: wholeBody{http.DefaultTransport}}
	api, err := tg.New("1:t", tg.WithServerURL(srv.URL), tg.WithSkipGetMe(), tg.WithHTTPClient(time.Second, client))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	text := "填报 " + strings.Repeat("进度", 500)
	if _, err := api.SendMessage(ctx, &tg.SendMessageParams{ChatID: 1, Text: text}); err != nil {
		t.Fatal(err)
	}
	if got := last(); got.chunked || got.length <= 0 || got.field != text {
		t.Errorf("sendMessage arrived chunked=%v length=%d, text intact=%v; want one body of known length", got.chunked, got.length, got.field == text)
	}
	doc := bytes.Repeat([]byte("x"), 3*maxWholeBody)
	_, err = api.SendDocument(ctx, &tg.SendDocumentParams{ChatID: 1, Document: &tgmodels.InputFileUpload{Filename: "a.csv", Data: bytes.NewReader(doc)}})
	if err != nil {
		t.Fatal(err)
	}
	if got := last(); got.field != string(doc) {
		t.Errorf("a document larger than %d bytes arrived with %d bytes, want %d", maxWholeBody, len(got.field), len(doc))
	}
}
