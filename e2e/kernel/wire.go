package kernel

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// protocolVersion is the Jupyter messaging protocol version the driver speaks.
const protocolVersion = "5.3"

// delimiter separates ZeroMQ routing identities from a Jupyter message.
const delimiter = "<IDS|MSG>"

// Header is a Jupyter message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"`
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one decoded Jupyter message, as received from the kernel.
type Message struct {
	// Channel is where it arrived: "shell", "iopub", "stdin" or "control".
	Channel      string
	Header       Header
	ParentHeader Header
	Metadata     map[string]any
	Content      map[string]any
	// Received is when the driver decoded it.
	Received time.Time
}

// signer signs and checks messages with the connection key (hmac-sha256).
type signer struct{ key []byte }

func (s signer) sign(parts ...[]byte) []byte {
	mac := hmac.New(sha256.New, s.key)
	for _, p := range parts {
		mac.Write(p)
	}
	return []byte(hex.EncodeToString(mac.Sum(nil)))
}

// encode returns the frames of a message to send from a DEALER socket.
func (s signer) encode(h Header, parent *Header, content any) ([][]byte, error) {
	hb, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	pb := []byte("{}")
	if parent != nil {
		if pb, err = json.Marshal(parent); err != nil {
			return nil, err
		}
	}
	cb, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	mb := []byte("{}")
	return [][]byte{[]byte(delimiter), s.sign(hb, pb, mb, cb), hb, pb, mb, cb}, nil
}

// decode parses the frames of a received message and checks its signature.
func (s signer) decode(channel string, frames [][]byte) (*Message, error) {
	i := 0
	for i < len(frames) && string(frames[i]) != delimiter {
		i++
	}
	if len(frames)-i < 6 {
		return nil, fmt.Errorf("malformed %s message: %d frames", channel, len(frames))
	}
	sig, hb, pb, mb, cb := frames[i+1], frames[i+2], frames[i+3], frames[i+4], frames[i+5]
	if !hmac.Equal(sig, s.sign(hb, pb, mb, cb)) {
		return nil, errors.New("bad message signature on " + channel)
	}
	m := &Message{Channel: channel, Received: time.Now()}
	if err := json.Unmarshal(hb, &m.Header); err != nil {
		return nil, fmt.Errorf("%s header: %w", channel, err)
	}
	_ = json.Unmarshal(pb, &m.ParentHeader) // "{}" or a header
	_ = json.Unmarshal(mb, &m.Metadata)
	if err := json.Unmarshal(cb, &m.Content); err != nil {
		return nil, fmt.Errorf("%s content: %w", channel, err)
	}
	return m, nil
}

// newID returns a random hex identifier (used for msg_id, session and keys).
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (k *Kernel) header(msgType string) Header {
	return Header{
		MsgID:    newID(),
		Session:  k.session,
		Username: "e2e",
		Date:     time.Now().UTC().Format(time.RFC3339Nano),
		MsgType:  msgType,
		Version:  protocolVersion,
	}
}

// str returns m[key] as a string ("" when absent or not a string).
func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}
