//go:build !unix

package flow

import (
	"errors"
	"io/fs"
)

// checksOwner is false: ownership is not a uid here, and Go reports 0777 whatever the ACL says;
// a user's temporary folder is private by its ACL.
const checksOwner = false

// privateFolder reports why fi (from Lstat) is not a folder: a link or a file.
func privateFolder(fi fs.FileInfo) error {
	if !fi.IsDir() {
		return errors.New("not a folder")
	}
	return nil
}
