package carto

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/carto-go/carto-auth/cartotest"
)

// TestAdviceIsDataWordedByEachFrontEnd: a login nobody can answer fails with hints, not with
// advice in its text; Login words them for a Go program, and a front end's own words replace
// those without touching the error's text.
func TestAdviceIsDataWordedByEachFrontEnd(t *testing.T) {
	t.Parallel()
	srv := standIn(t, cartotest.Config{})
	opts := &OAuthOptions{DisableInteraction: true, Common: Common{AuthServer: srv.URL, NoCache: true}}
	_, plain := FromOAuth(context.Background(), opts)
	if !errors.Is(plain, ErrInteractionRequired) || !slices.Equal(Hints(plain), []Hint{HintLogIn, HintM2M}) {
		t.Fatalf("FromOAuth: %v, hints %v", plain, Hints(plain))
	}
	if strings.Contains(plain.Error(), "CARTO_CREDENTIALS_FILE") || strings.Contains(plain.Error(), "cartoauth login") {
		t.Errorf("FromOAuth's error words its advice itself: %v", plain)
	}
	_, advised := Login(context.Background(), opts)
	if !errors.Is(advised, ErrInteractionRequired) || !strings.Contains(advised.Error(), goWords()[HintM2M]) || !strings.Contains(advised.Error(), goWords()[HintLogIn]) {
		t.Errorf("Login's error lacks the Go program's words: %v", advised)
	}
	words := map[Hint]string{HintLogIn: "LOG-IN-WORDS", HintM2M: "M2M-WORDS"}
	o := *opts
	o.HintWords = words
	_, own := Login(context.Background(), &o)
	if got := own.Error(); !strings.HasSuffix(got, "; LOG-IN-WORDS; M2M-WORDS") || strings.Contains(got, goWords()[HintM2M]) {
		t.Errorf("Login with HintWords: %v", own)
	}
	if WordHints(errors.New("no hints"), words).Error() != "no hints" {
		t.Error("an error without hints gained words")
	}
}
