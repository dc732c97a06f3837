// Package plugin runs the shop's extensions: WebAssembly modules, signed
// with Ed25519 by their publisher, in a wazero sandbox with no network,
// no files and no clock of their own, called at fixed points of the
// checkout (hooks) with a small JSON input and output, under limits of
// memory, time and input size. A plugin that fails is skipped, counted
// and, after repeated failures, disabled; the shop keeps selling. The
// plugin set, the modules and each plugin's key-value store live in the
// database, so every instance sharing it runs the same plugins.
// docs/PLUGINS.md is the guide for writers; pluginsdk is their Go SDK.
package plugin

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Hook names: the points of the shop a plugin may implement. Each says in
// its doc comment what happens when the plugin fails (fail open: as if
// the plugin were not there).
const (
	// HookDiscount takes an amount off the cart (CartIn → DiscountOut).
	// Fails open: no discount.
	HookDiscount = "cart.discount"
	// HookDelivery sets the delivery fee of each destination
	// (DeliveryIn → DeliveryOut). Fails open: the shop's own fees.
	HookDelivery = "delivery.fee"
	// HookPayments hides payment methods (PaymentsIn → PaymentsOut).
	// Fails open: every method the shop offers.
	HookPayments = "payment.methods"
	// HookValidate may refuse an order with a message (CartIn →
	// ValidateOut). Fails open: the order is accepted, and the owner sees
	// the failures on the dashboard — a broken validator must not stop
	// the shop selling.
	HookValidate = "checkout.validate"
	// HookOrderPlaced reacts to a placed order, after the commit, from the
	// plugin job queue (OrderIn, output ignored). A failure is retried
	// with back-off and then given up.
	HookOrderPlaced = "order.placed"
	// HookBlock returns an HTML fragment for the storefront's top page
	// (BlockIn → BlockOut), sanitised before it reaches the page. Fails
	// open: no block.
	HookBlock = "storefront.block"
)

// Hooks lists every hook in the order the admin shows them.
var Hooks = []string{HookDiscount, HookDelivery, HookPayments, HookValidate, HookOrderPlaced, HookBlock}

// Capabilities a plugin may ask for. A hook needs none: it gets its input
// and returns its output. CapKV gives the plugin its key-value store;
// CapAPI* let an order.placed reaction call the Admin API with the
// plugin's own token, limited to those scopes.
const CapKV = "kv"

// apiScopes are the Admin API scopes a plugin may ask for, as "api:<scope>".
var apiScopes = []string{"products:read", "products:write", "stock:read", "stock:write", "orders:read", "orders:write",
	"customers:read", "shipments:write"}

// KnownCapability reports whether c is a capability this host grants.
func KnownCapability(c string) bool {
	if c == CapKV {
		return true
	}
	s, ok := strings.CutPrefix(c, "api:")
	return ok && slices.Contains(apiScopes, s)
}

// Text is a message in both languages.
type Text struct {
	JA string `json:"ja"`
	EN string `json:"en"`
}

// In returns the text in lang, falling back to Japanese.
func (t Text) In(lang string) string {
	if lang == "en" && t.EN != "" {
		return t.EN
	}
	return t.JA
}

// Publisher names who signed a package and the key they signed it with
// (base64 of the Ed25519 public key).
type Publisher struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

// Setting is one field of a plugin's settings form.
type Setting struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"` // "int", "text", "bool" or "choice"
	Label    Text     `json:"label"`
	Help     Text     `json:"help,omitzero"`
	Default  string   `json:"default,omitempty"`
	Min      *int64   `json:"min,omitempty"`
	Max      *int64   `json:"max,omitempty"`
	Choices  []string `json:"choices,omitempty"`
	Required bool     `json:"required,omitempty"`
}

// Manifest describes a plugin: who made it, what it implements, what it
// may do and what the owner configures. It is signed together with the
// module's digest (WasmSHA256).
type Manifest struct {
	Name         string    `json:"name"`
	Version      string    `json:"version"`
	Title        Text      `json:"title"`
	Description  Text      `json:"description,omitzero"`
	Publisher    Publisher `json:"publisher"`
	Hooks        []string  `json:"hooks"`
	Capabilities []string  `json:"capabilities,omitempty"`
	Settings     []Setting `json:"settings,omitempty"`
	WasmSHA256   string    `json:"wasm_sha256"`
}

var (
	nameRE    = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)
	versionRE = regexp.MustCompile(`^\d{1,4}\.\d{1,4}\.\d{1,4}$`)
	settingRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
	hexRE     = regexp.MustCompile(`^[0-9a-f]{64}$`)
)

// Problem is why a package or a form was refused: an i18n key and its
// arguments, so the admin shows it in the reader's language.
type Problem struct {
	Key  string
	Args []any
}

func (p *Problem) Error() string { return fmt.Sprintf("plugin: %s %v", p.Key, p.Args) }

func problem(key string, args ...any) *Problem { return &Problem{Key: key, Args: args} }

// Check validates m: names, a semantic version, known hooks and
// capabilities, and a settings schema the admin can render. Errors:
// *Problem.
func (m *Manifest) Check() error {
	switch {
	case !nameRE.MatchString(m.Name):
		return problem("plugins.bad.name")
	case !versionRE.MatchString(m.Version):
		return problem("plugins.bad.version")
	case strings.TrimSpace(m.Title.JA) == "" || len(m.Title.JA) > 200 || len(m.Title.EN) > 200:
		return problem("plugins.bad.title")
	case strings.TrimSpace(m.Publisher.Name) == "" || len(m.Publisher.Name) > 200:
		return problem("plugins.bad.publisher")
	case len(m.Hooks) == 0:
		return problem("plugins.bad.no_hooks")
	case !hexRE.MatchString(m.WasmSHA256):
		return problem("plugins.bad.digest")
	}
	for _, h := range m.Hooks {
		if !slices.Contains(Hooks, h) {
			return problem("plugins.bad.hook", h)
		}
	}
	for _, c := range m.Capabilities {
		if !KnownCapability(c) {
			return problem("plugins.bad.capability", c)
		}
	}
	seen := map[string]bool{}
	for _, s := range m.Settings {
		if !settingRE.MatchString(s.Name) || seen[s.Name] {
			return problem("plugins.bad.setting", s.Name)
		}
		seen[s.Name] = true
		if !slices.Contains([]string{"int", "text", "bool", "choice"}, s.Type) || (s.Type == "choice" && len(s.Choices) == 0) {
			return problem("plugins.bad.setting", s.Name)
		}
		if s.Default != "" {
			if key := s.check(s.Default); key != "" {
				return problem("plugins.bad.setting", s.Name)
			}
		}
	}
	return nil
}

// Has reports whether the plugin implements hook.
func (m *Manifest) Has(hook string) bool { return slices.Contains(m.Hooks, hook) }

// Can reports whether the plugin asked for capability c.
func (m *Manifest) Can(c string) bool { return slices.Contains(m.Capabilities, c) }

// check validates one value of s, returning an i18n key or "".
func (s Setting) check(v string) string {
	if v == "" {
		if s.Required {
			return "plugins.setting.required"
		}
		return ""
	}
	switch s.Type {
	case "int":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return "plugins.setting.int"
		}
		if (s.Min != nil && n < *s.Min) || (s.Max != nil && n > *s.Max) {
			return "plugins.setting.range"
		}
	case "bool":
		if v != "1" && v != "0" {
			return "plugins.setting.bool"
		}
	case "choice":
		if !slices.Contains(s.Choices, v) {
			return "plugins.setting.choice"
		}
	case "text":
		if len(v) > 1000 {
			return "plugins.setting.long"
		}
	}
	return ""
}

// CheckSettings validates the values of a settings form against the
// schema, returning the values to store (defaults filled in, unknown
// names dropped) and the problems per field as i18n keys.
func (m *Manifest) CheckSettings(in map[string]string) (map[string]string, map[string]string) {
	out, fields := map[string]string{}, map[string]string{}
	for _, s := range m.Settings {
		v, ok := in[s.Name]
		if !ok {
			v = s.Default
		}
		v = strings.TrimSpace(v)
		if key := s.check(v); key != "" {
			fields[s.Name] = key
		}
		out[s.Name] = v
	}
	return out, fields
}

// MigrateSettings carries the settings of an installed version over to
// next's schema: kept where the new schema still accepts them, the new
// default where a setting is new. A kept value the new schema refuses,
// with no default to fall back on, refuses the update (the problems by
// field are returned).
func (next *Manifest) MigrateSettings(old map[string]string) (map[string]string, map[string]string) {
	in := map[string]string{}
	for _, s := range next.Settings {
		if v, ok := old[s.Name]; ok && s.check(v) == "" {
			in[s.Name] = v
		}
	}
	return next.CheckSettings(in)
}

// settingsJSON encodes the values of a plugin's settings as its hooks
// receive them: ints as numbers, bools as true/false, the rest as strings.
func (m *Manifest) settingsJSON(vals map[string]string) json.RawMessage {
	out := map[string]any{}
	for _, s := range m.Settings {
		v := vals[s.Name]
		switch s.Type {
		case "int":
			n, _ := strconv.ParseInt(v, 10, 64)
			out[s.Name] = n
		case "bool":
			out[s.Name] = v == "1"
		default:
			out[s.Name] = v
		}
	}
	b, _ := json.Marshal(out)
	return b
}
