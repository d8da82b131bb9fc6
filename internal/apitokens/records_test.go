package apitokens

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestKeyIgnoresOrderAndRepeats(t *testing.T) {
	a := KeyOf([]Grant{{"c", "t1"}, {"c", "t2"}}, []string{"maps", "sql"}, []string{"https://a", "https://b"}, false)
	b := KeyOf([]Grant{{"c", "t2"}, {"c", "t1"}, {"c", "t1"}}, []string{"sql", "maps"}, []string{"https://b", "https://a"}, false)
	if a != b {
		t.Error("the same request in another order has another key")
	}
	for _, other := range []string{
		KeyOf([]Grant{{"c", "t1"}}, []string{"maps", "sql"}, []string{"https://a", "https://b"}, false),
		KeyOf([]Grant{{"c", "t1"}, {"c", "t2"}}, []string{"maps"}, []string{"https://a", "https://b"}, false),
		KeyOf([]Grant{{"c", "t1"}, {"c", "t2"}}, []string{"maps", "sql"}, nil, false),
		KeyOf([]Grant{{"c", "t1"}, {"c", "t2"}}, []string{"maps", "sql"}, []string{"https://a", "https://b"}, true),
		KeyOf([]Grant{{"c2", "t1"}, {"c", "t2"}}, []string{"maps", "sql"}, []string{"https://a", "https://b"}, false),
	} {
		if other == a {
			t.Error("two different requests share a key")
		}
	}
}

func TestFreshUntilHalfLife(t *testing.T) {
	r := Record{Created: 1000, Expires: 1000 + 3600}
	for _, c := range []struct {
		at   int64
		want bool
	}{{1000, true}, {2799, true}, {2800, false}, {4600, false}} {
		if got := r.Fresh(time.Unix(c.at, 0)); got != c.want {
			t.Errorf("at +%ds: fresh %v, want %v", c.at-1000, got, c.want)
		}
	}
	if !(&Record{Created: 1000}).Fresh(time.Unix(1e9, 0)) {
		t.Error("a permanent token is not fresh")
	}
	if (&Record{Created: 1000}).Expired(time.Unix(1e9, 0)) || !r.Expired(time.Unix(4600, 0)) {
		t.Error("expiry")
	}
}

func TestSupersededByANewerValidTokenOnly(t *testing.T) {
	g := []Grant{{"c", "t"}}
	old := Record{ID: "at_1", Grants: g, APIs: []string{"maps"}, Created: 100, Expires: 1000}
	newer := Record{ID: "at_2", Grants: g, APIs: []string{"maps"}, Created: 200, Expires: 1100}
	other := Record{ID: "at_3", Grants: []Grant{{"c", "u"}}, APIs: []string{"maps"}, Created: 300, Expires: 1200}
	recs := []Record{old, newer, other}
	now := time.Unix(500, 0)
	if !old.Superseded(recs, now) || newer.Superseded(recs, now) || other.Superseded(recs, now) {
		t.Error("only the older of two tokens for one request is superseded")
	}
	if old.Superseded(recs, time.Unix(1100, 0)) {
		t.Error("an expired newer token supersedes nothing")
	}
}

func TestStoreRefusesWhatItCannotTrust(t *testing.T) {
	dir := t.TempDir()
	s := Open(PathFor(filepath.Join(dir, "login.json")))
	if !strings.HasSuffix(s.Path(), "login.api-tokens.json") {
		t.Fatalf("path %s", s.Path())
	}
	ctx := context.Background()
	add := func(recs []Record) ([]Record, error) { return append(recs, Record{ID: IDOf("x"), Token: "x"}), nil }
	if err := s.Update(ctx, add); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(s.Path()); fi.Mode().Perm() != 0o600 {
		t.Errorf("record mode %04o", fi.Mode().Perm())
	}
	if recs, err := s.Read(); err != nil || len(recs) != 1 || recs[0].Token != "x" {
		t.Fatalf("read back: %v %v", recs, err)
	}
	// A damaged record is an error naming the file, and nothing is written over it.
	if err := os.WriteFile(s.Path(), []byte(`{"version":1,"tokens":[`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, add); err == nil || !strings.Contains(err.Error(), s.Path()) {
		t.Errorf("update of a damaged record: %v", err)
	}
	if b, _ := os.ReadFile(s.Path()); string(b) != `{"version":1,"tokens":[` {
		t.Error("the damaged record was overwritten")
	}
	// A link planted in its place is not followed.
	target := filepath.Join(t.TempDir(), "elsewhere.json")
	os.WriteFile(target, []byte(`{"version":1,"tokens":[]}`), 0o600)
	os.Remove(s.Path())
	if err := os.Symlink(target, s.Path()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Read(); err == nil || !strings.Contains(err.Error(), "symbolic link") {
		t.Errorf("reading through a link: %v", err)
	}
}
