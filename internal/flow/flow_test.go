package flow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// shownPrompter records what it is shown and never answers.
type shownPrompter struct {
	mu    sync.Mutex
	shown []prompt.Login
}

func (p *shownPrompter) Show(_ context.Context, l prompt.Login) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.shown = append(p.shown, l)
	return nil
}

func (p *shownPrompter) SetStatus(context.Context, prompt.Status) error { return nil }

func (p *shownPrompter) ReadCode(ctx context.Context, _ string) (string, error) {
	<-ctx.Done()
	return "", ctx.Err()
}

// waitShown returns the n-th login shown, waiting up to 2 s for it.
func (p *shownPrompter) waitShown(t *testing.T, n int) prompt.Login {
	t.Helper()
	for range 200 {
		p.mu.Lock()
		if len(p.shown) >= n {
			l := p.shown[n-1]
			p.mu.Unlock()
			return l
		}
		p.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("fewer than %d logins shown", n)
	return prompt.Login{}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func get(t *testing.T, u string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

// TestOneClickProbeSwitchesTheCard: the card shows the copy-code login with a probe; once the
// person's browser loads the probe, the card adds the one-click link and keeps the copy-code
// one; a callback ends the attempt.
func TestOneClickProbeSwitchesTheCard(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	p := &shownPrompter{}
	a := New(Attempt{Prompter: p, CopyCodeURI: "https://app.example.test/auth/token", LoopbackHost: "localhost",
		LoopbackPort: port, Log: slog.New(slog.DiscardHandler)})
	a.OAuth.ClientID, a.OAuth.Endpoint.AuthURL = "client", "https://auth.example.test/authorize"
	type result struct {
		flow prompt.Flow
		err  error
	}
	done := make(chan result, 1)
	go func() {
		_, fl, err := a.Run(context.Background(), Plan{Choice: Choice{Flow: prompt.FlowCopyCode}, OneClick: true})
		done <- result{fl, err}
	}()
	probe := p.waitShown(t, 1).ProbeURL
	if !strings.HasPrefix(probe, fmt.Sprintf("http://localhost:%d/probe", port)) {
		t.Fatalf("probe URL %q", probe)
	}
	get(t, probe)
	l := p.waitShown(t, 2) // one click added; the copy-code link (and so its QR code) stays
	if l.Flow != prompt.FlowCopyCode || l.URL != p.waitShown(t, 1).URL ||
		!strings.Contains(l.OneClickURL, url.QueryEscape(fmt.Sprintf("http://localhost:%d/callback/", port))) {
		t.Fatalf("after the probe the card shows %+v", l)
	}
	get(t, fmt.Sprintf("http://localhost:%d/callback/?state=%s&error=access_denied", port, a.state))
	if r := <-done; r.flow != prompt.FlowLoopback || !errors.Is(r.err, ErrAccessDenied) {
		t.Fatalf("Run = %v, %v", r.flow, r.err)
	}
}

func TestLoopbackServesIPv4AndIPv6(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	lb, err := startLoopback("localhost", port, "s", func(string, ...any) {})
	if err != nil {
		t.Fatal(err)
	}
	defer lb.close()
	for _, host := range []string{"127.0.0.1", "::1"} {
		conn, err := net.Dial("tcp", net.JoinHostPort(host, fmt.Sprint(port)))
		if err != nil {
			if host == "::1" && strings.Contains(err.Error(), "cannot assign") && !inCI() {
				t.Log("no IPv6 loopback on this machine; CI must have one")
				continue
			}
			t.Errorf("%s: %v", host, err)
			continue
		}
		conn.Close()
	}
}

// inCI reports a CI run (CI set to a true value), where a test may not skip.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

func TestLoopbackPortBusyOnIPv6IsBusy(t *testing.T) {
	t.Parallel()
	port := freePort(t)
	ln6, err := net.Listen("tcp", net.JoinHostPort("::1", fmt.Sprint(port)))
	if err != nil {
		if inCI() {
			t.Fatal("CI must cover the IPv6 half of localhost, but [::1] cannot be bound:", err)
		}
		t.Skip("no IPv6 loopback on this machine:", err)
	}
	defer ln6.Close()
	if lb, err := startLoopback("localhost", port, "s", func(string, ...any) {}); !errors.Is(err, errPortBusy) {
		if lb != nil {
			lb.close()
		}
		t.Fatalf("err = %v; another program on [::1]:%d would receive the callback", err, port)
	}
}
