package carto

import (
	"context"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

func BenchmarkAccessTokenValid(b *testing.B) {
	srv := cartotest.NewServer(cartotest.Config{})
	defer srv.Close()
	path := b.TempDir() + "/creds.json"
	srv.WriteCredentialsFile(path)
	a, err := FromM2M(context.Background(), path, &M2MOptions{Common: Common{AuthServer: srv.URL, NoCache: true}})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.AccessToken(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFromM2MWarmCache is what a new GoNB cell pays: a fresh Auth served from the cache
// file (lock, read, parse), with no request.
func BenchmarkFromM2MWarmCache(b *testing.B) {
	srv := cartotest.NewServer(cartotest.Config{})
	defer srv.Close()
	path := b.TempDir() + "/creds.json"
	srv.WriteCredentialsFile(path)
	opts := &M2MOptions{Common: Common{AuthServer: srv.URL, CacheDir: b.TempDir()}}
	if _, err := FromM2M(context.Background(), path, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromM2M(context.Background(), path, opts); err != nil {
			b.Fatal(err)
		}
	}
	if srv.Count(cartotest.EndpointToken) != 1 {
		b.Fatalf("token requests %d", srv.Count(cartotest.EndpointToken))
	}
}

func BenchmarkFromOAuthWarmCache(b *testing.B) {
	srv := cartotest.NewServer(cartotest.Config{})
	defer srv.Close()
	p := &fakePrompter{}
	p.answer = func(l LoginMessage, _ int) (string, error) {
		loc, err := srv.Login(l.URL)
		if err != nil {
			return "", err
		}
		return loc.Query().Get("code"), nil
	}
	opts := &OAuthOptions{Flow: FlowCopyCode, Prompter: p, Common: Common{AuthServer: srv.URL, CacheDir: b.TempDir()}}
	if _, err := FromOAuth(context.Background(), opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromOAuth(context.Background(), opts); err != nil {
			b.Fatal(err)
		}
	}
	if p.reads != 1 {
		b.Fatalf("prompted %d times", p.reads)
	}
}
