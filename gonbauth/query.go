package gonbauth

import (
	"github.com/carto-go/carto-auth/carto"
	"github.com/carto-go/carto-auth/display"
)

// DefaultTableRows is how many rows ShowQuery shows when given 0.
const DefaultTableRows = 20

// ShowQuery shows a query's result in the cell as a table of its first maxRows rows (0 means
// DefaultTableRows), saying how many more there are. Every header and value is shown as text.
func ShowQuery(res *carto.QueryResult, maxRows int) { display.HTML(QueryHTML(res, maxRows)) }

// QueryHTML is the table ShowQuery shows, as HTML.
func QueryHTML(res *carto.QueryResult, maxRows int) string {
	if maxRows <= 0 {
		maxRows = DefaultTableRows
	}
	headers, rows, more := res.TextTable(maxRows)
	return display.TableHTML(headers, rows, more)
}
