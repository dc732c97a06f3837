//go:build !wasip1

package pluginsdk

import (
	"encoding/json"
	"errors"
)

// Outside WebAssembly (a plugin's own tests) there is no host: the store
// and the API answer ErrHost; Dispatch runs the handlers.

// Errors of the host functions.
var (
	ErrNoCapability = errors.New("pluginsdk: the manifest does not ask for this capability")
	ErrNotHere      = errors.New("pluginsdk: not allowed in this hook")
	ErrRefused      = errors.New("pluginsdk: refused by the host (bad arguments or over a limit)")
	ErrHost         = errors.New("pluginsdk: host error")
)

// Get reads key from the plugin's key-value store.
func Get(key string) (value []byte, ok bool, err error) { return nil, false, ErrHost }

// Set writes key.
func Set(key string, value []byte) error { return ErrHost }

// APIResponse is the Admin API's answer to Call.
type APIResponse struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// Call sends a request to the shop's Admin API.
func Call(method, path string, body any) (*APIResponse, error) { return nil, ErrHost }

// Log writes a line to the shop's log.
func Log(msg string) {}
