package cartotest

import (
	"net/http"
	"regexp"
	"sync"
	"text/template"
)

// pageData feeds the HTML pages.
type pageData struct {
	Title       string
	Error       string
	Description string
	ReqID       string
	User        string
	User2       string
	Password    string
	Code        string
}

const pageHead = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{html .Title}} · CARTO sandbox</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#2c3032}
h1{font-size:1.4rem} .note{color:#5b6166;font-size:.9rem}
.error{color:#b00020;background:#fdecee;padding:.6rem;border-radius:4px}
label{display:block;margin:.8rem 0 .2rem} input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1.2rem;cursor:pointer}
code#code{display:block;padding:.8rem;background:#f3f4f5;border-radius:4px;word-break:break-all;font-size:1.1rem}
</style></head><body>
`

var errorPage = lazyPage("error", pageHead+`<h1>{{html .Title}}</h1>
<p class="error" id="error">{{html .Error}}</p>
{{if .Description}}<p id="error_description">{{html .Description}}</p>{{end}}
</body></html>
`)

var loginPage = lazyPage("login", pageHead+`<h1>Log in to CARTO (sandbox)</h1>
<p class="note">This is a local stand-in. Use a demo account:
<b>{{html .User}}</b> or <b>{{html .User2}}</b>, password <b>{{html .Password}}</b></p>
{{if .Error}}<p class="error" id="error">{{html .Error}}</p>{{end}}
<form method="post" action="/authorize/login">
<input type="hidden" name="req" value="{{html .ReqID}}">
<label for="username">Email</label>
<input id="username" name="username" type="email" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="login" type="submit" name="action" value="login">Log in</button>
<button id="deny" type="submit" name="action" value="deny" formnovalidate>Cancel</button>
</form>
</body></html>
`)

var codePage = lazyPage("code", pageHead+`<h1>Your CARTO access code</h1>
<p>Copy this code and paste it in your notebook:</p>
<code id="code">{{html .Code}}</code>
<button id="copy" type="button" onclick="navigator.clipboard.writeText(document.getElementById('code').textContent).then(function(){document.getElementById('copy').textContent='Copied'})">Copy</button>
<p class="note">The code works once and expires in 5 minutes. You can close this tab afterwards.</p>
</body></html>
`)

// writePage renders t with d; template errors cannot happen with these fixed templates and
// plain string data, so a failure only truncates the page.
func writePage(w http.ResponseWriter, status int, t func() *template.Template, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = t().Execute(w, d)
}

func (s *Server) writeLoginForm(w http.ResponseWriter, status int, reqID, errText string) {
	writePage(w, status, loginPage, pageData{Title: "Log in", ReqID: reqID, Error: errText,
		User: TestUser, User2: SecondTestUser, Password: TestPassword})
}

// handleCodePage is CARTO's copy-code page (the redirect URI of remote notebooks).
func (s *Server) handleCodePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("error") != "":
		writePage(w, http.StatusOK, errorPage, pageData{Title: "Login failed",
			Error: q.Get("error"), Description: q.Get("error_description")})
	case q.Get("code") == "":
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "No code",
			Error: "This page needs a code parameter. Start the login again from your notebook."})
	case q.Has("state"):
		// CARTO's code page may be an Auth0 single-page app, which takes code+state in its URL
		// for its own login callback; the copy-code login must not send state.
		writePage(w, http.StatusBadRequest, errorPage, pageData{Title: "Unexpected state",
			Error: "The login request carried a state parameter; CARTO's code page may treat it as its own login callback and show no code. Copy-code logins send no state (PKCE binds the code)."})
	default:
		writePage(w, http.StatusOK, codePage, pageData{Title: "Access code", Code: q.Get("code")})
	}
}

// lazyPage parses a page template on first use, so that programs linking this package (the
// cartoauth CLI) do not pay for it at start-up. The pages are text/template with every value
// passed through html: html/template alone costs each cartoauth command 0.07 ms to start.
func lazyPage(name, text string) func() *template.Template {
	return sync.OnceValue(func() *template.Template { return template.Must(template.New(name).Parse(text)) })
}

// lazyRegexp compiles a regular expression on first use, for the same reason.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
