//go:build !windows

package flow

import (
	"errors"
	"syscall"
)

// addrInUse reports a busy port.
func addrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
