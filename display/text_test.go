package display

import (
	"strings"
	"testing"
)

func TestRenderTextDoneDropsTheLink(t *testing.T) {
	t.Parallel()
	got := RenderText(sampleLogin(), Status{State: StateDone, Text: "Logged in"})
	if want := "Log in to CARTO\n✓ Logged in\n"; got != want {
		t.Errorf("RenderText(done) = %q, want %q", got, want)
	}
	if got := RenderText(sampleLogin(), Status{State: StateFailed, Retry: true}); !strings.Contains(got, "\n"+testURL+"\n") {
		t.Errorf("RenderText(failed, retry) lost the URL line:\n%s", got)
	}
	if got := RenderText(sampleLogin(), Status{State: StateFailed, Text: "Timed out"}); got != "Log in to CARTO\n✕ Timed out\n" {
		t.Errorf("RenderText(failed for good) = %q, want the title and status only", got)
	}
}
