package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// maxWholeBody is the largest request body wholeBody sends in one piece; a
// document upload above it streams as before.
const maxWholeBody = 64 << 10

// wholeBody sends a request body of unknown length as one body of known
// length. go-telegram/bot writes its multipart form into an io.Pipe, so
// net/http sent every request chunked and flushed each chunk: a
// sendMessage cost about nine write system calls, and the server as many
// reads, where one of each does. A body larger than maxWholeBody (an
// export sent as a document) streams on after the part already read.
type wholeBody struct{ next http.RoundTripper }

func (t wholeBody) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body == nil || req.Body == http.NoBody || req.ContentLength > 0 {
		return t.next.RoundTrip(req)
	}
	// The body is produced as it is read (a pipe): a cancelled request
	// closes it, so a stalled producer does not hold the request past its
	// context, as net/http would not.
	stop := context.AfterFunc(req.Context(), func() { _ = req.Body.Close() })
	head, err := io.ReadAll(io.LimitReader(req.Body, maxWholeBody+1))
	stop()
	if err != nil {
		_ = req.Body.Close()
		if ctxErr := req.Context().Err(); ctxErr != nil {
			err = ctxErr
		}
		return nil, fmt.Errorf("read request body: %w", err)
	}
	out := req.Clone(req.Context()) // a RoundTripper must not change the request
	if len(head) > maxWholeBody {
		out.Body = readCloser{io.MultiReader(bytes.NewReader(head), req.Body), req.Body}
		return t.next.RoundTrip(out)
	}
	_ = req.Body.Close()
	if len(head) == 0 {
		// net/http sends a POST's non-nil body of length 0 chunked.
		out.Body, out.GetBody = http.NoBody, func() (io.ReadCloser, error) { return http.NoBody, nil }
		return t.next.RoundTrip(out)
	}
	out.ContentLength = int64(len(head))
	out.Body = io.NopCloser(bytes.NewReader(head))
	out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(head)), nil }
	return t.next.RoundTrip(out)
}

type readCloser struct {
	io.Reader
	io.Closer
}
