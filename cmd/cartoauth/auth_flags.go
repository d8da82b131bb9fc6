package main

import (
	"os"

	"github.com/carto-go/carto-auth/carto"
)

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
