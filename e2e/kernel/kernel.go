// Package kernel drives a GoNB kernel over the Jupyter messaging protocol (ZeroMQ), the way a
// notebook frontend does: it starts `gonb --kernel conn.json`, executes cells, answers input
// boxes, and collects every output in arrival order.
//
// Typical use in a test:
//
//	k := kernel.StartT(t, kernel.Options{GoWork: []string{repoRoot}})
//	res, err := k.Execute(ctx, `fmt.Println("hi")`, nil)
//	// res.Stdout() == "hi\n"
package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Options configures Start. The zero value works when gonb is on PATH.
type Options struct {
	// Gonb is the gonb binary; "" means "gonb" looked up on PATH.
	Gonb string
	// GoWork lists module directories the kernel puts in its go.work (flag --go_work), so cells
	// import them with no setup cell. Typically the checkout root.
	GoWork []string
	// HTMLErrors keeps GoNB's HTML error output; by default the kernel runs with --raw_error.
	HTMLErrors bool
	// Env holds extra KEY=VALUE entries for the kernel and so for every cell program
	// (for example CARTO_AUTH_SERVER=...). They override the inherited environment.
	Env []string
	// Args are extra gonb flags.
	Args []string
	// StartTimeout bounds the wait for the kernel to answer (default 60s).
	StartTimeout time.Duration
	// Log, when set, receives the kernel's stderr as it comes.
	Log io.Writer
	// InputDelay is how long the driver waits before sending an input_reply (default 100ms;
	// negative: none). GoNB v0.11.5 registers its stdin callback only after sending the
	// input_request (internal/kernel/messages.go PromptInput), so an instant reply can reach
	// the callback of an earlier, finished cell and be lost; people are never that fast.
	InputDelay time.Duration
}

// Kernel is a running GoNB kernel. Methods are safe for concurrent use.
type Kernel struct {
	cmd     *exec.Cmd
	dir     string // private temp dir: connection file, TMPDIR of the kernel
	conn    connInfo
	sign    signer
	session string
	id      zmq4.SocketIdentity

	shell, stdin, control, iopub zmq4.Socket
	sendMu                       sync.Mutex

	mu      sync.Mutex
	waiters map[string]chan *Message
	ignored map[string]bool
	stray   []*Message

	inputDelay time.Duration

	stderr  *tailBuffer
	exited  chan struct{}
	waitErr error
	once    sync.Once
}

// Start launches gonb and returns once it answers a kernel_info_request. ctx bounds the start
// only; stop the kernel with Shutdown.
func Start(ctx context.Context, opts Options) (*Kernel, error) {
	bin := opts.Gonb
	if bin == "" {
		bin = "gonb"
	}
	bin, err := exec.LookPath(bin)
	if err != nil {
		return nil, fmt.Errorf("gonb not found (run scripts/install-deps.sh): %w", err)
	}
	dir, err := os.MkdirTemp("", "e2e-kernel-")
	if err != nil {
		return nil, err
	}
	k := &Kernel{dir: dir, session: newID(), id: zmq4.SocketIdentity("e2e-" + newID()),
		waiters: map[string]chan *Message{}, ignored: map[string]bool{}, stderr: &tailBuffer{max: 64 << 10}, exited: make(chan struct{})}
	if k.conn, err = newConnInfo(); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	k.sign = signer{key: []byte(k.conn.Key)}
	k.inputDelay = opts.InputDelay
	if k.inputDelay == 0 {
		k.inputDelay = 100 * time.Millisecond
	}
	if err := k.launch(bin, opts); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	timeout := opts.StartTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	sctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := k.connect(sctx); err == nil {
		err = k.waitReady(sctx)
	}
	if err != nil {
		k.Shutdown()
		return nil, fmt.Errorf("starting gonb: %w\n--- gonb stderr ---\n%s", err, k.Stderr())
	}
	return k, nil
}

func (k *Kernel) launch(bin string, opts Options) error {
	connFile := filepath.Join(k.dir, "conn.json")
	if err := k.conn.write(connFile); err != nil {
		return err
	}
	tmp := filepath.Join(k.dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return err
	}
	args := []string{"--kernel", connFile}
	if !opts.HTMLErrors {
		args = append(args, "--raw_error")
	}
	if len(opts.GoWork) > 0 {
		args = append(args, "--go_work="+strings.Join(opts.GoWork, ","))
	}
	args = append(args, opts.Args...)
	k.cmd = exec.Command(bin, args...)
	k.cmd.Dir = k.dir
	k.cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
	k.cmd.Env = append(k.cmd.Env, opts.Env...)
	// Own process group, so Shutdown can stop cell programs too; killed if the test binary dies.
	k.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	var w io.Writer = k.stderr
	if opts.Log != nil {
		w = io.MultiWriter(k.stderr, opts.Log)
	}
	k.cmd.Stdout, k.cmd.Stderr = w, w
	if err := k.cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		k.waitErr = k.cmd.Wait()
		close(k.exited)
	}()
	return nil
}

// PID returns the kernel's process id (also its process group id).
func (k *Kernel) PID() int { return k.cmd.Process.Pid }

// Stderr returns the last 64 KiB the kernel wrote to stdout/stderr (its log).
func (k *Kernel) Stderr() string { return k.stderr.String() }

// Exited is closed when the kernel process has ended.
func (k *Kernel) Exited() <-chan struct{} { return k.exited }

// Stray returns the messages that arrived for no pending request, for example output of a cell
// program that outlived its execute_reply, or an input_request after its cell finished.
func (k *Kernel) Stray() []*Message {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]*Message(nil), k.stray...)
}

// Shutdown asks the kernel to stop, then stops its process group by PID if it has not exited
// within 5 s, closes the sockets and removes the temp dir. It is idempotent.
func (k *Kernel) Shutdown() {
	k.once.Do(func() {
		if k.control != nil {
			_ = k.send(k.control, "shutdown_request", nil, map[string]any{"restart": false})
		}
		select {
		case <-k.exited:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-k.PID(), syscall.SIGTERM)
			select {
			case <-k.exited:
			case <-time.After(3 * time.Second):
			}
		}
		_ = syscall.Kill(-k.PID(), syscall.SIGKILL) // leftovers of the group (cell programs)
		<-k.exited
		for _, s := range []zmq4.Socket{k.shell, k.stdin, k.control, k.iopub} {
			if s != nil {
				s.Close()
			}
		}
		os.RemoveAll(k.dir)
	})
}

// errExited is returned when the kernel process ends while a call waits on it.
var errExited = errors.New("gonb kernel process exited")

func (k *Kernel) exitError() error {
	return fmt.Errorf("%w (%v)\n--- gonb stderr ---\n%s", errExited, k.waitErr, k.Stderr())
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = append([]byte(nil), t.b[len(t.b)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}
