package flow

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// addrInUse reports a busy port: Windows says WSAEADDRINUSE.
func addrInUse(err error) bool {
	return errors.Is(err, syscall.EADDRINUSE) || errors.Is(err, windows.WSAEADDRINUSE)
}
