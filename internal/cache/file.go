package cache

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// fileEntry is an Entry as its cache file holds it (version 1): times in Unix seconds.
type fileEntry struct {
	Version      int      `json:"version"`
	Identity     Identity `json:"identity"`
	AccessToken  string   `json:"access_token"`
	TokenType    string   `json:"token_type,omitempty"`
	RefreshToken string   `json:"refresh_token,omitempty"`
	Expiry       int64    `json:"expiry"`
	IssuedAt     int64    `json:"issued_at"`
	APIBaseURL   string   `json:"api_base_url,omitempty"`
	TenantDomain string   `json:"tenant_domain,omitempty"`
	Flow         string   `json:"flow,omitempty"`
	Email        string   `json:"email,omitempty"`
	Name         string   `json:"name,omitempty"`
	RefusedAt    int64    `json:"refused_at,omitempty"`
	ForcedAt     int64    `json:"forced_at,omitempty"`
}

const fileVersion = 1

// Marshal encodes e as its cache file.
func Marshal(e *Entry) ([]byte, error) {
	return json.MarshalIndent(fileEntry{Version: fileVersion, Identity: e.Identity, AccessToken: e.AccessToken,
		TokenType: e.TokenType, RefreshToken: e.RefreshToken, Expiry: e.Expiry.Unix(), IssuedAt: e.IssuedAt.Unix(),
		APIBaseURL: e.APIBaseURL, TenantDomain: e.TenantDomain, Flow: e.Flow, Email: e.Email, Name: e.Name,
		RefusedAt: unixOrZero(e.RefusedAt), ForcedAt: unixOrZero(e.ForcedAt)}, "", "  ")
}

// Parse checks and decodes the contents of one cache file.
func Parse(body []byte) (*Entry, error) {
	var f fileEntry
	if err := json.Unmarshal(body, &f); err != nil {
		return nil, fmt.Errorf("not a token cache file: %w", err)
	}
	if f.Version != fileVersion || f.AccessToken == "" || f.Expiry <= 0 || f.IssuedAt <= 0 {
		return nil, errors.New("not a token cache file of this version")
	}
	return &Entry{Identity: f.Identity, AccessToken: f.AccessToken, TokenType: f.TokenType, RefreshToken: f.RefreshToken,
		Expiry: time.Unix(f.Expiry, 0), IssuedAt: time.Unix(f.IssuedAt, 0), APIBaseURL: f.APIBaseURL,
		TenantDomain: f.TenantDomain, Flow: f.Flow, Email: f.Email, Name: f.Name,
		RefusedAt: timeOrZero(f.RefusedAt), ForcedAt: timeOrZero(f.ForcedAt)}, nil
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

func timeOrZero(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// ReadEntry reads and checks one cache file, refusing links and files of other users.
func ReadEntry(path string) (*Entry, error) {
	body, err := ReadPrivate(path)
	if err != nil {
		return nil, err
	}
	return Parse(body)
}
