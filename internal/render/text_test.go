package render

import (
	"strings"
	"testing"
)

func TestRenderTextDoneDropsTheLink(t *testing.T) {
	t.Parallel()
	got := Text(sampleLogin(), Status{State: StateDone, Text: "Logged in"}, false)
	if want := "Log in to CARTO\n✓ Logged in\n"; got != want {
		t.Errorf("RenderText(done) = %q, want %q", got, want)
	}
	if got := Text(sampleLogin(), Status{State: StateFailed, Retry: true}, false); !strings.Contains(got, "\n"+testURL+"\n") {
		t.Errorf("RenderText(failed, retry) lost the URL line:\n%s", got)
	}
	if got := Text(sampleLogin(), Status{State: StateFailed, Text: "Timed out"}, false); got != "Log in to CARTO\n✕ Timed out\n" {
		t.Errorf("RenderText(failed for good) = %q, want the title and status only", got)
	}
}
