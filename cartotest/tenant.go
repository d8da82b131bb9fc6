package cartotest

// Fixed values of the CARTO tenant the server stands in for.
const (
	// ClientID is CARTO's public interactive client id; it is always registered (no secret).
	ClientID = "0dxb8HR3ATXCxJiPOJVHsLoHoAtbRX6u"
	// Audience is the API audience CARTO requires on authorize, code exchange and M2M logins.
	Audience = "carto-cloud-native-api"
	// LoopbackRedirectURI is the local-browser redirect URI; it is always allowed for ClientID.
	LoopbackRedirectURI = "http://localhost:10000/callback/"
	// TestUser is the user name the login page accepts (and shows).
	TestUser = "analyst@example.com"
	// TestPassword is the password the login page accepts (and shows).
	TestPassword = "carto-sandbox-demo"
	// DefaultDWProjectID is the CARTO Data Warehouse project id returned by the DW endpoint.
	DefaultDWProjectID = "carto-dw-ac-sandbox1"
	// SQLConnection is the only connection name the SQL API knows (CARTO's name for its DW).
	SQLConnection = "carto_dw"
)
