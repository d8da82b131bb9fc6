package kernel

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrNoAnswer, returned by an input callback, leaves the input request unanswered (as a person
// who never types would); Execute keeps waiting for the cell.
var ErrNoAnswer = errors.New("leave the input request unanswered")

// InputFunc answers an input box: it receives the prompt and whether it is a password box, and
// returns the line to send (without newline). Return ErrNoAnswer to not answer; any other error
// makes Execute return it at once (the cell keeps running: Interrupt or Shutdown the kernel).
type InputFunc func(prompt string, password bool) (string, error)

// Execute runs code as one cell and waits until its execute_reply and its iopub "idle" status
// have both arrived, or ctx ends. onInput answers input boxes; nil sends allow_stdin=false.
// A cell that fails is not an error of Execute: see Result.Status and Result.Error.
func (k *Kernel) Execute(ctx context.Context, code string, onInput InputFunc) (*Result, error) {
	var f ResultInputFunc
	if onInput != nil {
		f = func(_ *Result, prompt string, password bool) (string, error) { return onInput(prompt, password) }
	}
	return k.ExecuteResult(ctx, code, f)
}

// ErrAnswerLater, returned by a ResultInputFunc, defers the answer: the callback is called
// again for the same input box each time another output of the cell arrives (for example when
// the answer depends on a display that may reach the driver after the input request, since
// iopub and stdin are separate sockets).
var ErrAnswerLater = errors.New("answer this input request when more output has arrived")

// ResultInputFunc is an InputFunc that also sees what the cell has produced so far (res is
// live: read it during the call, do not keep it). It may return ErrAnswerLater.
type ResultInputFunc func(res *Result, prompt string, password bool) (string, error)

// ExecuteResult is Execute with an input callback that sees the outputs so far.
func (k *Kernel) ExecuteResult(ctx context.Context, code string, onInput ResultInputFunc) (*Result, error) {
	ch := make(chan *Message, 4096)
	h := k.header("execute_request")
	k.wait(h.MsgID, ch)
	defer k.unwait(h.MsgID)
	start := time.Now()
	res := &Result{MsgID: h.MsgID}
	_, err := k.sendHeader(k.shell, h, nil, map[string]any{
		"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{},
		"allow_stdin": onInput != nil, "stop_on_error": true,
	})
	if err != nil {
		return nil, fmt.Errorf("sending execute_request: %w", err)
	}
	var later *Message // an input request whose answer was deferred
	replied, idle := false, false
	for !replied || !idle {
		select {
		case m := <-ch:
			at := time.Since(start)
			switch {
			case m.Channel == "shell" && m.Header.MsgType == "execute_reply":
				replied = true
				res.Status = str(m.Content, "status")
				if n, ok := m.Content["execution_count"].(float64); ok {
					res.ExecutionCount = int(n)
				}
			case m.Channel == "iopub" && m.Header.MsgType == "status":
				idle = idle || str(m.Content, "execution_state") == "idle"
			case m.Channel == "stdin" && m.Header.MsgType == "input_request":
				res.Outputs = append(res.Outputs, outputOf(m, at))
				later = m
			case m.Channel == "iopub" && m.Header.MsgType != "execute_input":
				res.Outputs = append(res.Outputs, outputOf(m, at))
			}
			if later != nil {
				req := later
				deferred, err := k.answer(req, res, onInput)
				if err != nil {
					res.Duration = time.Since(start)
					return res, err
				}
				if !deferred {
					later = nil
				}
			}
		case <-ctx.Done():
			res.Duration = time.Since(start)
			return res, fmt.Errorf("cell not done (reply=%v idle=%v) after %v: %w\n%s",
				replied, idle, res.Duration.Round(time.Millisecond), ctx.Err(), res)
		case <-k.exited:
			res.Duration = time.Since(start)
			return res, k.exitError()
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// answer sends the input_reply for an input_request, unless the callback declines or defers
// (deferred reports the latter).
func (k *Kernel) answer(req *Message, res *Result, onInput ResultInputFunc) (deferred bool, err error) {
	if onInput == nil {
		return false, nil
	}
	o := outputOf(req, 0)
	v, err := onInput(res, o.Text, o.Password)
	switch {
	case errors.Is(err, ErrAnswerLater):
		return true, nil
	case errors.Is(err, ErrNoAnswer):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("answering input %q: %w", o.Text, err)
	}
	if k.inputDelay > 0 {
		time.Sleep(k.inputDelay)
	}
	return false, k.send(k.stdin, "input_reply", &req.Header, map[string]any{"value": v})
}

// Interrupt sends an interrupt_request on the control channel (GoNB's interrupt mode is
// "message"); it stops the running cell program.
func (k *Kernel) Interrupt() error {
	return k.send(k.control, "interrupt_request", nil, map[string]any{})
}
