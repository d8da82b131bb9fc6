//go:build !unix

package cache

import "io/fs"

// noFollow is 0 where open has no O_NOFOLLOW; the regular-file check after opening stays.
const noFollow = 0

// ownedByMe accepts every file: ownership is not a uid here, and a user's profile folder is
// private by its ACL.
func ownedByMe(fs.FileInfo) error { return nil }

// OthersCanRead is false: Go reports Windows files as readable by all whatever their ACL says,
// so there is no chmod advice to give.
func OthersCanRead(fs.FileMode) bool { return false }

// othersCanWrite is false: Go reports Windows files as 0666/0777 whatever their ACL says.
func othersCanWrite(fs.FileMode) bool { return false }
