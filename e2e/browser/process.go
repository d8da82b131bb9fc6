package browser

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// process is a server a test started (Jupyter, JupyterHub): its output kept, its exit watched,
// stopped by its PID.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{}
	out    strings.Builder
}

// start starts cmd in a process group of its own, killed if this process dies, with its output
// kept (and copied to log when set).
func (p *process) start(cmd *exec.Cmd, log io.Writer) error {
	p.cmd, p.exited = cmd, make(chan struct{})
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	var w io.Writer = &lockedWriter{b: &p.out}
	if log != nil {
		w = io.MultiWriter(w, log)
	}
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", cmd.Path, err)
	}
	go func() { cmd.Wait(); close(p.exited) }()
	return nil
}

// waitHTTP polls url until it answers 200 OK, bounded by d; it gives up at once if the process
// exits. what names the URL in errors (the URL may carry a token).
func (p *process) waitHTTP(ctx context.Context, url, what string, d time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-p.exited:
			return fmt.Errorf("%s exited", p.cmd.Path)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// PID returns the process id (also its process group id).
func (p *process) PID() int { return p.cmd.Process.Pid }

// Output returns what the process printed so far.
func (p *process) Output() string { return lockedString(&p.out) }

// stop sends one SIGTERM (a second would ask Jupyter to confirm), waits up to grace, then kills
// the process group, and finally kills what was below the process when stop began (kernels
// and single-user servers run in sessions of their own).
func (p *process) stop(grace time.Duration) {
	below := descendants(p.PID())
	defer killGroups(below)
	select {
	case <-p.exited:
	default:
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(grace):
		}
	}
	_ = syscall.Kill(-p.PID(), syscall.SIGKILL)
	<-p.exited
}

// descendants returns every process below pid, children first.
func descendants(pid int) []int {
	var out []int
	for queue := []int{pid}; len(queue) > 0; queue = queue[1:] {
		c := Children(queue[0])
		out = append(out, c...)
		queue = append(queue, c...)
	}
	return out
}
