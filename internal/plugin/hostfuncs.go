package plugin

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/tetratelabs/wazero/api"

	"github.com/akinai/akinai/internal/db"
)

// Results of the host functions (negative: refused).
const (
	resNotFound  = -1
	resNoCap     = -2 // the plugin did not ask for the capability
	resNotHere   = -3 // not allowed in this hook
	resBad       = -4 // bad arguments or over a limit
	resHostError = -5
)

// KV limits per plugin.
const (
	MaxKVKey   = 200
	MaxKVValue = 16 << 10
	MaxKVKeys  = 1000
	maxAPIBody = 64 << 10
)

type callKey struct{}

// callState is one hook call as the host functions see it: which plugin,
// which hook, where its reads go, and the result waiting to be taken.
type callState struct {
	plugin  *Installed
	hook    string
	q       db.Queryer
	host    *Host
	pending []byte
}

func stateOf(ctx context.Context) *callState {
	cs, _ := ctx.Value(callKey{}).(*callState)
	return cs
}

// hostModule defines the functions the guest imports from "akinai". Data
// coming back to the guest (a value, an API answer) is held by the host
// and copied in by take, after the guest allocated its length.
func (h *Host) hostModule(ctx context.Context) error {
	b := h.rt.NewHostModuleBuilder("akinai")
	fn := func(name string, f api.GoModuleFunc, params, results []api.ValueType) {
		b.NewFunctionBuilder().WithGoModuleFunction(f, params, results).Export(name)
	}
	i32 := api.ValueTypeI32
	fn("take", func(ctx context.Context, m api.Module, st []uint64) {
		cs := stateOf(ctx)
		if cs == nil || !m.Memory().Write(uint32(st[0]), cs.pending) {
			st[0] = api.EncodeI32(resBad)
			return
		}
		st[0] = api.EncodeI32(int32(len(cs.pending)))
		cs.pending = nil
	}, []api.ValueType{i32}, []api.ValueType{i32})
	fn("kv_get", func(ctx context.Context, m api.Module, st []uint64) {
		st[0] = api.EncodeI32(stateOf(ctx).kvGet(ctx, m, uint32(st[0]), uint32(st[1])))
	}, []api.ValueType{i32, i32}, []api.ValueType{i32})
	fn("kv_set", func(ctx context.Context, m api.Module, st []uint64) {
		st[0] = api.EncodeI32(stateOf(ctx).kvSet(ctx, m, uint32(st[0]), uint32(st[1]), uint32(st[2]), uint32(st[3])))
	}, []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32})
	fn("api_call", func(ctx context.Context, m api.Module, st []uint64) {
		st[0] = api.EncodeI32(stateOf(ctx).apiCall(ctx, m, uint32(st[0]), uint32(st[1])))
	}, []api.ValueType{i32, i32}, []api.ValueType{i32})
	fn("log", func(ctx context.Context, m api.Module, st []uint64) {
		if cs := stateOf(ctx); cs != nil {
			if b, ok := m.Memory().Read(uint32(st[0]), min(uint32(st[1]), 500)); ok {
				cs.host.Log.Info("plugin log", "plugin", cs.plugin.Name, "hook", cs.hook, "msg", string(b))
			}
		}
	}, []api.ValueType{i32, i32}, nil)
	_, err := b.Instantiate(ctx)
	return err
}

func (cs *callState) key(m api.Module, p, n uint32) (string, bool) {
	if n == 0 || n > MaxKVKey {
		return "", false
	}
	b, ok := m.Memory().Read(p, n)
	return string(b), ok
}

// kvGet reads a value of the plugin's store; the checkout's hooks read
// through the checkout's own transaction.
func (cs *callState) kvGet(ctx context.Context, m api.Module, kp, kl uint32) int32 {
	if cs == nil {
		return resHostError
	}
	if !cs.plugin.Manifest.Can(CapKV) {
		return resNoCap
	}
	k, ok := cs.key(m, kp, kl)
	if !ok {
		return resBad
	}
	var v []byte
	err := cs.q.QueryRow(ctx, `SELECT value FROM plugin_kv WHERE plugin = ? AND k = ?`, cs.plugin.Name, k).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return resNotFound
	}
	if err != nil {
		return resHostError
	}
	cs.pending = v
	return int32(len(v))
}

// kvSet writes a value (an empty one deletes the key). Only the
// order.placed reaction writes: the checkout's hooks run inside the
// order's transaction and may be called many times per order.
func (cs *callState) kvSet(ctx context.Context, m api.Module, kp, kl, vp, vl uint32) int32 {
	if cs == nil {
		return resHostError
	}
	if !cs.plugin.Manifest.Can(CapKV) {
		return resNoCap
	}
	d, ok := cs.q.(*db.DB)
	if cs.hook != HookOrderPlaced || !ok {
		return resNotHere
	}
	k, ok := cs.key(m, kp, kl)
	if !ok || vl > MaxKVValue {
		return resBad
	}
	v, ok := m.Memory().Read(vp, vl)
	if !ok {
		return resBad
	}
	v = append([]byte(nil), v...)
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if len(v) == 0 {
			_, err := tx.Exec(ctx, `DELETE FROM plugin_kv WHERE plugin = ? AND k = ?`, cs.plugin.Name, k)
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM plugin_kv WHERE plugin = ? AND k <> ?`, cs.plugin.Name, k).Scan(&n); err != nil {
			return err
		}
		if n >= MaxKVKeys {
			return errKVFull
		}
		_, err := tx.Exec(ctx, `INSERT INTO plugin_kv (plugin, k, value, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (plugin, k) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, cs.plugin.Name, k, v, tx.Now())
		return err
	})
	switch {
	case errors.Is(err, errKVFull):
		return resBad
	case err != nil:
		return resHostError
	}
	return 0
}

var errKVFull = errors.New("plugin: key-value store full")

// apiRequest is what a plugin sends to api_call.
type apiRequest struct {
	Method string          `json:"method"`
	Path   string          `json:"path"`
	Body   json.RawMessage `json:"body,omitempty"`
}

// apiResponse is what it gets back (through take).
type apiResponse struct {
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body,omitempty"`
}

// apiCall forwards a request of the order.placed reaction to the Admin
// API in process, as the plugin: with its own token, whose scopes are the
// api: capabilities it was installed with (the API enforces them). Only
// paths under /api/v1/ are reachable; nothing leaves the machine.
func (cs *callState) apiCall(ctx context.Context, m api.Module, rp, rl uint32) int32 {
	if cs == nil || cs.host.API == nil {
		return resHostError
	}
	if len(cs.plugin.Scopes()) == 0 {
		return resNoCap
	}
	if cs.hook != HookOrderPlaced {
		return resNotHere
	}
	b, ok := m.Memory().Read(rp, rl)
	if !ok || rl > maxAPIBody {
		return resBad
	}
	var req apiRequest
	if json.Unmarshal(b, &req) != nil || !strings.HasPrefix(req.Path, "/api/v1/") || strings.Contains(req.Path, "..") {
		return resBad
	}
	switch req.Method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
	default:
		return resBad
	}
	r, err := http.NewRequestWithContext(ctx, req.Method, "http://plugin.invalid"+req.Path, bytes.NewReader(req.Body))
	if err != nil {
		return resBad
	}
	r.RemoteAddr = "127.0.0.1:0"
	r.Header.Set("Authorization", "Bearer "+cs.plugin.Token)
	r.Header.Set("X-Akinai-Plugin", cs.plugin.Name)
	if len(req.Body) > 0 {
		r.Header.Set("Content-Type", "application/json")
	}
	w := &recorder{header: http.Header{}, status: http.StatusOK}
	cs.host.API.ServeHTTP(w, r)
	res := apiResponse{Status: w.status}
	if body := bytes.TrimSpace(w.body.Bytes()); json.Valid(body) {
		res.Body = body
	} else if len(body) > 0 {
		res.Body, _ = json.Marshal(string(body))
	}
	out, _ := json.Marshal(res)
	cs.pending = out
	return int32(len(out))
}

// recorder is the response of an in-process API call, its body capped.
type recorder struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (w *recorder) Header() http.Header { return w.header }
func (w *recorder) WriteHeader(s int) {
	if !w.wrote {
		w.status, w.wrote = s, true
	}
}
func (w *recorder) Write(p []byte) (int, error) {
	w.wrote = true
	if room := maxAPIBody - w.body.Len(); room > 0 {
		w.body.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
