//go:build !unix && !windows

package cache

import (
	"os"
)

// Without a file lock the cache is coordinated within one process only (by the cache writer).
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}

func replaceFile(tmp, path string) error { return os.Rename(tmp, path) }
