package telegramtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// maxUpload is Telegram's limit for files uploaded by bots.
const maxUpload = 50 << 20

// readRequest reads the parameters of an API request. go-telegram/bot always
// sends multipart/form-data, but Telegram also accepts the query string,
// url-encoded forms and JSON, so the fake does too.
func readRequest(r *http.Request) (form url.Values, files map[string][]byte, uploads map[string]string, err error) {
	form, files, uploads = r.URL.Query(), map[string][]byte{}, map[string]string{}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUpload+1<<20))
	if err != nil || len(body) == 0 {
		return form, files, uploads, err
	}
	mediaType, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "multipart/form-data":
		err = readMultipart(body, params["boundary"], form, files, uploads)
	case "application/json":
		err = readJSON(body, form)
	default:
		var values url.Values
		values, err = url.ParseQuery(string(body))
		for k, v := range values {
			form[k] = append(form[k], v...)
		}
	}
	return form, files, uploads, err
}

func readMultipart(body []byte, boundary string, form url.Values, files map[string][]byte, uploads map[string]string) error {
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read multipart: %w", err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return fmt.Errorf("read part %q: %w", part.FormName(), err)
		}
		if name := part.FileName(); name != "" {
			files[name] = data
			uploads[part.FormName()] = name
			continue
		}
		form.Add(part.FormName(), string(data))
	}
}

// readJSON flattens a JSON object the way Telegram reads it: strings as
// they are, anything else as its JSON text.
func readJSON(body []byte, form url.Values) error {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return fmt.Errorf("read json: %w", err)
	}
	for k, raw := range fields {
		var str string
		if json.Unmarshal(raw, &str) == nil {
			form.Set(k, str)
			continue
		}
		form.Set(k, string(raw))
	}
	return nil
}

// formChatID reads the numeric chat_id. go-telegram/bot sends a nil ChatID
// as "null". Channel usernames ("@name") are not supported by the fake.
func formChatID(form url.Values) (int64, *apiError) {
	raw := strings.TrimSpace(form.Get("chat_id"))
	if raw == "" || raw == "null" {
		return 0, badRequest("chat_id is empty")
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// formInt reads an optional integer parameter.
func formInt(form url.Values, name string) (int, *apiError) {
	raw := form.Get(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, badRequest(fmt.Sprintf("field %q must be of type Integer", name))
	}
	return n, nil
}
