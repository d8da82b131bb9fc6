package carto

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
)

func TestUnwritableCacheDegradesToMemory(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, nil, 0o600)
	opts := &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: filepath.Join(file, "cache")}} // not a folder
	var a *Auth
	out := captureStderr(t, func() {
		var err error
		if a, err = FromM2M(context.Background(), writeCreds(t, srv), opts); err != nil {
			t.Errorf("an unwritable cache failed the login: %v", err)
		}
	})
	if a == nil {
		t.FailNow()
	}
	if !strings.Contains(out, "in memory") {
		t.Errorf("no warning; stderr = %q", out)
	}
	tok, err := a.AccessToken(context.Background())
	if err != nil || !srv.ValidAccessToken(tok) || srv.Count(cartotest.EndpointTokenCC) != 1 {
		t.Errorf("in-memory token: %v, requests %d", err, srv.Count(cartotest.EndpointTokenCC))
	}
}

func TestSecondLoginWaitsForTheFirstInsteadOfPrompting(t *testing.T) {
	t.Parallel()
	srv, first, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	good := *first.cache.Current()
	e := expired(&good) // the cache now holds an expired token…
	e.RefreshToken = "" // …with no way to refresh it: a new login is needed
	putEntry(t, first, e)

	held := holdLock(t, first, false) // "another notebook" is logging in
	p := &fakePrompter{answer: func(LoginMessage, int) (string, error) { t.Error("prompted a second login"); return "", nil }}
	opts.Prompter = p
	done := make(chan error, 1)
	go func() {
		_, err := FromOAuth(context.Background(), opts)
		done <- err
	}()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(p.statusTexts(), "Another login for this CARTO account is in progress") {
		if time.Now().After(deadline) {
			t.Fatalf("the waiting login never said so: %q", p.statusTexts())
		}
		time.Sleep(20 * time.Millisecond)
	}
	held.finish(&good) // the other login finishes and stores its token
	if err := <-done; err != nil {
		t.Fatalf("the waiting login: %v", err)
	}
	if p.reads != 0 || len(p.shown) != 0 {
		t.Errorf("prompted: reads %d shown %d", p.reads, len(p.shown))
	}
	if !strings.Contains(p.statusTexts(), fmt.Sprintf("process %d", os.Getpid())) {
		t.Errorf("the holder's process id is missing: %q", p.statusTexts())
	}
	if last := p.statuses[len(p.statuses)-1]; last.State != StateDone || !strings.Contains(last.Text, "Logged in") {
		t.Errorf("after adopting the other login's token the status ends as %+v, want logged in", last)
	}
	if n := srv.Count(cartotest.EndpointAuthorize); n != 1 {
		t.Errorf("authorize requests %d, want only the first login's", n)
	}
}

func TestCallersThatMayNotPromptGiveUpOnAnotherProcesssLogin(t *testing.T) {
	t.Parallel()
	_, first, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	e := expired(first.cache.Current())
	e.RefreshToken = "" // expired, no way to refresh: a login is needed
	putEntry(t, first, e)
	held := holdLock(t, first, true) // another process's login, waiting for a person

	opts.DisableInteraction, opts.Prompter = true, &fakePrompter{}
	start := time.Now()
	_, err := FromOAuth(context.Background(), opts)
	if took := time.Since(start); !errors.Is(err, ErrInteractionRequired) || !errors.Is(err, ErrLoginInProgress) || took > 10*time.Second {
		t.Fatalf("FromOAuth without interaction: %v after %s; want ErrInteractionRequired/ErrLoginInProgress within 10 s", err, took)
	}
	if !strings.Contains(err.Error(), fmt.Sprintf("process %d", os.Getpid())) {
		t.Errorf("the error does not name the process holding the login: %v", err)
	}

	// A renewal ahead of expiry never waits for a person: the current token stands.
	held.finish(nil)
	ahead := *first.cache.Current() // still usable, but due for a refresh
	ahead.Expiry = time.Now().Add(100 * time.Second).Truncate(time.Second)
	ahead.IssuedAt = ahead.Expiry.Add(-3600 * time.Second)
	putEntry(t, first, &ahead)
	held = holdLock(t, first, true)
	defer held.finish(nil)
	start = time.Now()
	tok, err := first.AccessToken(context.Background())
	if took := time.Since(start); err != nil || tok != ahead.AccessToken || took > 10*time.Second {
		t.Errorf("ahead of expiry: %v, same token %v, after %s", err, tok == ahead.AccessToken, took)
	}
}
