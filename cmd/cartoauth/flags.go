package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// errHelped means a command printed its help because of -h/--help: exit 0, nothing more.
var errHelped = errors.New("help shown")

// flagSet is a command's flags plus its help text.
type flagSet struct {
	*flag.FlagSet
	usage string // e.g. "cartoauth token [--m2m FILE]"
	about string // a paragraph or two shown under the usage line
}

func newFlagSet(name, usage, about string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported as one line by report
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, usage: usage, about: about}
}

// parse parses args; it prints the help for -h/--help (returning errHelped) and refuses
// positional arguments.
func (fs *flagSet) parse(e *env, args []string) error { return fs.parseArgs(e, args, 0) }

// parseArgs is parse allowing up to most positional arguments.
func (fs *flagSet) parseArgs(e *env, args []string, most int) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.writeHelp(e.stdout)
		return errHelped
	case err != nil:
		return usageErrorf("%s: %v", fs.Name(), err).with(fmt.Sprintf("run 'cartoauth %s --help'", fs.Name()))
	case fs.NArg() > most:
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(most)).with(fmt.Sprintf("run 'cartoauth %s --help'", fs.Name()))
	}
	return nil
}

func (fs *flagSet) writeHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n", fs.usage, strings.TrimSpace(fs.about))
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags (one dash or two):\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fmt.Fprint(w, "\nExit codes: 0 ok, 1 failure, 2 usage error, 3 interactive login required.\n")
}

// authFlags select the identity for login, token and dw-credentials.
type authFlags struct {
	m2m     string
	org     string
	apiBase string
	profile string
}

func (a *authFlags) register(fs *flagSet, withOrg bool) {
	fs.StringVar(&a.m2m, "m2m", "", "log in with this M2M credentials `FILE` (default: $CARTO_CREDENTIALS_FILE or $CARTO_CREDENTIALS when set)")
	if withOrg {
		fs.StringVar(&a.org, "org", "", "SSO organization id (`ORG`, e.g. org_123) for interactive logins")
	}
	fs.StringVar(&a.apiBase, "api-base-url", "", "CARTO API base `URL`, skipping discovery (e.g. https://gcp-us-east1.api.carto.com)")
	fs.StringVar(&a.profile, "profile", "", "the account `NAME` to use, for several accounts side by side (default: $CARTO_PROFILE, else the one chosen with 'cartoauth switch')")
}

// useM2M reports whether the command logs in with M2M credentials.
func (a *authFlags) useM2M() bool {
	return a.m2m != "" || os.Getenv(carto.EnvCredentialsFile) != "" || os.Getenv(carto.EnvCredentials) != ""
}

// check refuses flag combinations that cannot mean anything.
func (a *authFlags) check(cmd string) error {
	if a.useM2M() && (a.org != "" || a.profile != "") {
		return usageErrorf("%s: --org and --profile apply to interactive logins, not M2M", cmd).with("drop them, or unset --m2m / CARTO_CREDENTIALS_FILE / CARTO_CREDENTIALS")
	}
	return nil
}

// flowValue parses --flow.
type flowValue struct{ f carto.Flow }

func (v *flowValue) String() string { return string(v.f) }

func (v *flowValue) Set(s string) error {
	switch f := carto.Flow(s); f {
	case carto.FlowCopyCode, carto.FlowLoopback:
		v.f = f
		return nil
	}
	return fmt.Errorf("want %s or %s", carto.FlowCopyCode, carto.FlowLoopback)
}

// positiveDuration parses --timeout.
type positiveDuration struct{ d time.Duration }

func (v *positiveDuration) String() string { return v.d.String() }

func (v *positiveDuration) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return fmt.Errorf("want a positive duration such as 90s or 5m")
	}
	v.d = d
	return nil
}
