package display

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
)

// lineReader reads lines from an io.Reader in one goroutine, started on the first read, and
// hands them out one per call, so a read that gives up (its context ended) loses no line: the
// next read gets it. The goroutine blocks on the reader until a line or the end of input
// arrives; it is never stopped, like any read of standard input.
type lineReader struct {
	in    io.Reader
	once  sync.Once
	lines chan string
	mu    sync.Mutex
	end   error // the error that ended reading, once the channel is closed
}

// newLineReader returns a lineReader on in.
func newLineReader(in io.Reader) *lineReader {
	return &lineReader{in: in, lines: make(chan string)}
}

var (
	stdinOnce  sync.Once
	stdinLines *lineReader
)

// stdinReader returns the one lineReader on os.Stdin shared by every prompter in this process,
// so two prompters never race for the same input.
func stdinReader() *lineReader {
	stdinOnce.Do(func() { stdinLines = newLineReader(os.Stdin) })
	return stdinLines
}

// readerFor returns the shared reader for os.Stdin and a new reader for anything else.
func readerFor(in io.Reader) *lineReader {
	if f, ok := in.(*os.File); ok && f == os.Stdin {
		return stdinReader()
	}
	return newLineReader(in)
}

// run reads lines until the end of input, then records why reading ended and closes lines.
func (r *lineReader) run() {
	br := bufio.NewReader(r.in)
	for {
		line, err := br.ReadString('\n')
		if line != "" {
			r.lines <- strings.TrimRight(line, "\r\n")
		}
		if err != nil {
			r.mu.Lock()
			r.end = err
			r.mu.Unlock()
			close(r.lines)
			return
		}
	}
}

// next returns the next line without its line break. At the end of input it returns an error
// wrapping ErrNoInput (and the read error, unless it is io.EOF); when ctx ends first, ctx.Err().
func (r *lineReader) next(ctx context.Context) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	r.once.Do(func() { go r.run() })
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case line, ok := <-r.lines:
		if ok {
			return line, nil
		}
		return "", r.endErr()
	}
}

// endErr is the error next returns once the input has ended.
func (r *lineReader) endErr() error {
	r.mu.Lock()
	end := r.end
	r.mu.Unlock()
	if end == nil || errors.Is(end, io.EOF) {
		return fmt.Errorf("display: reading the code: %w", ErrNoInput)
	}
	return fmt.Errorf("display: reading the code: %w: %w", ErrNoInput, end)
}
