package carto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/flow"
	"github.com/carto-go/carto-auth/internal/hint"
)

// PendingLoginLifetime is how long a login started by StartLogin can be finished.
const PendingLoginLifetime = 10 * time.Minute

// ErrNoPendingLogin means FinishLogin found no login to finish: none was started, it was
// finished already, or it expired.
var ErrNoPendingLogin = errors.New("no pending login")

// pending is a started copy-code login waiting for its code, kept on disk (0600) between two
// cells. Its authorization request carried no state (see copyCode), so none is kept.
type pending struct {
	Identity    identity `json:"identity"`
	Verifier    string   `json:"verifier"`
	RedirectURI string   `json:"redirect_uri"`
	Expires     int64    `json:"expires"` // Unix seconds
}

// StartLogin begins a two-cell login for frontends without input boxes: it shows the login
// (card or terminal lines) and stores the pending login, then returns at once. Paste the code
// the login page shows into FinishLogin, in a later cell, within PendingLoginLifetime. It uses
// the copy-code flow and needs the on-disk cache.
func StartLogin(ctx context.Context, opts *OAuthOptions) error {
	l, err := newOAuthLogin(opts, readFacts(), false)
	if err != nil {
		return err
	}
	set, path := l.cfg.set, l.auth.cache.PendingPath()
	if path == "" {
		return errors.New("the two-cell login keeps its state on disk; it cannot run with NoCache")
	}
	at := flow.New(l.attempt(l.prompter(), false))
	p := pending{Identity: l.auth.id, Verifier: at.Verifier(), RedirectURI: set.ep.CopyCode,
		Expires: set.now().Add(PendingLoginLifetime).Unix()}
	body, _ := json.Marshal(p)
	if err := cache.EnsurePrivateDir(set.cacheDir); err != nil {
		return err
	}
	if err := cache.WriteFileAtomic(path, body); err != nil {
		return err
	}
	at.Start(ctx, time.Unix(p.Expires, 0))
	return nil
}

// FinishLogin completes the login StartLogin began, with the code (or the whole redirect URL)
// the user pasted, and returns the logged-in Auth. opts must name the same identity (auth
// server, client, organization, API base URL) as in StartLogin.
func FinishLogin(ctx context.Context, pasted string, opts *OAuthOptions) (*Auth, error) {
	l, err := newOAuthLogin(opts, readFacts(), false)
	if err != nil {
		return nil, err
	}
	// The pending login is exchanged and the new entry kept, all through the cache writer.
	e, _, err := l.auth.cache.Update(ctx, cache.Wait{}, finished{l, pasted})
	if err != nil {
		return nil, cacheError(err)
	}
	if l.auth.APIBaseURL() == "" { // discovery failed in finish; try once more, and report
		if err := l.discoverInto(ctx, e); err != nil {
			return nil, err
		}
	}
	l.auth.source = SourceInteractive
	return l.auth, nil
}

// finished is the Change of a two-cell login's second cell: the pending login, finished with
// the pasted code, replaces whatever the cache holds. The pending login is removed once it has
// succeeded (single use).
type finished struct {
	l      *oauthLogin
	pasted string
}

func (finished) Satisfied(*entry) bool { return false }

func (f finished) Apply(ctx context.Context, _ *entry, lock cache.Lock) (*entry, error) {
	l := f.l
	path := l.auth.cache.PendingPath()
	p, err := readPending(path, l.auth.id, l.cfg.set.now())
	if err != nil {
		return nil, err
	}
	at := flow.Resume(l.attempt(l.prompter(), false), p.Verifier)
	t, err := at.Finish(ctx, f.pasted, p.RedirectURI)
	if IsInvalidGrant(err) {
		return nil, fmt.Errorf("finishing the login: %w (open the login link again for a new code; it works until the pending login expires)", err)
	}
	if err != nil {
		return nil, fmt.Errorf("finishing the login: %w", err)
	}
	os.Remove(path)
	return l.finish(ctx, at, t, FlowCopyCode, lock)
}

// readPending reads the pending login of id at path, refusing one that expired by now.
func readPending(path string, id identity, now time.Time) (*pending, error) {
	body, err := cache.ReadPrivate(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, hint.With(fmt.Errorf("%w: it was finished already or never started", ErrNoPendingLogin), hint.StartLogin)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the pending login: %w", err)
	}
	var p pending
	if err := json.Unmarshal(body, &p); err != nil || p.Identity != id || p.Verifier == "" {
		return nil, hint.With(fmt.Errorf("%w: the pending login file is damaged or for other options", ErrNoPendingLogin), hint.StartLogin)
	}
	if now.Unix() > p.Expires {
		os.Remove(path)
		return nil, hint.With(fmt.Errorf("%w: the pending login expired at %s", ErrNoPendingLogin, time.Unix(p.Expires, 0).Local().Format("15:04")), hint.StartLogin)
	}
	return &p, nil
}
