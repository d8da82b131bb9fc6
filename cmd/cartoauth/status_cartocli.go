package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// cartoCLIStatus is the CARTO CLI's logins as status shows them: read-only, with why the file
// is not used when it is not.
type cartoCLIStatus struct {
	carto.CartoCLILogins
	NotUsed string `json:"not_used,omitempty"`
}

// readCartoCLIStatus lists the CARTO CLI's logins; nil when it keeps none.
func readCartoCLIStatus() *cartoCLIStatus {
	cli, err := carto.ListCartoCLILogins()
	if err != nil {
		return &cartoCLIStatus{CartoCLILogins: cli, NotUsed: err.Error()}
	}
	if len(cli.Logins) == 0 {
		return nil
	}
	return &cartoCLIStatus{CartoCLILogins: cli}
}

// writeCartoCLIStatus writes the CARTO CLI's logins after the cached ones.
func writeCartoCLIStatus(w io.Writer, cli *cartoCLIStatus, now time.Time) {
	if cli == nil {
		return
	}
	fmt.Fprintf(w, "\nThe CARTO CLI's logins in %s (read-only; 'carto auth login' and 'carto auth logout' change them):\n", cli.File)
	if cli.NotUsed != "" {
		fmt.Fprintf(w, "  not used: %s\n", cli.NotUsed)
		return
	}
	if cli.OthersCanRead {
		fmt.Fprintf(w, "  other users can read it; run: chmod 600 %s\n", cli.File)
	}
	for _, in := range cli.Logins {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		use := fmt.Sprintf("yes, for --profile %s, when no cached login of it is usable", in.Profile)
		if in.Profile == cli.CurrentProfile {
			use = fmt.Sprintf("yes, for the default profile (the CLI's current one) and --profile %s, when no cached login of it is usable", in.Profile)
		}
		if len(in.PassedOver) > 0 {
			use = "no: " + in.PassedOver[0]
		}
		rows := append(infoRows(in, now), [2]string{"source", in.Source}, [2]string{"Login uses it", use})
		for _, row := range rows {
			if row[1] != "" && row[0] != "refresh token" && row[0] != "cache file" { // it keeps neither
				fmt.Fprintf(tw, "  %s\t%s\n", row[0], row[1])
			}
		}
		tw.Flush()
	}
}
