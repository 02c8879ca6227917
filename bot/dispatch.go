package bot

import (
	"context"
	"hash/maphash"
	"strconv"
	"sync"

	tg "github.com/go-telegram/bot"
	tgmodels "github.com/go-telegram/bot/models"
)

// Dispatcher runs handlers of different chats concurrently while keeping
// each chat's updates in order: every chat hashes to one of a fixed set of
// queues, each drained by one goroutine.
type Dispatcher struct {
	handle func(context.Context, *tgmodels.Update)
	seed   maphash.Seed
	queues []chan queued
	wg     sync.WaitGroup
}

// queued is an update and what to call once it was handled.
type queued struct {
	upd  *tgmodels.Update
	done func()
}

// NewDispatcher makes a dispatcher with n queues for handle.
func NewDispatcher(n int, handle func(context.Context, *tgmodels.Update)) *Dispatcher {
	d := &Dispatcher{handle: handle, seed: maphash.MakeSeed(), queues: make([]chan queued, n)}
	for i := range d.queues {
		d.queues[i] = make(chan queued, 64)
	}
	return d
}

// Run drains the queues until Close; handlers run with ctx.
func (d *Dispatcher) Run(ctx context.Context) {
	for _, q := range d.queues {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for item := range q {
				d.handle(ctx, item.upd)
				if item.done != nil {
					item.done()
				}
			}
		}()
	}
}

// Enqueue is a go-telegram default handler: it queues the update by chat.
// duban serve polls through inbox/ and uses Submit; the benchmarks poll
// with the library.
func (d *Dispatcher) Enqueue(_ context.Context, _ *tg.Bot, upd *tgmodels.Update) {
	d.Submit(upd, nil)
}

// Submit queues the update by chat; done, when not nil, is called after
// its handler returned (the inbox marks it handled then).
func (d *Dispatcher) Submit(upd *tgmodels.Update, done func()) {
	d.queues[d.shard(upd)] <- queued{upd, done}
}

// Close stops accepting updates and waits until every queued one is handled,
// so a shutdown does not drop updates Telegram already considers delivered.
func (d *Dispatcher) Close() {
	for _, q := range d.queues {
		close(q)
	}
	d.wg.Wait()
}

func (d *Dispatcher) shard(upd *tgmodels.Update) int {
	var key int64
	switch {
	case upd.Message != nil:
		key = upd.Message.Chat.ID
	case upd.EditedMessage != nil:
		key = upd.EditedMessage.Chat.ID
	case upd.CallbackQuery != nil:
		key = upd.CallbackQuery.From.ID
	}
	return int(maphash.String(d.seed, strconv.FormatInt(key, 10)) % uint64(len(d.queues)))
}
