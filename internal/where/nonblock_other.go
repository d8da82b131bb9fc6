//go:build !unix

package where

// nonBlocking is 0 where open has no O_NONBLOCK.
const nonBlocking = 0
