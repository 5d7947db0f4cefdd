package version

// Set by -ldflags at build time.
var (
	Commit    = "{{hex:40}}"
	TreeHash  = "{{hex:32}}"
	BuildDate = "2024-11-02T10:00:00Z"
)
