package carto

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/internal/apitokens"
	"github.com/carto-go/carto-auth/internal/hint"
	"github.com/carto-go/carto-auth/internal/wire"
)

// tokensLimit bounds each request to the Tokens API (a mint holds the record's lock).
const tokensLimit = 30 * time.Second

// tokensContext is ctx bounded by tokensLimit, with a cause that says who did not answer.
func tokensContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, tokensLimit, fmt.Errorf("CARTO's Tokens API did not answer within %s", tokensLimit))
}

// tokenAnswer is an API access token as the Tokens API shows it; only token is required.
type tokenAnswer struct {
	Token      string     `json:"token"`
	Grants     []APIGrant `json:"grants"`
	APIs       []string   `json:"allowed_apis"`
	Referers   []string   `json:"referers"`
	Expiration *string    `json:"expiration_date"`
	Created    *string    `json:"created_at"`
}

// tokensURL is the Tokens API's URL, with the token's path when tok is not "".
func (a *Auth) tokensURL(tok string) (string, error) {
	base := a.APIBaseURL()
	if base == "" {
		return "", ErrNoAPIBaseURL
	}
	if tok == "" {
		return base + "/v3/tokens", nil
	}
	return base + "/v3/tokens/" + url.PathEscape(tok), nil
}

// tokensError is the Tokens API's error answer; a 403 says what may cause it.
func tokensError(resp *http.Response, answer []byte) error {
	err := wire.AnswerError("tokens", resp, answer)
	if resp.StatusCode == http.StatusForbidden {
		return errNotOAuth(fmt.Errorf("%w (or the account may not manage API access tokens)", err))
	}
	return err
}

// mintAPIToken creates a token for req at the Tokens API and returns its record.
func (a *Auth) mintAPIToken(ctx context.Context, req APITokenRequest) (*apitokens.Record, error) {
	endpoint, err := a.tokensURL("")
	if err != nil {
		return nil, err
	}
	now := a.set.now()
	body := map[string]any{"grants": req.Grants, "allowed_apis": req.APIs}
	if len(req.Referers) > 0 {
		body["referers"] = req.Referers
	}
	var expires time.Time
	if !req.Permanent {
		expires = now.Add(req.Lifetime).Truncate(time.Second)
		body["expiration_date"] = expires.UTC().Format(time.RFC3339)
	}
	b, err := marshalJSON(body)
	if err != nil {
		return nil, err
	}
	ctx, cancel := tokensContext(ctx)
	defer cancel()
	resp, err := a.sendAPI(ctx, &apiRequest{method: http.MethodPost, url: endpoint, body: b}, "tokens", tokensError)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := wire.ReadLimited(resp.Body)
	var got tokenAnswer
	if err == nil {
		err = json.Unmarshal(answer, &got)
	}
	if err != nil || got.Token == "" {
		return nil, errors.New("the Tokens API's answer holds no token")
	}
	rec := &apitokens.Record{ID: apitokens.IDOf(got.Token), Token: got.Token, Grants: toRecordGrants(req.Grants),
		APIs: req.APIs, Referers: req.Referers, Created: now.Unix()}
	if !expires.IsZero() {
		rec.Expires = expires.Unix()
	}
	if got.Expiration != nil { // CARTO's own word on the expiry wins
		if t, perr := time.Parse(time.RFC3339, *got.Expiration); perr == nil {
			rec.Expires = t.Unix()
		}
	}
	a.set.log.Info("minted an API access token", "id", rec.ID, "apis", strings.Join(req.APIs, ","), "expires", rec.ExpiresAt())
	return rec, nil
}

// apiTokenKnown reports whether CARTO still knows tok (false: it answered 404).
func (a *Auth) apiTokenKnown(ctx context.Context, tok string) (bool, error) {
	unknown, err := a.tokenRequest(ctx, http.MethodGet, tok)
	return !unknown && err == nil, err
}

// deleteAtCARTO deletes tok at the Tokens API; a token CARTO does not know (404) is gone
// already, which gone reports.
func (a *Auth) deleteAtCARTO(ctx context.Context, tok string) (gone bool, err error) {
	return a.tokenRequest(ctx, http.MethodDelete, tok)
}

// tokenRequest sends method to /v3/tokens/{tok}; unknown reports a 404 (not an error). The
// token is in the URL's path: no error returned holds it (it is named by its ID).
func (a *Auth) tokenRequest(ctx context.Context, method, tok string) (unknown bool, err error) {
	endpoint, err := a.tokensURL(tok)
	if err != nil {
		return false, err
	}
	ctx, cancel := tokensContext(ctx)
	defer cancel()
	resp, err := a.sendAPI(ctx, &apiRequest{method: method, url: endpoint, secretURL: true}, "tokens", tokensError)
	if err == nil {
		resp.Body.Close()
		return false, nil
	}
	var se *ServerError
	if errors.As(err, &se) && se.Status == http.StatusNotFound {
		return true, nil
	}
	return false, withoutSecret(err, tok, apitokens.IDOf(tok))
}

// ListAPITokens returns the API access tokens CARTO lists for this login (those it minted
// anywhere: this library, the Workspace, other tools), recorded here or not. A token here is
// named by its ID; Token holds the secret.
func (a *Auth) ListAPITokens(ctx context.Context) ([]*APIToken, error) {
	endpoint, err := a.tokensURL("")
	if err != nil {
		return nil, err
	}
	ctx, cancel := tokensContext(ctx)
	defer cancel()
	resp, err := a.sendAPI(ctx, &apiRequest{method: http.MethodGet, url: endpoint}, "tokens", tokensError)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	answer, err := wire.ReadLimited(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading the Tokens API's list: %w", err)
	}
	var list []tokenAnswer
	if json.Unmarshal(answer, &list) != nil { // a bare list, or {"tokens": [...]}
		var wrapped struct {
			Tokens []tokenAnswer `json:"tokens"`
		}
		if json.Unmarshal(answer, &wrapped) != nil {
			return nil, errors.New("the Tokens API's list is not a list of tokens")
		}
		list = wrapped.Tokens
	}
	var out []*APIToken
	for _, t := range list {
		if t.Token == "" {
			continue
		}
		at := &APIToken{Token: t.Token, ID: apitokens.IDOf(t.Token), Grants: t.Grants, APIs: t.APIs, Referers: t.Referers}
		if t.Expiration != nil {
			at.ExpiresAt, _ = time.Parse(time.RFC3339, *t.Expiration)
		}
		if t.Created != nil {
			at.CreatedAt, _ = time.Parse(time.RFC3339, *t.Created)
		}
		out = append(out, at)
	}
	return out, nil
}

// withoutSecret is err with every occurrence of secret in its text replaced by name, its
// hints kept.
func withoutSecret(err error, secret, name string) error {
	if err == nil || secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return hint.With(errors.New(strings.ReplaceAll(err.Error(), secret, name)), hint.Of(err)...)
}
