// Package delivery sends the outbox to Telegram. Jobs and handlers never
// call the Bot API for reminders; they write rows with models.Enqueue, and
// a Sender drains them within Telegram's flood limits.
//
// # Flow
//
// A Sender claims a batch of due messages (models.ClaimOutbox, which
// leases them to this sender and hands out a chat's messages in order),
// queues them, and starts each one when both its chat and the global rate
// allow. Sends run concurrently (Options.Concurrency), at most one per chat
// at a time; each reports as soon as Telegram answered, then writes its
// outcome. The queue is refilled as it runs low; Drain returns when
// nothing is due, queued, in flight or being recorded. Run repeats Drain
// and sleeps until the next message is due, Wake is called (producers in
// this process, e.g. the scheduler's OnIssued) or Poll passes (producers
// elsewhere).
//
// # Limits
//
// The limiter (limiter.go) holds three rules: one message per second to a
// chat, twenty per rolling minute to a group chat (negative id), thirty
// per rolling second overall, the last as thirty slots each reusable one
// second after its send. The per-chat and group quotas are counted from
// when a send was answered, which is later than when Telegram counted it,
// so they hold on Telegram's side however long requests take. A global
// slot is counted from the answer less the fastest of the last 32 round
// trips plus Limits.Jitter (25 ms): with steady round trips that is a
// second and 25 ms after the send, so the sender reaches 97% of 30/s for
// any round trip under a second (counting from the answer gave 30/(1+r),
// 90% at r = 100 ms); with erratic ones it falls back to the answer. A
// 429 doubles the margin (up to a second) and each minute without one
// halves it back. About 30·r requests are in flight.
// Build the *bot.Bot with an HTTP transport that keeps that many idle
// connections (bot.WithHTTPClient); the default keeps two.
//
// # Answers
//
//   - 200: MarkSent with Telegram's message_id; the message is never sent
//     again.
//   - 429: MarkRetry at now+retry_after; the chat waits retry_after and all
//     chats up to a second. A 429 never makes a message fail.
//   - 5xx, timeouts, network errors, and any other unexpected answer:
//     MarkRetry after 1s, 2s, 4s, … (at most 5 min); after MaxAttempts
//     attempts (429s included) MarkFailed.
//   - 403 (blocked, deactivated, kicked) and 400 "chat not found": the chat
//     cannot be reached. MarkFailed, and every coordinator is sent a short
//     notice (text.go) naming the recipient and quoting the first line, with
//     dedup key failed:<outbox id>:<coordinator id>.
//   - other 400s: the message is wrong; MarkFailed and an error log.
//
// A message that is retried holds back the rest of its chat's batch, so a
// chat never receives its messages out of order.
//
// # Exactly once, and the lease
//
// Telegram has no idempotency key, so "never twice" rests on the claim: a
// claimed message is sent by its holder only, and only while its lease
// (Options.Lease, default 10 min) lasts long enough to finish the send.
// Once acknowledged it is marked sent; if that write fails it is retried
// for recordBudget and then logged as DELIVERED BUT NOT RECORDED, because
// when the lease expires another claim will send it again. The lease
// trades two risks: a longer one survives a longer database outage
// without a duplicate, a shorter one lets another sender pick up the
// messages of a sender that died sooner. A sender that dies between
// Telegram's answer and the write causes the one duplicate this design
// cannot rule out; a request that timed out may also have arrived, and is
// retried. On shutdown, sends in flight are completed and recorded, not
// cancelled, and the rest of the batch is handed back at once.
//
// Several senders may share a database (holders must differ): each
// message still goes out once. Without Options.SendingLease they do not
// share rate limits. With it (duban serve sets 20 s) they take turns: only
// the holder of the sending lease (a job row, lease.go) sends, renewing it
// every quarter lease, and starts a send only while the lease outlasts the
// send's timeout, so none of its sends is open once the lease ran out. A
// sender that takes the lease over gives the previous holder's claims back
// to the outbox at once (models.TakeOverOutbox) rather than waiting out
// their 10-minute lease; the others look every Poll (or every second while
// messages are due). A holder killed mid-rung is thus replaced within the
// sending lease plus a second or so; at shutdown Run gives the lease up and
// the takeover is immediate.
package delivery
