package cartotest

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestNewJWTAccessToken: the token is accepted like any other, and its payload says until when
// and who issued it.
func TestNewJWTAccessToken(t *testing.T) {
	t.Parallel()
	s := NewServer(Config{})
	defer s.Close()
	tok := s.NewJWTAccessToken(2 * time.Hour)
	if !s.ValidAccessToken(tok) {
		t.Fatal("the server does not accept the token it issued")
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("not JWT-shaped: %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Iss string `json:"iss"`
		Exp int64  `json:"exp"`
	}
	if err := json.Unmarshal(payload, &c); err != nil {
		t.Fatal(err)
	}
	if c.Iss != s.URL+"/" {
		t.Errorf("iss = %q, want %q", c.Iss, s.URL+"/")
	}
	if d := time.Until(time.Unix(c.Exp, 0)); d < time.Hour+59*time.Minute || d > 2*time.Hour+time.Second {
		t.Errorf("exp is %s away, want 2h", d)
	}
	if s.NewJWTAccessToken(time.Hour) == s.NewJWTAccessToken(time.Hour) {
		t.Error("two tokens are the same")
	}
}
