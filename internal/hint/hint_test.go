package hint

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestOf(t *testing.T) {
	t.Parallel()
	base := errors.New("no cached login")
	err := fmt.Errorf("logging in: %w", With(fmt.Errorf("wrapped: %w", With(base, LogIn, M2M)), WaitForLogin, LogIn))
	if got := Of(err); !slices.Equal(got, []Hint{WaitForLogin, LogIn, M2M}) {
		t.Errorf("Of = %v", got)
	}
	if err.Error() != "logging in: wrapped: no cached login" {
		t.Errorf("the text changed: %q", err)
	}
	if !errors.Is(err, base) {
		t.Error("errors.Is lost the cause")
	}
	joined := errors.Join(With(errors.New("a"), CacheDir), fmt.Errorf("b: %w", With(errors.New("c"), Credentials)))
	if got := Of(joined); !slices.Equal(got, []Hint{CacheDir, Credentials}) {
		t.Errorf("Of(joined) = %v", got)
	}
	if Of(base) != nil || With(nil, LogIn) != nil {
		t.Error("hints from nowhere")
	}
}
