package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/carto-go/carto-auth/carto"
)

// defaultTokenLifetime is how long a token from 'api-token create' is valid unless told.
const defaultTokenLifetime = 24 * time.Hour

// apiTokenCommands are the subcommands of 'cartoauth api-token'.
var apiTokenCommands = map[string]func(context.Context, *env, []string) error{
	"create": runAPITokenCreate,
	"list":   runAPITokenList,
	"delete": runAPITokenDelete,
	"prune":  runAPITokenPrune,
}

const apiTokenUsage = "cartoauth api-token create|list|delete|prune [flags]"

// runAPIToken is "cartoauth api-token".
func runAPIToken(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
		fmt.Fprintf(e.stdout, `Usage: %s

Scoped API access tokens, for maps and pages that need a token in the browser: each reads
only the sources it is granted, through the APIs it allows, until it expires.

  create   mint one (or reuse one minted for the same request with more than half its life
           left) and print it on stdout
  list     the tokens minted here, with their state (valid, expired, superseded)
  delete   delete one at CARTO and from the record, by ID or token
  prune    delete the expired and superseded ones

Run 'cartoauth api-token <subcommand> --help' for its flags.
`, apiTokenUsage)
		return errHelped
	}
	if len(args) == 0 {
		return usageErrorf("api-token: give a subcommand: create, list, delete or prune").with("run 'cartoauth api-token --help'")
	}
	run, ok := apiTokenCommands[args[0]]
	if !ok {
		return usageErrorf("api-token: unknown subcommand %q", args[0]).with("run 'cartoauth api-token --help'")
	}
	return run(ctx, e, args[1:])
}

// runAPITokenCreate is "cartoauth api-token create".
func runAPITokenCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("api-token create", `cartoauth api-token create --source S [--source S ...] --apis maps[,sql] [--connection C] [--referer URL ...] [--expires 24h | --permanent] [--allow-all-sources] [--json] [--profile NAME] [--m2m FILE]`, `
Mints an API access token through CARTO's Tokens API with the cached login (it never
prompts: exit 3 when a login is needed) and prints the token on stdout, alone; stderr says
which token it is (its ID), what it grants and until when. A token minted here earlier for
the same sources, APIs and referers with more than half its life left is printed instead.

A source is a fully qualified table name (project.dataset.* for a whole dataset) or a SQL
query, matched by its exact text. --source '*' (everything on the connection) needs
--allow-all-sources; a token that never expires needs --permanent.`)
	var af authFlags
	af.register(fs, true)
	connection := fs.String("connection", "carto_dw", "the `connection` the sources are on")
	var sources, referers multiValue
	fs.Var(&sources, "source", "a `table or query` the token may read (repeatable)")
	apis := fs.String("apis", "", "the `APIs` that accept it, comma-separated: maps, sql, imports, lds")
	fs.Var(&referers, "referer", "a web origin it may be used from, e.g. https://example.com (repeatable)")
	expires := lifetimeValue{defaultTokenLifetime}
	fs.Var(&expires, "expires", "how long it is valid, e.g. 90m, 24h or 7d")
	permanent := fs.Bool("permanent", false, "a token that never expires (until deleted)")
	allowAll := fs.Bool("allow-all-sources", false, "allow --source '*'")
	asJSON := fs.Bool("json", false, "print the token and its metadata as JSON")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	switch {
	case len(sources) == 0:
		return usageErrorf("api-token create: give at least one --source").with("name the table or query the token may read")
	case strings.TrimSpace(*apis) == "":
		return usageErrorf("api-token create: give --apis").with("e.g. --apis maps")
	case *permanent && fs.isSet("expires"):
		return usageErrorf("api-token create: --expires and --permanent are exclusive").with("pick one")
	}
	if err := af.check("api-token create"); err != nil {
		return err
	}
	req := carto.APITokenRequest{APIs: splitList(*apis), Referers: referers, AllowAllSources: *allowAll, Permanent: *permanent}
	if !*permanent {
		req.Lifetime = expires.d
	}
	for _, s := range sources {
		req.Grants = append(req.Grants, carto.APIGrant{Connection: *connection, Source: s})
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	tok, err := a.CreateAPIToken(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			Token string `json:"token"`
			*carto.APIToken
		}{tok.Token, tok})
	}
	how := "minted"
	if tok.Reused {
		how = "reused"
	}
	fmt.Fprintf(e.stderr, "%s (%s)\n", tok, how)
	_, err = fmt.Fprintln(e.stdout, tok.Token)
	return err
}

// runAPITokenList is "cartoauth api-token list".
func runAPITokenList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("api-token list", `cartoauth api-token list [--json] [--profile NAME] [--m2m FILE]`, `
Lists the API access tokens minted with this login and recorded here, by ID (never the
token), with what each grants, its state (valid, expired, or superseded by a newer token
for the same grants) and its expiry. It reads the record only.`)
	var af authFlags
	af.register(fs, true)
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := af.check("api-token list"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	list, err := a.APITokens()
	if err != nil {
		return err
	}
	if *asJSON {
		if list == nil {
			list = []*carto.APIToken{}
		}
		return json.NewEncoder(e.stdout).Encode(list)
	}
	return writeTokenTable(e.stdout, list)
}

// writeTokenTable prints tokens as aligned columns: ID, state, expiry, APIs, grants.
func writeTokenTable(w io.Writer, list []*carto.APIToken) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATE\tEXPIRES\tAPIS\tGRANTS")
	for _, t := range list {
		exp := "never"
		if !t.ExpiresAt.IsZero() {
			exp = t.ExpiresAt.Local().Format(time.DateTime)
		}
		var grants []string
		for _, g := range t.Grants {
			grants = append(grants, g.Connection+": "+strings.Join(strings.Fields(g.Source), " "))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.State, exp, strings.Join(t.APIs, ","), strings.Join(grants, "; "))
	}
	return tw.Flush()
}

// runAPITokenDelete is "cartoauth api-token delete".
func runAPITokenDelete(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("api-token delete", `cartoauth api-token delete [--profile NAME] [--m2m FILE] ID|TOKEN`, `
Deletes an API access token at CARTO and from the record: give its ID (from 'cartoauth
api-token list') or the token itself.`)
	var af authFlags
	af.register(fs, true)
	if err := fs.parseArgs(e, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErrorf("api-token delete: give the token's ID or the token").with("see 'cartoauth api-token list'")
	}
	if err := af.check("api-token delete"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	if err := a.DeleteAPIToken(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "Deleted.")
	return nil
}

// runAPITokenPrune is "cartoauth api-token prune".
func runAPITokenPrune(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("api-token prune", `cartoauth api-token prune [--profile NAME] [--m2m FILE]`, `
Deletes, at CARTO and from the record, the recorded API access tokens that have expired or
that a newer valid token for the same grants supersedes. Each deleted token's ID is printed.`)
	var af authFlags
	af.register(fs, true)
	if err := fs.parse(e, args); err != nil {
		return err
	}
	if err := af.check("api-token prune"); err != nil {
		return err
	}
	a, err := openCached(ctx, af)
	if err != nil {
		return err
	}
	res, err := a.PruneAPITokens(ctx)
	if res != nil {
		for _, t := range res.Deleted {
			fmt.Fprintf(e.stdout, "deleted %s (%s)\n", t.ID, t.State)
		}
		fmt.Fprintf(e.stderr, "Pruned %d; %d recorded token(s) remain.\n", len(res.Deleted), res.Kept)
	}
	return err
}

// multiValue collects a repeatable string flag.
type multiValue []string

func (m *multiValue) String() string { return strings.Join(*m, ",") }

func (m *multiValue) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return fmt.Errorf("must not be empty")
	}
	*m = append(*m, s)
	return nil
}

// maxTokenDays is the longest --expires in days (about 100 years; longer: --permanent).
const maxTokenDays = 36500

// lifetimeValue parses --expires: a Go duration, or whole days (7d).
type lifetimeValue struct{ d time.Duration }

func (v *lifetimeValue) String() string { return v.d.String() }

func (v *lifetimeValue) Set(s string) error {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 || n > maxTokenDays {
			return fmt.Errorf("want a positive duration such as 90m, 24h or 7d, at most %dd (or --permanent)", maxTokenDays)
		}
		v.d = time.Duration(n) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute {
		return fmt.Errorf("want a duration of a minute or more, such as 90m, 24h or 7d")
	}
	v.d = d
	return nil
}

// splitList splits a comma-separated list, trimming and dropping empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
