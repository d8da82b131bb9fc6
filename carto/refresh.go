package carto

import (
	"cmp"
	"context"
	"fmt"
	"time"

	"github.com/carto-go/carto-auth/internal/cache"
	"github.com/carto-go/carto-auth/internal/wire"
	"golang.org/x/oauth2"
)

// The OAuth side of an Auth's renewals (see renewer): refresh tokens first, a new login when
// unavoidable.

func (l *oauthLogin) obtain(ctx context.Context, last *entry, ahead bool, lock cache.Lock) (*entry, error) {
	refused := false
	if last != nil && last.RefreshToken != "" {
		e, err := l.refresh(ctx, last)
		if err == nil || !IsInvalidGrant(err) || ahead {
			return e, err // ahead of expiry the current token stands: no prompt
		}
		l.set.log.Info("the refresh token was rejected; a new login is needed", "error", err)
		refused = true
	}
	if !l.canAsk || l.cacheOnly {
		err := fmt.Errorf("%w: the cached login is missing or expired, and interaction is disabled", ErrInteractionRequired)
		if refused {
			// Forget the refused refresh token, so that no process presents it again.
			return last.WithoutRefreshToken(), fmt.Errorf("%w: %w", errRefreshRefused, err)
		}
		return nil, err
	}
	// A first login to a named profile: the browser may be logged in to CARTO as someone else.
	l.promptLogin = l.promptLogin || (last == nil && l.auth.id.Profile != "")
	return l.login(ctx, lock)
}

// wait is how a renewal of an expired login waits for another process holding the lock: when
// this one could prompt, as long as a login of its own would take, telling the person.
func (l *oauthLogin) wait(ctx context.Context) cache.Wait {
	if !l.canAsk {
		return cache.Wait{}
	}
	return cache.Wait{MayPrompt: true, Limit: cmp.Or(l.opts.Timeout, DefaultLoginTimeout) + time.Minute,
		Notice: func(h cache.Holder) { l.lockWait(ctx, h) }}
}

// revoke revokes a refresh token of this login at its auth server.
func (l *oauthLogin) revoke(ctx context.Context, refreshToken string) error {
	return l.set.client.Revoke(ctx, l.set.ep, l.auth.id.ClientID, refreshToken)
}

// refresh trades the refresh token for a new access token. A rotated refresh token comes back
// in the new entry, which the caller stores before anything else can use the old one.
func (l *oauthLogin) refresh(ctx context.Context, last *entry) (*entry, error) {
	t, err := l.set.client.FetchToken(ctx, wire.Unsent, func(ctx context.Context) (*oauth2.Token, error) {
		return l.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: last.RefreshToken}).Token()
	})
	if err != nil {
		return nil, fmt.Errorf("refreshing the CARTO token: %w", err)
	}
	e := newEntry(l.auth.id, t, l.set.now())
	if e.RefreshToken == "" {
		e.RefreshToken = last.RefreshToken
	}
	if e.Email == "" && e.Name == "" {
		e.Email, e.Name = last.Email, last.Name
	}
	e.APIBaseURL, e.TenantDomain, e.Flow = last.APIBaseURL, last.TenantDomain, last.Flow
	l.set.log.Info("refreshed the access token", "rotated", e.RefreshToken != last.RefreshToken)
	return e, nil
}

// lockWait tells the user that another process is logging this identity in.
func (l *oauthLogin) lockWait(ctx context.Context, holder cache.Holder) {
	msg := fmt.Sprintf("Another login for this CARTO account is in progress in %s; waiting for it to finish instead of opening a second login.", holder)
	l.set.log.Info(msg)
	if !l.canAsk {
		return // nothing is shown when nothing may be asked
	}
	l.setStatus(ctx, Status{State: StateWaiting, Text: msg})
}

// setStatus updates the status line outside a login's own time, for at most statusLimit.
func (l *oauthLogin) setStatus(ctx context.Context, s Status) {
	ctx, cancel := context.WithTimeout(ctx, statusLimit)
	defer cancel()
	l.getPrompter().SetStatus(ctx, s)
}

// adopted ends the status shown while waiting for another process's login, whose token this
// one now uses.
func (l *oauthLogin) adopted(ctx context.Context, e *entry) {
	l.setStatus(ctx, Status{State: StateDone,
		Text: loggedInText(e), Hint: "Logged in by the other login, whose token this cell now uses."})
}
