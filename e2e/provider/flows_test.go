package provider

import (
	"context"
	"testing"
)

func TestCopyCode(t *testing.T) {
	p := Start(t, Options{})
	e := newEnv(t, p)
	a, _ := copyCodeLogin(t, NewPerson("ana@example.com"), nil)
	tok, err := a.AccessToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	w := mustValid(t, p, tok)
	t.Logf("whoami %+v info %+v files %v", w, a.Info(), e.cacheFiles(t))
}
