//go:build unix

package gonbauth

import "syscall"

// nonBlocking keeps an open from blocking on a FIFO.
const nonBlocking = syscall.O_NONBLOCK
