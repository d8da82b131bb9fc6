package cartotest

import "strings"

// SecondTestUser is a second account the login page accepts (with TestPassword), for tests of
// several accounts side by side.
const SecondTestUser = "manager@example.com"

// testUser is an account of the stand-in; its email and name go into ID tokens.
type testUser struct{ email, name, subject string }

var testUsers = []testUser{
	{TestUser, "Sandbox Analyst", "auth0|sandbox-analyst"},
	{SecondTestUser, "Sandbox Manager", "auth0|sandbox-manager"},
}

// userByEmail finds an account by its email, in any case.
func userByEmail(email string) (testUser, bool) {
	for _, u := range testUsers {
		if strings.EqualFold(u.email, strings.TrimSpace(email)) {
			return u, true
		}
	}
	return testUser{}, false
}

// userBySubject finds an account by its subject; unknown subjects are the first user.
func userBySubject(sub string) testUser {
	for _, u := range testUsers {
		if u.subject == sub {
			return u
		}
	}
	return testUsers[0]
}
