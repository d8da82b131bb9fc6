//go:build !unix && !windows

package carto

import (
	"errors"
	"os"
	"syscall"
)

// Without a file lock the cache is coordinated within one process only (by the cache writer).
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}

func addrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }

func replaceFile(tmp, path string) error { return os.Rename(tmp, path) }
