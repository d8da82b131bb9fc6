package kernel

import (
	"io"
	"log"
)

// discardLogger silences zmq4's own logging (it reports closed connections at Shutdown).
var discardLogger = log.New(io.Discard, "", 0)
