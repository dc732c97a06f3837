package admin

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/settings"
	"github.com/akinai/akinai/internal/web"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestPermissions_OwnerAllStaffLimited(t *testing.T) {
	t.Parallel()
	for area := range Permissions {
		if !Allowed(Owner, area, Write) && area != AreaAudit {
			t.Errorf("owner cannot write %s", area)
		}
	}
	for _, tc := range []struct {
		role Role
		area Area
		need Access
		want bool
	}{
		{Staff, AreaSecurity, Read, false},
		{Staff, AreaAdmins, Read, false},
		{Staff, AreaAudit, Read, false},
		{Staff, AreaProducts, Write, true},
		{Staff, AreaCustomers, Write, false},
		{Manager, AreaAdmins, Write, false},
		{Manager, AreaAdmins, Read, true},
		{Manager, AreaSecurity, Read, false},
		{Owner, AreaSecurity, Write, true},
		{Role("root"), AreaDashboard, Read, false},
	} {
		if got := Allowed(tc.role, tc.area, tc.need); got != tc.want {
			t.Errorf("Allowed(%s, %s, %d) = %v, want %v", tc.role, tc.area, tc.need, got, tc.want)
		}
	}
}

func TestNew_RelyingPartyIsExactlyTheShop(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	secret := make([]byte, 32)
	h, err := New(d, settings.New(d), web.NewRenderer(slog.New(slog.NewTextHandler(io.Discard, nil)), web.NewAssets()), slog.New(slog.NewTextHandler(io.Discard, nil)),
		Config{Path: "admin-test1234", BaseURL: "https://shop.example.co.jp", Secret: secret})
	if err != nil {
		t.Fatal(err)
	}
	if h.webauthn.Config.RPID != "shop.example.co.jp" || len(h.webauthn.Config.RPOrigins) != 1 || h.webauthn.Config.RPOrigins[0] != "https://shop.example.co.jp" {
		t.Fatalf("RP %q origins %v", h.webauthn.Config.RPID, h.webauthn.Config.RPOrigins)
	}
	if _, err := New(d, settings.New(d), web.NewRenderer(slog.New(slog.NewTextHandler(io.Discard, nil)), web.NewAssets()), nil, Config{Path: "a/b", BaseURL: "https://x.jp", Secret: secret}); err == nil {
		t.Fatal("a path with a slash was accepted")
	}
}

func TestPasswordPolicyKeysAreTranslated(t *testing.T) {
	t.Parallel()
	for _, k := range []string{auth.KeyPasswordTooShort, auth.KeyPasswordTooLong, auth.KeyPasswordCommon, auth.KeyPasswordContainsIdentity} {
		if !i18n.Has("admin." + k) {
			t.Errorf("no message admin.%s", k)
		}
	}
}

func TestSafeNext_StaysInsideTheAdmin(t *testing.T) {
	t.Parallel()
	h := &Handlers{base: "/admin-x"}
	for in, want := range map[string]string{
		"/admin-x/security": "/admin-x/security",
		"//evil.example/":   "/admin-x/",
		"https://evil/":     "/admin-x/",
		"/admin-x/\\evil":   "/admin-x/",
		"/other":            "/admin-x/",
	} {
		if got := h.safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDeviceName(t *testing.T) {
	t.Parallel()
	if got := deviceName("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1"); got != "Safari / iPhone" {
		t.Errorf("iPhone Safari = %q", got)
	}
}

// Another area's page mounted through Mount gets the same guard: no
// session → sign-in; a role without access → 403 and an audit entry.
func TestMount_GuardsOtherAreas(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := web.NewRenderer(log, web.NewAssets())
	h, err := New(d, settings.New(d), r, log, Config{Path: "admin-test1234", BaseURL: "http://shop.localhost", Secret: make([]byte, 32)})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	h.Routes(mux)
	h.Mount(mux, "GET /products", AreaProducts, Read, false, func(w http.ResponseWriter, r *http.Request) error {
		w.Write([]byte("products of " + Current(r).Email))
		return nil
	})
	srv := web.Middleware(web.Config{Log: log, Secret: make([]byte, 32), Errors: r}, mux)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/admin-test1234/products", nil))
	if rec.Code != http.StatusSeeOther || !strings.HasSuffix(rec.Header().Get("Location"), "/login") {
		t.Fatalf("mounted page without a session = %d %q", rec.Code, rec.Header().Get("Location"))
	}
}
