package gonbauth_test

import (
	"context"
	"fmt"

	"github.com/carto-go/carto-auth/gonbauth"
)

// A notebook cell's login: in a GoNB cell it shows the card (link, QR code, code box, one
// click where the browser can reach the kernel); the next cell, a new process, gets the cached
// login with no prompt; a run with nobody to answer (CI, nbconvert, papermill) fails at once
// unless M2M credentials are in the environment.
func ExampleLogin() {
	ctx := context.Background()
	auth, err := gonbauth.Login(ctx, nil)
	if err != nil {
		fmt.Println("Login failed:", err) // it says what to do
		return
	}
	fmt.Println("Logged in:", auth.Info())
}

// Several accounts side by side: each profile is its own cached login, and a first login to a
// new profile lets the login page offer another account.
func ExampleLogin_profile() {
	auth, err := gonbauth.Login(context.Background(), &gonbauth.OAuthOptions{Profile: "client-b"})
	if err != nil {
		fmt.Println("Login failed:", err)
		return
	}
	fmt.Println(auth.Info().Account(), auth.APIBaseURL())
}

// For frontends without input boxes: start the login in one cell, finish it in the next with the
// code the login page shows.
func ExampleStartLogin() {
	ctx := context.Background()
	if err := gonbauth.StartLogin(ctx, nil); err != nil { // this cell shows the login link
		fmt.Println(err)
		return
	}
	// In the next cell:
	auth, err := gonbauth.FinishLogin(ctx, "PASTE-THE-CODE-HERE", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(auth.Info())
}
