package render

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/carto-go/carto-auth/internal/prompt"
)

// Lines reads lines from an io.Reader in one goroutine, started on the first read, and
// hands them out one per call, so a read that gives up (its context ended) loses no line: the
// next read gets it. The goroutine blocks on the reader until a line or the end of input
// arrives; it is never stopped, like any read of standard input.
type Lines struct {
	in    io.Reader
	once  sync.Once
	lines chan string
	mu    sync.Mutex
	end   error // the error that ended reading, once the channel is closed
}

// NewLines returns a Lines on in.
func NewLines(in io.Reader) *Lines {
	return &Lines{in: in, lines: make(chan string)}
}

var (
	stdinOnce  sync.Once
	stdinLines *Lines
)

// Stdin returns the one Lines on os.Stdin shared by every prompter in this process, so two
// prompters never race for the same input.
func Stdin() *Lines {
	stdinOnce.Do(func() { stdinLines = NewLines(os.Stdin) })
	return stdinLines
}

// linesFor returns the shared reader for os.Stdin and a new reader for anything else.
func linesFor(in io.Reader) *Lines {
	if f, ok := in.(*os.File); ok && f == os.Stdin {
		return Stdin()
	}
	return NewLines(in)
}

// run reads lines until the end of input, then records why reading ended and closes lines.
func (r *Lines) run() {
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

// Next returns the next line without its line break. At the end of input it returns an error
// wrapping prompt.ErrNoInput (and the read error, unless it is io.EOF); when ctx ends first, ctx.Err().
func (r *Lines) Next(ctx context.Context) (string, error) {
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
func (r *Lines) endErr() error {
	r.mu.Lock()
	end := r.end
	r.mu.Unlock()
	if end == nil || errors.Is(end, io.EOF) {
		return fmt.Errorf("reading the code: %w", prompt.ErrNoInput)
	}
	return fmt.Errorf("reading the code: %w: %w", prompt.ErrNoInput, end)
}
