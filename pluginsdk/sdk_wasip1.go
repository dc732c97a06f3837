//go:build wasip1

package pluginsdk

import (
	"encoding/json"
	"errors"
	"unsafe"
)

// inbuf holds the input the host writes; out the last output, alive
// until the next call.
var inbuf, out []byte

//go:wasmexport akinai_alloc
func akinaiAlloc(n uint32) uint32 {
	if n == 0 {
		n = 1
	}
	inbuf = make([]byte, n)
	return uint32(uintptr(unsafe.Pointer(&inbuf[0])))
}

//go:wasmexport akinai_hook
func akinaiHook(p, n uint32) uint64 {
	out = dispatch(inbuf[:n])
	return uint64(uintptr(unsafe.Pointer(&out[0])))<<32 | uint64(len(out))
}

//go:wasmimport akinai take
func hostTake(p uint32) int32

//go:wasmimport akinai kv_get
func hostKVGet(kp, kl uint32) int32

//go:wasmimport akinai kv_set
func hostKVSet(kp, kl, vp, vl uint32) int32

//go:wasmimport akinai api_call
func hostAPICall(rp, rl uint32) int32

//go:wasmimport akinai log
func hostLog(p, l uint32)

func ptr(b []byte) (uint32, uint32) {
	if len(b) == 0 {
		return 0, 0
	}
	return uint32(uintptr(unsafe.Pointer(&b[0]))), uint32(len(b))
}

// take copies the host's pending result of n bytes.
func take(n int32) []byte {
	b := make([]byte, max(n, 1))
	hostTake(uint32(uintptr(unsafe.Pointer(&b[0]))))
	return b[:n]
}

// Errors of the host functions.
var (
	ErrNoCapability = errors.New("pluginsdk: the manifest does not ask for this capability")
	ErrNotHere      = errors.New("pluginsdk: not allowed in this hook")
	ErrRefused      = errors.New("pluginsdk: refused by the host (bad arguments or over a limit)")
	ErrHost         = errors.New("pluginsdk: host error")
)

func hostErr(r int32) error {
	switch r {
	case -2:
		return ErrNoCapability
	case -3:
		return ErrNotHere
	case -4:
		return ErrRefused
	}
	return ErrHost
}

// Get reads key from the plugin's key-value store (capability "kv");
// ok is false when the key is not set.
func Get(key string) (value []byte, ok bool, err error) {
	kp, kl := ptr([]byte(key))
	r := hostKVGet(kp, kl)
	switch {
	case r == -1:
		return nil, false, nil
	case r < 0:
		return nil, false, hostErr(r)
	}
	return take(r), true, nil
}

// Set writes key (an empty value deletes it). Only order.placed may write.
func Set(key string, value []byte) error {
	kp, kl := ptr([]byte(key))
	vp, vl := ptr(value)
	if r := hostKVSet(kp, kl, vp, vl); r < 0 {
		return hostErr(r)
	}
	return nil
}

// APIResponse is the Admin API's answer to Call.
type APIResponse struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// Call sends a request to the shop's Admin API (path under /api/v1/) with
// the plugin's own token; only order.placed may call, with the scopes of
// the manifest's api: capabilities.
func Call(method, path string, body any) (*APIResponse, error) {
	req := map[string]any{"method": method, "path": path}
	if body != nil {
		req["body"] = body
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	rp, rl := ptr(b)
	r := hostAPICall(rp, rl)
	if r < 0 {
		return nil, hostErr(r)
	}
	var res APIResponse
	if err := json.Unmarshal(take(r), &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Log writes a line to the shop's log under the plugin's name.
func Log(msg string) {
	p, l := ptr([]byte(msg))
	hostLog(p, l)
}
