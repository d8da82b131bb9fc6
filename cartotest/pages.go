package cartotest

import (
	"net/http"
	"strings"
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

// The pages are plain strings with every value escaped by escapeHTML, built on each request:
// a template package would cost every program linking this one (the cartoauth CLI) at
// start-up, and text/template's reflection keeps every exported method in the binary.

// pageHead is the start of every page, up to and including <body>.
func pageHead(title string) string {
	return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + escapeHTML(title) + ` · CARTO sandbox</title>
<style>
body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#2c3032}
h1{font-size:1.4rem} .note{color:#5b6166;font-size:.9rem}
.error{color:#b00020;background:#fdecee;padding:.6rem;border-radius:4px}
label{display:block;margin:.8rem 0 .2rem} input{width:100%;padding:.5rem;box-sizing:border-box}
button{margin-top:1rem;padding:.5rem 1.2rem;cursor:pointer}
code#code{display:block;padding:.8rem;background:#f3f4f5;border-radius:4px;word-break:break-all;font-size:1.1rem}
</style></head><body>
`
}

// errorPage shows d.Error (and d.Description, when set) under the title d.Title.
func errorPage(d pageData) string {
	description := ""
	if d.Description != "" {
		description = `<p id="error_description">` + escapeHTML(d.Description) + `</p>`
	}
	return pageHead(d.Title) + `<h1>` + escapeHTML(d.Title) + `</h1>
<p class="error" id="error">` + escapeHTML(d.Error) + `</p>
` + description + `
</body></html>
`
}

// loginPage is the login form for the pending request d.ReqID, with d.Error when set.
func loginPage(d pageData) string {
	errText := ""
	if d.Error != "" {
		errText = `<p class="error" id="error">` + escapeHTML(d.Error) + `</p>`
	}
	return pageHead(d.Title) + `<h1>Log in to CARTO (sandbox)</h1>
<p class="note">This is a local stand-in. Use a demo account:
<b>` + escapeHTML(d.User) + `</b> or <b>` + escapeHTML(d.User2) + `</b>, password <b>` + escapeHTML(d.Password) + `</b></p>
` + errText + `
<form method="post" action="/authorize/login">
<input type="hidden" name="req" value="` + escapeHTML(d.ReqID) + `">
<label for="username">Email</label>
<input id="username" name="username" type="email" autocomplete="username" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="login" type="submit" name="action" value="login">Log in</button>
<button id="deny" type="submit" name="action" value="deny" formnovalidate>Cancel</button>
</form>
</body></html>
`
}

// codePage shows d.Code, for the user to copy into the notebook.
func codePage(d pageData) string {
	return pageHead(d.Title) + `<h1>Your CARTO access code</h1>
<p>Copy this code and paste it in your notebook:</p>
<code id="code">` + escapeHTML(d.Code) + `</code>
<button id="copy" type="button" onclick="navigator.clipboard.writeText(document.getElementById('code').textContent).then(function(){document.getElementById('copy').textContent='Copied'})">Copy</button>
<p class="note">The code works once and expires in 5 minutes. You can close this tab afterwards.</p>
</body></html>
`
}

// writePage writes the page that page renders from d.
func writePage(w http.ResponseWriter, status int, page func(pageData) string, d pageData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(page(d)))
}

// writeLoginForm writes the login form for the pending request reqID, with errText when set.
func writeLoginForm(w http.ResponseWriter, status int, reqID, errText string) {
	writePage(w, status, loginPage, pageData{Title: "Log in", ReqID: reqID, Error: errText,
		User: TestUser, User2: SecondTestUser, Password: TestPassword})
}

// escapeHTML escapes s for HTML text and attribute values, as text/template's html function
// does: " ' & < > as character references, and NUL as U+FFFD.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "'\"&<>\000") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ { // byte by byte: other bytes, valid UTF-8 or not, are kept
		switch c := s[i]; c {
		case '"':
			b.WriteString("&#34;")
		case '\'':
			b.WriteString("&#39;")
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case 0:
			b.WriteString("\uFFFD")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
