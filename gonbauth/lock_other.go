//go:build !unix

package gonbauth

import "os"

// Without flock the cache is coordinated within one process only (by Auth's own lock).
func tryLock(*os.File) (bool, error) { return true, nil }

func unlock(*os.File) {}
