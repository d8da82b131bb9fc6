//go:build unix

package where

import "syscall"

// nonBlocking keeps an open from blocking on a FIFO.
const nonBlocking = syscall.O_NONBLOCK
