package carto

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/carto-go/carto-auth/internal/wire"
)

// CartoDWCredentials returns the CARTO Data Warehouse project id and a Google access token for
// it, from <api_base_url>/v3/connections/carto-dw/token. The Google token is short-lived;
// package cartodw renews it for long-running work.
func (a *Auth) CartoDWCredentials(ctx context.Context) (projectID, token string, err error) {
	if a.isAPIToken() {
		return "", "", errAPITokenCannot("the CARTO Data Warehouse token endpoint")
	}
	base := a.APIBaseURL()
	if base == "" {
		return "", "", fmt.Errorf("%w: give one with OAuthOptions.APIBaseURL or the credentials' api_base_url", ErrNoAPIBaseURL)
	}
	var dw struct {
		ProjectID string `json:"projectId"`
		Token     string `json:"token"`
	}
	tok, err := a.AccessToken(ctx)
	if err != nil {
		return "", "", err
	}
	err = a.set.client.Retry(ctx, "carto-dw token", func(ctx context.Context) error {
		body, err := a.set.client.Get(ctx, "carto-dw token", base+"/v3/connections/carto-dw/token", tok)
		if err != nil {
			return err
		}
		return wire.JSONInto(body, &dw, "carto-dw token")
	})
	if err != nil {
		var se *ServerError
		if errors.As(err, &se) && se.Status == http.StatusUnauthorized {
			a.refused(tok)
		}
		return "", "", dwError(err)
	}
	if dw.ProjectID == "" || dw.Token == "" {
		return "", "", dwError(&ServerError{Endpoint: "carto-dw token", Description: "the answer has no projectId or token"})
	}
	return dw.ProjectID, dw.Token, nil
}

func dwError(err error) error {
	var se *ServerError
	if errors.As(err, &se) && se.Hint == "" {
		switch se.Status {
		case http.StatusForbidden, http.StatusNotFound:
			se.Hint = "this organization may have no CARTO Data Warehouse (check the plan) or the API base URL may be of another region"
		}
	}
	return fmt.Errorf("getting CARTO Data Warehouse credentials: %w", err)
}

// DWEndpoint is the BigQuery endpoint of this login's CARTO Data Warehouse, for package
// cartodw: "" (Google's) for CARTO itself; for a login against another auth server (a CARTO
// stand-in such as cartotest or `cartoauth sandbox`, which serves BigQuery too) the stand-in's.
func (a *Auth) DWEndpoint() string {
	if a.set.ep.Server == wire.CartoAuthServer {
		return ""
	}
	return a.set.ep.Server + "/bigquery/v2/"
}
