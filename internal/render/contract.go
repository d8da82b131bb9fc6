package render

import "github.com/carto-go/carto-auth/internal/prompt"

// The contract's types, by their short names.
type (
	Login  = prompt.Login
	Status = prompt.Status
	State  = prompt.State
)

const (
	StateWaiting  = prompt.StateWaiting
	StateChecking = prompt.StateChecking
	StateDone     = prompt.StateDone
	StateFailed   = prompt.StateFailed
	FlowCopyCode  = prompt.FlowCopyCode
	FlowLoopback  = prompt.FlowLoopback
)
