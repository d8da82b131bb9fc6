package kernel

import (
	"context"
	"fmt"
	"time"

	"github.com/go-zeromq/zmq4"
)

// connect dials the four channels. Shell and stdin share one identity: GoNB sends
// input_request to the identity of the shell caller.
func (k *Kernel) connect(ctx context.Context) error {
	dial := func(s zmq4.Socket, port int) error {
		return s.Dial(k.conn.addr(port))
	}
	opts := func(id zmq4.SocketIdentity) []zmq4.Option {
		return []zmq4.Option{zmq4.WithID(id), zmq4.WithDialerRetry(100 * time.Millisecond),
			zmq4.WithDialerMaxRetries(300), zmq4.WithTimeout(10 * time.Second),
			zmq4.WithLogger(discardLogger)}
	}
	// The sockets live until Shutdown, not until ctx ends.
	bg := context.Background()
	k.shell = zmq4.NewDealer(bg, opts(k.id)...)
	k.stdin = zmq4.NewDealer(bg, opts(k.id)...)
	k.control = zmq4.NewDealer(bg, opts(zmq4.SocketIdentity("e2e-ctl-"+newID()))...)
	k.iopub = zmq4.NewSub(bg, opts(zmq4.SocketIdentity("e2e-sub-"+newID()))...)
	if err := k.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		for _, c := range []struct {
			s    zmq4.Socket
			port int
		}{{k.iopub, k.conn.IOPubPort}, {k.shell, k.conn.ShellPort}, {k.stdin, k.conn.StdinPort}, {k.control, k.conn.ControlPort}} {
			if err := dial(c.s, c.port); err != nil {
				done <- fmt.Errorf("connecting to gonb: %w", err)
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			return err
		}
	case <-ctx.Done():
		return ctx.Err()
	case <-k.exited:
		return k.exitError()
	}
	for name, s := range map[string]zmq4.Socket{"shell": k.shell, "stdin": k.stdin, "control": k.control, "iopub": k.iopub} {
		go k.readLoop(name, s)
	}
	return nil
}

// readLoop decodes messages from one socket and hands them to the waiter of their parent.
func (k *Kernel) readLoop(name string, s zmq4.Socket) {
	for {
		zm, err := s.Recv()
		if err != nil {
			return // closed by Shutdown
		}
		m, err := k.sign.decode(name, zm.Frames)
		if err != nil {
			k.stderr.Write([]byte("e2e driver: " + err.Error() + "\n"))
			continue
		}
		k.dispatch(m)
	}
}

func (k *Kernel) dispatch(m *Message) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ignored[m.ParentHeader.MsgID] {
		return
	}
	if ch, ok := k.waiters[m.ParentHeader.MsgID]; ok {
		select {
		case ch <- m:
			return
		default: // waiter's buffer is full: keep the message visible
		}
	}
	k.stray = append(k.stray, m)
}

func (k *Kernel) wait(msgID string, ch chan *Message) {
	k.mu.Lock()
	k.waiters[msgID] = ch
	k.mu.Unlock()
}

func (k *Kernel) unwait(ids ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, id := range ids {
		delete(k.waiters, id)
	}
}

// ignore drops the waiters of ids and any later message for them (late replies to the
// readiness probes).
func (k *Kernel) ignore(ids ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, id := range ids {
		delete(k.waiters, id)
		k.ignored[id] = true
	}
}

// send signs and sends a message; parent may be nil.
func (k *Kernel) send(s zmq4.Socket, msgType string, parent *Header, content any) error {
	_, err := k.sendHeader(s, k.header(msgType), parent, content)
	return err
}

func (k *Kernel) sendHeader(s zmq4.Socket, h Header, parent *Header, content any) (Header, error) {
	frames, err := k.sign.encode(h, parent, content)
	if err != nil {
		return h, err
	}
	k.sendMu.Lock()
	defer k.sendMu.Unlock()
	return h, s.SendMulti(zmq4.NewMsgFrom(frames...))
}

// waitReady resends kernel_info_request until an iopub status for one of them arrives: only
// then is the SUB socket surely subscribed.
func (k *Kernel) waitReady(ctx context.Context) error {
	ch := make(chan *Message, 256)
	var ids []string
	defer func() { k.ignore(ids...) }()
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		h := k.header("kernel_info_request")
		ids = append(ids, h.MsgID)
		k.wait(h.MsgID, ch)
		if _, err := k.sendHeader(k.shell, h, nil, map[string]any{}); err != nil {
			return err
		}
		for drained := false; !drained; {
			select {
			case m := <-ch:
				if m.Channel == "iopub" && m.Header.MsgType == "status" {
					return nil
				}
			case <-tick.C:
				drained = true
			case <-ctx.Done():
				return ctx.Err()
			case <-k.exited:
				return k.exitError()
			}
		}
	}
}
