package plugin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/akinai/akinai/internal/db"
)

// Limits bound one call into a plugin.
type Limits struct {
	// MemoryPages caps a module's linear memory, in 64 KiB pages: an
	// allocation past it traps.
	MemoryPages uint32
	// Timeout is the deadline of one hook call; wazero closes the module
	// when it passes (WithCloseOnContextDone), so a loop is stopped.
	Timeout time.Duration
	// InitTimeout is the deadline of a new instance's start (the Go
	// runtime's initialisation and the plugin's init functions).
	InitTimeout time.Duration
	// MaxInput and MaxOutput cap the JSON passed each way, in bytes.
	MaxInput, MaxOutput int
}

// DefaultLimits are the shop's limits. Shopify allows 5 ms; 100 ms leaves
// room for a loaded two-core machine while a loop still costs a buyer
// only a tenth of a second, once, before the plugin is disabled.
var DefaultLimits = Limits{MemoryPages: 1024, Timeout: 100 * time.Millisecond, InitTimeout: 2 * time.Second, MaxInput: 64 << 10, MaxOutput: 64 << 10}

// ErrSkipped wraps every failure of a plugin call: the caller goes on as
// if the plugin were not there (fail open), and the failure is counted.
var ErrSkipped = errors.New("plugin skipped")

// Host runs plugin modules. Each module is compiled once per Host (and
// through the compilation cache, once per process) and its instances are
// pooled: instantiating a Go module takes milliseconds, a call on a warm
// instance microseconds. An instance that failed is thrown away.
//
// Modules get WASI with no directories, no network, no environment and
// wazero's default clocks, which are fake and deterministic: a plugin
// that wants the time reads the "now" of its input, the host's.
type Host struct {
	Limits Limits
	// API receives a plugin's Admin API calls (the host function
	// api_call), with the plugin's token in the Authorization header; nil
	// refuses them.
	API http.Handler
	Log *slog.Logger

	rt       wazero.Runtime
	mu       sync.Mutex
	mods     map[string]*module // by the module's SHA-256
	compiles atomic.Int64
}

type module struct {
	compiled wazero.CompiledModule
	idle     chan api.Module
}

// NewHost starts a wazero runtime with the limits. Close it to free the
// compiled code.
func NewHost(ctx context.Context, l Limits, cache wazero.CompilationCache) (*Host, error) {
	cfg := wazero.NewRuntimeConfig().WithCloseOnContextDone(true).WithMemoryLimitPages(l.MemoryPages)
	if cache != nil {
		cfg = cfg.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	h := &Host{Limits: l, rt: rt, mods: map[string]*module{}, Log: slog.Default()}
	if err := h.hostModule(ctx); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	return h, nil
}

// Close frees the runtime and everything compiled in it.
func (h *Host) Close(ctx context.Context) error { return h.rt.Close(ctx) }

// Compiles counts the modules this host compiled (a test and the
// benchmark check that a module compiles once).
func (h *Host) Compiles() int64 { return h.compiles.Load() }

// Check compiles a module to see that wazero accepts it and that it has
// the exports of a plugin, without running it. Errors: *Problem.
// The compiled module is kept for when the plugin is enabled.
func (h *Host) Check(ctx context.Context, wasm []byte) error {
	sum := sha256.Sum256(wasm)
	m, err := h.compile(ctx, hex.EncodeToString(sum[:]), wasm)
	if err != nil {
		return problem("plugins.bad.not_wasm")
	}
	ex := m.compiled.ExportedFunctions()
	if ex["akinai_alloc"] == nil || ex["akinai_hook"] == nil {
		return problem("plugins.bad.exports")
	}
	return nil
}

// load returns the compiled module of p, compiling it the first time.
func (h *Host) load(ctx context.Context, p *Installed) (*module, error) {
	return h.compile(ctx, p.WasmSHA256, p.Module)
}

func (h *Host) compile(ctx context.Context, sum string, wasm []byte) (*module, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m := h.mods[sum]; m != nil {
		return m, nil
	}
	cm, err := h.rt.CompileModule(ctx, wasm)
	if err != nil {
		return nil, err
	}
	h.compiles.Add(1)
	m := &module{compiled: cm, idle: make(chan api.Module, 8)}
	h.mods[sum] = m
	return m, nil
}

// Forget drops the compiled modules whose digests are not in keep (a
// plugin updated or uninstalled).
func (h *Host) Forget(ctx context.Context, keep map[string]bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for sum, m := range h.mods {
		if keep[sum] {
			continue
		}
		delete(h.mods, sum)
		for done := false; !done; {
			select {
			case inst := <-m.idle:
				inst.Close(ctx)
			default:
				done = true
			}
		}
		m.compiled.Close(ctx) // safe with calls still running
	}
}

func (h *Host) instance(ctx context.Context, m *module) (api.Module, error) {
	select {
	case inst := <-m.idle:
		return inst, nil
	default:
	}
	ictx, cancel := context.WithTimeout(ctx, h.Limits.InitTimeout)
	defer cancel()
	return h.rt.InstantiateModule(ictx, m.compiled, wazero.NewModuleConfig().WithName("").
		WithStartFunctions("_initialize").WithStdout(discard{}).WithStderr(discard{}))
}

func (h *Host) release(ctx context.Context, m *module, inst api.Module) {
	select {
	case m.idle <- inst:
	default:
		inst.Close(ctx)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// envelope is what akinai_hook receives.
type envelope struct {
	Hook     string          `json:"hook"`
	Settings json.RawMessage `json:"settings"`
	Input    any             `json:"input"`
}

// Call runs hook of p with in and decodes its output into out. q is where
// the plugin's key-value reads go (the caller's transaction, if any).
// Every failure — the module does not load, the input is too large, a
// trap, the deadline, output that is too large, not JSON or an error the
// plugin returned — wraps ErrSkipped, with the reason.
func (h *Host) Call(ctx context.Context, p *Installed, hook string, q db.Queryer, in, out any) error {
	err := h.call(ctx, p, hook, q, in, out)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", ErrSkipped, p.Name, hook, err)
	}
	return nil
}

func (h *Host) call(ctx context.Context, p *Installed, hook string, q db.Queryer, in, out any) error {
	body, err := json.Marshal(envelope{Hook: hook, Settings: p.Manifest.settingsJSON(p.Settings), Input: in})
	if err != nil {
		return err
	}
	if len(body) > h.Limits.MaxInput {
		return fmt.Errorf("input of %d bytes over the limit of %d", len(body), h.Limits.MaxInput)
	}
	m, err := h.load(ctx, p)
	if err != nil {
		return fmt.Errorf("compile: %w", err)
	}
	cs := &callState{plugin: p, hook: hook, q: q, host: h}
	ctx = context.WithValue(ctx, callKey{}, cs)
	inst, err := h.instance(ctx, m)
	if err != nil {
		return fmt.Errorf("start: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, h.Limits.Timeout)
	defer cancel()
	res, err := h.invoke(cctx, inst, body)
	if err != nil {
		inst.Close(ctx) // a trap or a deadline leaves it unusable
		if cctx.Err() != nil {
			return fmt.Errorf("stopped after %s", h.Limits.Timeout)
		}
		return err
	}
	h.release(ctx, m, inst)
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(res, &e) == nil && e.Error != "" {
		return fmt.Errorf("plugin error: %.200s", e.Error)
	}
	if out == nil {
		return nil
	}
	dec := json.NewDecoder(bytesReader(res))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("output is not the expected JSON: %w", err)
	}
	return nil
}

// invoke copies body into the instance, calls akinai_hook and copies the
// output out.
func (h *Host) invoke(ctx context.Context, inst api.Module, body []byte) ([]byte, error) {
	alloc, hook := inst.ExportedFunction("akinai_alloc"), inst.ExportedFunction("akinai_hook")
	if alloc == nil || hook == nil {
		return nil, errors.New("module lacks akinai_alloc or akinai_hook")
	}
	r, err := alloc.Call(ctx, uint64(len(body)))
	if err != nil {
		return nil, trapError(err)
	}
	ptr := uint32(r[0])
	if !inst.Memory().Write(ptr, body) {
		return nil, errors.New("akinai_alloc returned memory out of range")
	}
	r, err = hook.Call(ctx, uint64(ptr), uint64(len(body)))
	if err != nil {
		return nil, trapError(err)
	}
	optr, olen := uint32(r[0]>>32), uint32(r[0])
	if int(olen) > h.Limits.MaxOutput {
		return nil, fmt.Errorf("output of %d bytes over the limit of %d", olen, h.Limits.MaxOutput)
	}
	res, ok := inst.Memory().Read(optr, olen)
	if !ok {
		return nil, errors.New("output out of range")
	}
	return append([]byte(nil), res...), nil
}

// trapError shortens wazero's error (which carries a wasm stack trace)
// to its first line.
func trapError(err error) error {
	s := err.Error()
	for i, c := range s {
		if c == '\n' {
			s = s[:i]
			break
		}
	}
	return fmt.Errorf("trap: %.300s", s)
}
