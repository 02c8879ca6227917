package bot

import tgmodels "github.com/go-telegram/bot/models"

// editedRequest turns a message the user edited in a private chat into a
// request, so the user learns that the edit was not read: a value fixed by
// editing would otherwise look corrected while the typed one is confirmed.
// Edits in groups are chatter and get nothing.
func editedRequest(upd *tgmodels.Update) (*request, bool) {
	m := upd.EditedMessage
	if m.From == nil || m.Chat.Type != tgmodels.ChatTypePrivate {
		return nil, false
	}
	return &request{upd: upd, chatID: m.Chat.ID, private: true, user: *m.From, msg: m}, true
}
