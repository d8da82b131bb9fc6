package cartotest

import "fmt"

// sqlSubset says, in one line, what the SQL API's evaluator runs; errors about statements
// outside it end with it.
const sqlSubset = "the sandbox's SQL API runs only SELECT <*, columns, COUNT(*), literals or " +
	"@name and ? parameters, each [AS alias]> [FROM cities | features | regions | routes] " +
	"[WHERE comparisons (= != <> < <= > >=) joined by AND, OR and parentheses] " +
	"[ORDER BY column [ASC|DESC], ...] [LIMIT n]"

// sqlError is a query the SQL API refuses: the client's fault, answered with a 400 and the
// message as {"error": message}.
type sqlError struct{ msg string }

func (e *sqlError) Error() string { return e.msg }

// sqlErrorf is a sqlError with a formatted message.
func sqlErrorf(format string, args ...any) error {
	return &sqlError{fmt.Sprintf(format, args...)}
}

// sqlUnsupported is a sqlError for a statement outside the subset: what was found, where,
// and what the evaluator does run.
func sqlUnsupported(what string, pos int) error {
	return sqlErrorf("%s at character %d is not supported: %s", what, pos+1, sqlSubset)
}
