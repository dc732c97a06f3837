package pluginsdk

import (
	"encoding/json"
	"errors"
	"fmt"
)

// handler decodes a hook's settings and input, runs the plugin's function
// and returns its output.
type handler func(settings, input json.RawMessage) (any, error)

var handlers = map[string]handler{}

// Handle registers fn as the plugin's implementation of hook (one of the
// names in the manifest's "hooks"). S is the plugin's settings struct
// (decoded from the owner's settings form, by the names in the manifest),
// I and O the hook's input and output types of this package. Call it from
// main or init.
func Handle[S, I, O any](hook string, fn func(settings S, in I) (O, error)) {
	handlers[hook] = func(sj, ij json.RawMessage) (any, error) {
		var s S
		var in I
		if err := json.Unmarshal(sj, &s); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
		if err := json.Unmarshal(ij, &in); err != nil {
			return nil, fmt.Errorf("input: %w", err)
		}
		return fn(s, in)
	}
}

// Dispatch runs the handler registered for the hook named in a host's
// call envelope and returns the output JSON, as the host would receive
// it: a plugin's own tests call it natively (go test), without a host.
func Dispatch(b []byte) []byte { return dispatch(b) }

func dispatch(b []byte) []byte {
	var env struct {
		Hook     string          `json:"hook"`
		Settings json.RawMessage `json:"settings"`
		Input    json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return errorJSON(err)
	}
	h := handlers[env.Hook]
	if h == nil {
		return errorJSON(errors.New("no handler for " + env.Hook))
	}
	res, err := h(env.Settings, env.Input)
	if err != nil {
		return errorJSON(err)
	}
	b, err = json.Marshal(res)
	if err != nil {
		return errorJSON(err)
	}
	return b
}

func errorJSON(err error) []byte {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	return b
}
