package carto

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carto-go/carto-auth/cartotest"
	"github.com/carto-go/carto-auth/internal/apitokens"
)

// tokenTestLogin is an M2M login at srv with a cache folder of the test's (so that API
// tokens are recorded), a clock the test moves, and its log in logs.
func tokenTestLogin(t *testing.T, srv *cartotest.Server, creds, dir string, clock *testClock, logs *syncBuffer) *Auth {
	t.Helper()
	opts := &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: dir}}
	if clock != nil {
		opts.clock = clock.Now
	}
	if logs != nil {
		opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	a, err := FromM2M(context.Background(), creds, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// sqlWith sends q to the stand-in's SQL API with tok, naming origin ("" for none), and
// returns the status.
func sqlWith(t *testing.T, srv *cartotest.Server, tok, q, origin string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/v3/sql/carto_dw/query?"+url.Values{"q": {q}}.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

const (
	tokenQuery = "SELECT name, population FROM cities WHERE population > 10000000"
	otherQuery = "SELECT name FROM cities"
)

func queryGrant(q string) []APIGrant { return []APIGrant{{Connection: "carto_dw", Source: q}} }

// TestAPITokensAreScopedToTheirGrant: a token minted for one query reads that query only,
// through the APIs and from the referers it was minted for, until it expires; the stand-in
// knows its grant, APIs and expiry as requested.
func TestAPITokensAreScopedToTheirGrant(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a := tokenTestLogin(t, srv, writeCreds(t, srv), t.TempDir(), nil, nil)
	ctx := context.Background()
	sqlTok, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"sql"},
		Referers: []string{"https://maps.example.com"}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	mapsTok, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if sqlTok.Token == mapsTok.Token || sqlTok.Reused || mapsTok.Reused {
		t.Fatal("two different requests must mint two tokens")
	}
	facts, ok := srv.APIToken(sqlTok.Token)
	if !ok || !slices.Equal(facts.APIs, []string{"sql"}) || len(facts.Grants) != 1 || facts.Grants[0].Source != tokenQuery ||
		facts.Expires.Sub(time.Now()) > time.Hour || facts.Expires.Sub(time.Now()) < 59*time.Minute {
		t.Fatalf("the stand-in's facts of the token: %+v", facts)
	}
	for _, c := range []struct {
		name, tok, q, origin string
		want                 int
	}{
		{"its query", sqlTok.Token, tokenQuery, "", http.StatusOK},
		{"its query from its referer", sqlTok.Token, tokenQuery, "https://maps.example.com", http.StatusOK},
		{"another query", sqlTok.Token, otherQuery, "", http.StatusForbidden},
		{"another referer", sqlTok.Token, tokenQuery, "https://elsewhere.example.com", http.StatusForbidden},
		{"the SQL API with a maps token", mapsTok.Token, tokenQuery, "", http.StatusForbidden},
	} {
		if got := sqlWith(t, srv, c.tok, c.q, c.origin); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	srv.ExpireAPITokens()
	if got := sqlWith(t, srv, sqlTok.Token, tokenQuery, ""); got != http.StatusUnauthorized {
		t.Errorf("after its expiry: %d, want 401", got)
	}
}

// TestAPITokensAreReusedBelowHalfLifeAndPruned: the same request gets the same token while
// more than half its life is left, then a new one; prune deletes the superseded and the
// expired ones, at CARTO and from the record.
func TestAPITokensAreReusedBelowHalfLifeAndPruned(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	clock := &testClock{t: time.Now()}
	dir := t.TempDir()
	a := tokenTestLogin(t, srv, writeCreds(t, srv), dir, clock, nil)
	ctx := context.Background()
	req := APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: 10 * time.Hour}
	first, err := a.CreateAPIToken(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(4 * time.Hour)
	again, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: req.Grants, APIs: req.APIs, Lifetime: 7 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if !again.Reused || again.Token != first.Token {
		t.Fatalf("with 6 h of 10 left the token must be reused for a request of 7 h: reused=%v", again.Reused)
	}
	shorter, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: req.Grants, APIs: req.APIs, Lifetime: 3 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if shorter.Reused || shorter.ExpiresAt.After(clock.Now().Add(3*time.Hour)) {
		t.Fatalf("a request of 3 h got a token that outlives it: reused=%v, expires %s", shorter.Reused, shorter.ExpiresAt)
	}
	if err := a.DeleteAPIToken(ctx, shorter.ID); err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour)
	second, err := a.CreateAPIToken(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if second.Reused || second.Token == first.Token {
		t.Fatal("with 4 h of 10 left a new token must be minted")
	}
	list, err := a.APITokens()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].ID != first.ID || list[0].State != TokenSuperseded || list[1].State != TokenValid {
		t.Fatalf("recorded: %v", list)
	}
	res, err := a.PruneAPITokens(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Deleted) != 1 || res.Deleted[0].ID != first.ID || res.Kept != 1 {
		t.Fatalf("prune: %+v", res)
	}
	if _, ok := srv.APIToken(first.Token); ok {
		t.Error("the superseded token is still known at CARTO")
	}
	clock.Advance(11 * time.Hour)
	if list, _ := a.APITokens(); len(list) != 1 || list[0].State != TokenExpired {
		t.Fatalf("after its expiry: %v", list)
	}
	if res, err := a.PruneAPITokens(ctx); err != nil || len(res.Deleted) != 1 || res.Kept != 0 {
		t.Fatalf("prune of the expired one: %+v, %v", res, err)
	}
	if srv.APITokens() != 0 {
		t.Errorf("CARTO still holds %d tokens", srv.APITokens())
	}
}

// TestAPITokenRequestsNeedExplicitOptions: no expiry, or a grant of everything, only when
// asked for by name; and other requests that cannot work are refused before any request.
func TestAPITokenRequestsNeedExplicitOptions(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a := tokenTestLogin(t, srv, writeCreds(t, srv), t.TempDir(), nil, nil)
	ctx := context.Background()
	all := []APIGrant{{Connection: "carto_dw", Source: "*"}}
	for _, c := range []struct {
		req  APITokenRequest
		want string
	}{
		{APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}}, "Permanent"},
		{APITokenRequest{Grants: all, APIs: []string{"maps"}, Lifetime: time.Hour}, "AllowAllSources"},
		{APITokenRequest{APIs: []string{"maps"}, Lifetime: time.Hour}, "at least one grant"},
		{APITokenRequest{Grants: queryGrant(tokenQuery), Lifetime: time.Hour}, "APIs"},
		{APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour, Permanent: true}, "not both"},
		{APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour, Referers: []string{"example.com"}}, "web origin"},
	} {
		if _, err := a.CreateAPIToken(ctx, c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want an error naming %s", c.req, err, c.want)
		}
	}
	if srv.APITokens() != 0 {
		t.Fatal("a refused request reached CARTO")
	}
	perm, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: all, APIs: []string{"sql"}, Permanent: true, AllowAllSources: true})
	if err != nil {
		t.Fatal(err)
	}
	if f, ok := srv.APIToken(perm.Token); !ok || !f.Expires.IsZero() || !perm.ExpiresAt.IsZero() {
		t.Fatalf("a permanent token: %+v", f)
	}
}

// TestTwoProcessesMintOneToken: logins of one identity in two processes (two Auths, one
// cache folder) asking for the same token at once mint it once.
func TestTwoProcessesMintOneToken(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds, dir := writeCreds(t, srv), t.TempDir()
	auths := []*Auth{tokenTestLogin(t, srv, creds, dir, nil, nil), tokenTestLogin(t, srv, creds, dir, nil, nil)}
	req := APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour}
	toks := make([]string, 8)
	var wg sync.WaitGroup
	for i := range toks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := auths[i%2].CreateAPIToken(context.Background(), req)
			if err != nil {
				t.Error(err)
				return
			}
			toks[i] = tok.Token
		}()
	}
	wg.Wait()
	if n := srv.APITokens(); n != 1 {
		t.Fatalf("%d tokens minted at CARTO for one request", n)
	}
	for _, tok := range toks {
		if tok != toks[0] {
			t.Fatal("callers got different tokens for one request")
		}
	}
}

// TestARecordedTokenDeletedElsewhereIsMintedAnew: a token deleted at CARTO (in the Workspace,
// say) is not handed out again.
func TestARecordedTokenDeletedElsewhereIsMintedAnew(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	creds, dir := writeCreds(t, srv), t.TempDir()
	a := tokenTestLogin(t, srv, creds, dir, nil, nil)
	ctx := context.Background()
	req := APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour}
	first, err := a.CreateAPIToken(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.deleteAtCARTO(ctx, first.Token); err != nil {
		t.Fatal(err)
	}
	next, err := a.CreateAPIToken(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if next.Reused || next.Token == first.Token {
		t.Fatal("a token CARTO deleted was handed out again")
	}
	if err := a.DeleteAPIToken(ctx, next.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.APIToken(next.Token); ok {
		t.Error("DeleteAPIToken left the token at CARTO")
	}
	if err := a.DeleteAPIToken(ctx, next.ID); err == nil || !strings.Contains(err.Error(), next.ID) {
		t.Errorf("deleting it again: %v, want an error naming its ID", err)
	}
}

// TestAPITokensNeverLeak: the record is private, and neither errors, logs, nor the printed
// forms of an APIToken hold a token.
func TestAPITokensNeverLeak(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	dir := t.TempDir()
	logs := &syncBuffer{}
	a := tokenTestLogin(t, srv, writeCreds(t, srv), dir, nil, logs)
	ctx := context.Background()
	tok, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	printed := strings.Join([]string{tok.String(), tok.GoString(), logs.String()}, "\n")
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		printed += "\n" + fmt.Sprintf(f, tok) + "\n" + fmt.Sprintf(f, *tok)
	}
	slog.New(slog.NewTextHandler(logs, nil)).Info("by value", "token", *tok)
	printed += "\n" + logs.String()
	recs, _ := filepath.Glob(filepath.Join(dir, "*.api-tokens.json"))
	if len(recs) != 1 {
		t.Fatalf("record files: %v", recs)
	}
	if m := mustStat(t, recs[0]).Perm(); m != 0o600 {
		t.Errorf("the record is %04o, want 0600", m)
	}
	// A token CARTO no longer knows, deleted by its value: the error names its ID.
	if _, err := a.deleteAtCARTO(ctx, tok.Token); err != nil {
		t.Fatal(err)
	}
	err = a.DeleteAPIToken(ctx, "sbx_api_not-a-token-of-ours")
	if err == nil {
		t.Fatal("deleting an unknown token succeeded")
	}
	printed += "\n" + err.Error()
	assertNoSecrets(t, printed, tok.Token, "sbx_api_not-a-token-of-ours")
	if !strings.Contains(logs.String(), tok.ID) {
		t.Error("the log does not name the minted token by its ID")
	}
	body, _ := os.ReadFile(recs[0])
	if !strings.Contains(string(body), tok.Token) {
		t.Error("the record does not hold the token (it could not be reused)")
	}
}

// TestTheTokensAPIRefusalSaysToUseAnOAuthLogin: a 403 from the Tokens API carries the hint.
func TestTheTokensAPIRefusalSaysToUseAnOAuthLogin(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	a := tokenTestLogin(t, srv, writeCreds(t, srv), t.TempDir(), nil, nil)
	api, err := a.CreateAPIToken(context.Background(), APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// The same login, its requests carrying the API token instead of its OAuth token.
	swap := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		if r.Header.Get("Authorization") != "" {
			r.Header.Set("Authorization", "Bearer "+api.Token)
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	a.set.hc = swap
	_, err = a.CreateAPIToken(context.Background(), APITokenRequest{Grants: queryGrant(otherQuery), APIs: []string{"maps"}, Lifetime: time.Hour})
	if err == nil || !slices.Contains(Hints(err), HintOAuthToken) || !errors.As(err, new(*ServerError)) {
		t.Fatalf("CreateAPIToken with an API token: %v (hints %v)", err, Hints(err))
	}
	assertNoSecrets(t, err.Error(), api.Token)
}

// TestAnAPITokenLoginCannotMintTokens: a login from CARTO_API_TOKEN holding an API access
// token is refused before any request, with HintOAuthToken.
func TestAnAPITokenLoginCannotMintTokens(t *testing.T) {
	srv := standIn(t, cartotest.Config{})
	ctx := context.Background()
	owner := tokenTestLogin(t, srv, writeCreds(t, srv), t.TempDir(), nil, nil)
	api, err := owner.CreateAPIToken(ctx, APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"sql"}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	a, err := Login(ctx, envTokenEnv(t, srv, api.Token, srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	before := srv.Count(cartotest.EndpointTokens)
	_, err = a.CreateAPIToken(ctx, APITokenRequest{Grants: queryGrant(otherQuery), APIs: []string{"maps"}, Lifetime: time.Hour})
	if err == nil || !slices.Contains(Hints(err), HintOAuthToken) || srv.Count(cartotest.EndpointTokens) != before {
		t.Fatalf("CreateAPIToken on an API token login: %v (hints %v)", err, Hints(err))
	}
	assertNoSecrets(t, err.Error(), api.Token)
	// Its own query it may run; another is refused (403), and not retried.
	if res, err := a.Query(ctx, "carto_dw", tokenQuery, nil); err != nil || len(res.Rows) == 0 {
		t.Errorf("its own query: %v", err)
	}
	sqlBefore := srv.Count(cartotest.EndpointSQL)
	var se *ServerError
	if _, err := a.Query(ctx, "carto_dw", otherQuery, nil); !errors.As(err, &se) || se.Status != http.StatusForbidden {
		t.Errorf("another query: %v, want the SQL API's 403", err)
	}
	if n := srv.Count(cartotest.EndpointSQL) - sqlBefore; n != 1 {
		t.Errorf("the refused query was sent %d times, want once", n)
	}
}

// TestATokenInAURLIsNeverRedirected: a request with a token in its path (show, delete) follows
// no redirect, so the token never reaches another host (as the URL, or as the Referer).
func TestATokenInAURLIsNeverRedirected(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	var elsewhere []string
	var mu sync.Mutex
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		elsewhere = append(elsewhere, r.URL.String()+" "+r.Header.Get("Referer"))
		mu.Unlock()
	}))
	t.Cleanup(other.Close)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/v3/tokens/") {
			http.Redirect(w, r, other.URL+"/collect", http.StatusFound)
			return
		}
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	ctx := context.Background()
	a, err := FromM2M(ctx, writeCreds(t, srv), &M2MOptions{APIBaseURL: front.URL, Common: Common{AuthServer: srv.URL, CacheDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := a.CreateAPIToken(ctx, APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	err = a.DeleteAPIToken(ctx, tok.ID)
	if err == nil || !strings.Contains(err.Error(), "302") {
		t.Fatalf("delete through a redirect: %v, want the 302 as an error", err)
	}
	assertNoSecrets(t, err.Error(), tok.Token)
	mu.Lock()
	defer mu.Unlock()
	if len(elsewhere) != 0 {
		t.Errorf("the redirect was followed: %q", elsewhere)
	}
}

// TestAnotherLoginsRecordedTokensStayItsOwn: tokens recorded by another account (or at
// another API base URL) under the same record are neither listed, reused, sent anywhere nor
// pruned; a logout forgets the record.
func TestAnotherLoginsRecordedTokensStayItsOwn(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	dir := t.TempDir()
	a := tokenTestLogin(t, srv, writeCreds(t, srv), dir, nil, nil)
	ctx := context.Background()
	req := APITokenRequest{Grants: queryGrant(tokenQuery), APIs: []string{"maps"}, Lifetime: time.Hour}
	// Another account's token for the same request, in this login's record.
	store := a.apiTokenStore()
	foreign := apitokens.Record{Owner: apitokens.Owner{APIBaseURL: "https://elsewhere.example.com", Account: "someone-else"},
		ID: apitokens.IDOf("sbx_api_foreign"), Token: "sbx_api_foreign", Grants: toRecordGrants(req.Grants), APIs: req.APIs,
		Created: time.Now().Unix(), Expires: time.Now().Add(time.Hour).Unix()}
	if err := store.Update(ctx, func(recs []apitokens.Record) ([]apitokens.Record, error) { return append(recs, foreign), nil }); err != nil {
		t.Fatal(err)
	}
	tokensBefore := srv.Count(cartotest.EndpointTokens)
	mine, err := a.CreateAPIToken(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if mine.Reused || mine.Token == foreign.Token || srv.Count(cartotest.EndpointTokens) != tokensBefore+1 {
		t.Fatalf("another account's token was reused or looked up (reused=%v, %d Tokens API requests)", mine.Reused, srv.Count(cartotest.EndpointTokens)-tokensBefore)
	}
	if list, _ := a.APITokens(); len(list) != 1 || list[0].ID != mine.ID {
		t.Errorf("listed: %v, want this login's token only", list)
	}
	if err := a.DeleteAPIToken(ctx, foreign.ID); err == nil {
		t.Error("deleted another account's recorded token")
	}
	srv.ExpireAPITokens()
	if res, err := a.PruneAPITokens(ctx); err != nil || len(res.Deleted) != 0 || res.Kept != 1 {
		t.Errorf("prune: %+v, %v; want this login's valid token kept and the other's left alone", res, err)
	}
	recs, _ := store.Read()
	if len(recs) != 2 {
		t.Errorf("the record holds %d tokens, want both", len(recs))
	}
	if err := a.Logout(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(store.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after logout the record is still there: %v", err)
	}
}

// TestATokenInAFailedRequestsURLIsHidden: a transport error of a request with a token in its
// path says nothing of the URL, in any encoding of the token.
func TestATokenInAFailedRequestsURLIsHidden(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	a, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{APIBaseURL: closed.URL, Common: Common{AuthServer: srv.URL, CacheDir: t.TempDir()}})
	if err != nil {
		t.Fatal(err)
	}
	const tok = "sbx_api_part1/part2 %x"
	err = a.DeleteAPIToken(context.Background(), tok)
	if err == nil {
		t.Fatal("a request to a closed server succeeded")
	}
	assertNoSecrets(t, err.Error(), "part1", "part2", url.PathEscape(tok))
}
