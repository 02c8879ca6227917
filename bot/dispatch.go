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
	queues []chan *tgmodels.Update
	wg     sync.WaitGroup
}

// NewDispatcher makes a dispatcher with n queues for handle.
func NewDispatcher(n int, handle func(context.Context, *tgmodels.Update)) *Dispatcher {
	d := &Dispatcher{handle: handle, seed: maphash.MakeSeed(), queues: make([]chan *tgmodels.Update, n)}
	for i := range d.queues {
		d.queues[i] = make(chan *tgmodels.Update, 64)
	}
	return d
}

// Run drains the queues until Close; handlers run with ctx.
func (d *Dispatcher) Run(ctx context.Context) {
	for _, q := range d.queues {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for upd := range q {
				d.handle(ctx, upd)
			}
		}()
	}
}

// Enqueue is a go-telegram default handler: it queues the update by chat.
func (d *Dispatcher) Enqueue(_ context.Context, _ *tg.Bot, upd *tgmodels.Update) {
	d.queues[d.shard(upd)] <- upd
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
