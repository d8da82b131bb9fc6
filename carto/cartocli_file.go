package carto

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// cartoCLIFileName is the file CARTO's own CLI (`carto auth login`, 2026) keeps its logins in,
// in the home folder: {"current_profile": NAME, "profiles": {NAME: {"token", "tenant_id",
// "tenant_domain", "organization_id", "organization_name", "user_email"}}}.
const cartoCLIFileName = ".carto_credentials.json"

// cartoCLIProfile is one login of the CARTO CLI's file.
type cartoCLIProfile struct {
	Token, TenantID, TenantDomain, OrganizationID, OrganizationName, UserEmail string
}

// cartoCLIFile is the CARTO CLI's file, parsed.
type cartoCLIFile struct {
	Current  string
	Profiles map[string]cartoCLIProfile
}

// errM2MShaped means the file holds machine-to-machine credentials, not the CARTO CLI's login.
var errM2MShaped = errors.New("it holds machine-to-machine credentials (client_id, client_secret), not the CARTO CLI's login; give its path in " +
	EnvCredentialsFile + " to log in with them")

// parseCartoCLIFile reads the CARTO CLI's file: an object whose "profiles" is an object of
// profiles, each an object whose known fields are strings; fields it does not know are
// ignored. Its errors name fields and profiles, never a value.
func parseCartoCLIFile(body []byte) (cartoCLIFile, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil || top == nil {
		return cartoCLIFile{}, errors.New("not a JSON object; expected {\"current_profile\", \"profiles\"}")
	}
	if _, ok := top["profiles"]; !ok {
		if _, id := top["client_id"]; id || top["client_secret"] != nil {
			return cartoCLIFile{}, errM2MShaped
		}
		return cartoCLIFile{}, errors.New("it has no \"profiles\"")
	}
	var f cartoCLIFile
	if raw, ok := top["current_profile"]; ok && string(raw) != "null" {
		if json.Unmarshal(raw, &f.Current) != nil {
			return cartoCLIFile{}, errors.New("\"current_profile\" must be a string")
		}
	}
	var profiles map[string]map[string]json.RawMessage
	if json.Unmarshal(top["profiles"], &profiles) != nil {
		return cartoCLIFile{}, errors.New("\"profiles\" must be an object of objects")
	}
	f.Profiles = map[string]cartoCLIProfile{}
	for _, name := range sortedKeys(profiles) {
		p, err := parseCartoCLIProfile(profiles[name])
		if err != nil {
			return cartoCLIFile{}, fmt.Errorf("profile %s: %w", profileLabel(name), err)
		}
		f.Profiles[name] = p
	}
	return f, nil
}

// parseCartoCLIProfile reads one profile: each known field a string (or null, or absent).
func parseCartoCLIProfile(fields map[string]json.RawMessage) (cartoCLIProfile, error) {
	var p cartoCLIProfile
	for key, dst := range map[string]*string{"token": &p.Token, "tenant_id": &p.TenantID, "tenant_domain": &p.TenantDomain,
		"organization_id": &p.OrganizationID, "organization_name": &p.OrganizationName, "user_email": &p.UserEmail} {
		raw, ok := fields[key]
		if !ok || string(raw) == "null" {
			continue
		}
		if json.Unmarshal(raw, dst) != nil {
			return cartoCLIProfile{}, fmt.Errorf("%q must be a string", key)
		}
	}
	return p, nil
}

// pick returns the profile that ours maps to: the CLI's current profile for our default one
// (""), else the CLI profile of the same name.
func (f cartoCLIFile) pick(profile string) (string, cartoCLIProfile, error) {
	name := profile
	if name == "" {
		if name = f.Current; name == "" {
			return "", cartoCLIProfile{}, errors.New("it names no current profile")
		}
	}
	p, ok := f.Profiles[name]
	if !ok {
		return "", cartoCLIProfile{}, fmt.Errorf("it has no profile %s", profileLabel(name))
	}
	return name, p, nil
}

// profileLabel quotes a profile name from the file when it is a plain word (see checkProfile);
// anything else is not repeated.
func profileLabel(name string) string {
	if name == "" || checkProfile(name) != nil {
		return "(a name not shown)"
	}
	return fmt.Sprintf("%q", name)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
