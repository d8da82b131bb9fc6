package carto

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

func TestCachedLoginsAndForget(t *testing.T) {
	t.Parallel()
	srv, a, opts, _ := oauthLoggedIn(t, cartotest.Config{})
	if _, err := FromM2M(context.Background(), writeCreds(t, srv), &M2MOptions{Common: opts.Common}); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(opts.CacheDir, "token_oauth.json"), []byte(`{"access_token":"python"}`), 0o600)
	infos, err := CachedLogins(opts.CacheDir)
	if err != nil || len(infos) != 2 {
		t.Fatalf("CachedLogins = %+v, %v", infos, err)
	}
	js, _ := json.Marshal(infos)
	e := a.cache.Current()
	assertNoSecrets(t, string(js), e.AccessToken, e.RefreshToken)
	n, err := ForgetCachedLogins(context.Background(), &opts.Common)
	if err != nil || n != 2 {
		t.Fatalf("forgot %d, %v", n, err)
	}
	if srv.Count(cartotest.EndpointRevoke) != 1 {
		t.Errorf("revocations %d, want 1 (the OAuth refresh token)", srv.Count(cartotest.EndpointRevoke))
	}
	if _, err := os.Stat(filepath.Join(opts.CacheDir, "token_oauth.json")); err != nil {
		t.Error("the Python library's file was touched")
	}
	if infos, _ := CachedLogins(opts.CacheDir); len(infos) != 0 {
		t.Errorf("left: %+v", infos)
	}
}
