package telegramtest

import (
	"fmt"
	"mime"
	"path/filepath"

	tgmodels "github.com/go-telegram/bot/models"
)

// inputFile is a document or photo parameter: an upload or a reused file id.
type inputFile struct {
	fileID   string
	fileName string
	size     int
}

func (s *Server) sendDocument(call Call) (any, *apiError) {
	return s.sendMedia(call, "document", func(msg *tgmodels.Message, f inputFile) {
		msg.Document = &tgmodels.Document{
			FileID:       f.fileID,
			FileUniqueID: "u-" + f.fileID,
			FileName:     f.fileName,
			MimeType:     mime.TypeByExtension(filepath.Ext(f.fileName)),
			FileSize:     int64(f.size),
		}
	})
}

func (s *Server) sendPhoto(call Call) (any, *apiError) {
	return s.sendMedia(call, "photo", func(msg *tgmodels.Message, f inputFile) {
		msg.Photo = []tgmodels.PhotoSize{{
			FileID: f.fileID, FileUniqueID: "u-" + f.fileID, Width: 320, Height: 320, FileSize: f.size,
		}}
	})
}

// sendMedia sends a message whose content is the file in form field field;
// attach fills the media part of the message.
func (s *Server) sendMedia(call Call, field string, attach func(*tgmodels.Message, inputFile)) (any, *apiError) {
	chatID, apiErr := formChatID(call.Form)
	if apiErr != nil {
		return nil, apiErr
	}
	file, apiErr := s.inputFileLocked(call, field)
	if apiErr != nil {
		return nil, apiErr
	}
	raw, mode := call.Form.Get("caption"), call.Form.Get("parse_mode")
	caption := renderText(raw, mode)
	if apiErr := checkCaption(caption); apiErr != nil {
		return nil, apiErr
	}
	kb, apiErr := parseMarkup(call.Form.Get("reply_markup"))
	if apiErr != nil {
		return nil, apiErr
	}
	msg := s.newMessageLocked(chatID, call.At, s.bot)
	msg.Caption, msg.ReplyMarkup = caption, kb.markup
	attach(&msg, file)
	return s.storeLocked(&storedMessage{msg: msg, source: mode + "\x00" + raw, markup: kb.key}), nil
}

// inputFileLocked reads the file in form field field: a multipart upload gets
// a fresh file id, a plain string is a file id or URL being reused.
func (s *Server) inputFileLocked(call Call, field string) (inputFile, *apiError) {
	if name, ok := call.uploads[field]; ok {
		data := call.Files[name]
		if len(data) == 0 {
			return inputFile{}, badRequest("file must be non-empty")
		}
		s.fileSeq++
		return inputFile{fileID: fmt.Sprintf("%s-%d", field, s.fileSeq), fileName: name, size: len(data)}, nil
	}
	if id := call.Form.Get(field); id != "" {
		return inputFile{fileID: id}, nil
	}
	return inputFile{}, badRequest(fmt.Sprintf("there is no %s in the request", field))
}
