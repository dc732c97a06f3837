package customer

import (
	"context"
	"fmt"
	"testing"

	"github.com/akinai/akinai/internal/auth"
	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/shop"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

var testAddress = order.Address{FamilyName: "佐藤", GivenName: "花子", FamilyKana: "サトウ", GivenKana: "ハナコ",
	Phone: "09012345678", PostalCode: "1000001", Pref: 13, City: "千代田区千代田", Address1: "1-1"}

// mustActive registers and confirms a customer and returns it.
func mustActive(t *testing.T, s *Store, email, pw string) *Customer {
	t.Helper()
	ctx := context.Background()
	h, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Register(ctx, &Registration{Email: email, PasswordHash: h, Profile: Profile{Address: testAddress, Birthday: "1990-04-01", Gender: "female"}, Lang: "ja"}); err != nil {
		t.Fatal(err)
	}
	tok := mustToken(t, s, email, "confirm")
	c, err := s.Confirm(ctx, tok)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mustToken plants a fresh link for email (the mailed token is only in
// the outbox body; the store tests make their own).
func mustToken(t *testing.T, s *Store, email, purpose string) string {
	t.Helper()
	var tok string
	err := s.DB.Tx(context.Background(), func(tx *db.Tx) error {
		c, err := byEmail(context.Background(), tx, EmailKey(email))
		if err != nil {
			return err
		}
		tok, err = newLink(context.Background(), tx, c.ID, purpose, "", ConfirmTTL)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestStore_Lifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d, "https://shop.example")
		c := mustActive(t, s, "Hanako@Example.jp", "kumo-no-ue-de-odoru")
		if c.Status != Active {
			t.Fatalf("status %s", c.Status)
		}
		t.Run("authenticate", func(t *testing.T) {
			if _, err := s.Authenticate(ctx, "hanako@example.jp", "kumo-no-ue-de-odoru"); err != nil {
				t.Fatalf("case-folded address: %v", err)
			}
			for _, tc := range [][2]string{{"hanako@example.jp", "wrong"}, {"nobody@example.jp", "kumo-no-ue-de-odoru"}} {
				if _, err := s.Authenticate(ctx, tc[0], tc[1]); err != ErrCredentials {
					t.Errorf("%v: %v", tc, err)
				}
			}
		})
		t.Run("used link", func(t *testing.T) {
			tok := mustToken(t, s, c.Email, "confirm")
			if _, err := s.Confirm(ctx, tok); err != ErrLink { // already active
				t.Fatalf("confirm of active account: %v", err)
			}
			if _, err := s.Confirm(ctx, "x"+tok[1:]); err != ErrLink {
				t.Fatalf("tampered: %v", err)
			}
		})
		t.Run("sessions", func(t *testing.T) {
			tk, err := s.StartSession(ctx, c.ID, true, Device{})
			if err != nil {
				t.Fatal(err)
			}
			if got, err := s.Session(ctx, tk.Session); err != nil || got.ID != c.ID {
				t.Fatalf("session: %v", err)
			}
			nt, err := s.Resume(ctx, tk.Remember, Device{})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Resume(ctx, tk.Remember, Device{}); shop.KindOf(err) != shop.Unauthorized {
				t.Fatalf("remember token worked twice: %v", err)
			}
			if err := s.EndAll(ctx, c.ID, ""); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Session(ctx, nt.Session); shop.KindOf(err) != shop.Unauthorized {
				t.Fatalf("session after EndAll: %v", err)
			}
		})
		t.Run("addresses", func(t *testing.T) {
			for i := range MaxAddresses {
				a := testAddress
				a.Address2 = fmt.Sprint(i)
				if err := s.SaveAddress(ctx, c.ID, 0, a); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.SaveAddress(ctx, c.ID, 0, testAddress); shop.KindOf(err) != shop.Invalid {
				t.Fatalf("21st address: %v", err)
			}
			other := mustActive(t, s, "other@example.jp", "sora-no-iro-ga-kawaru")
			list, _ := Addresses(ctx, d, c.ID)
			if err := s.DeleteAddress(ctx, other.ID, list[0].ID); shop.KindOf(err) != shop.NotFound {
				t.Fatalf("deleting another customer's address: %v", err)
			}
		})
		t.Run("withdraw scrubs", func(t *testing.T) {
			c, _ := ByID(ctx, d, c.ID)
			if err := s.Withdraw(ctx, c, "wrong"); shop.KindOf(err) != shop.Invalid {
				t.Fatalf("withdraw with a wrong password: %v", err)
			}
			if err := s.Withdraw(ctx, c, "kumo-no-ue-de-odoru"); err != nil {
				t.Fatal(err)
			}
			assertScrubbed(t, d, c.ID, "hanako")
			// The address can register again.
			mustActive(t, s, "hanako@example.jp", "aozora-ni-tobu-kujira")
		})
	})
}

// assertScrubbed checks that no customer table holds personal data of id.
func assertScrubbed(t *testing.T, d *db.DB, id int64, needle string) {
	t.Helper()
	ctx := context.Background()
	var row string
	err := d.QueryRow(ctx, `SELECT status || email || family_name || given_name || family_kana || given_kana || company || phone || postal_code ||
		city || address1 || address2 || birthday || gender || password_hash || anti_phishing FROM customers WHERE id = ?`, id).Scan(&row)
	if err != nil {
		t.Fatal(err)
	}
	if row != fmt.Sprintf("withdrawnwithdrawn-%d@invalid", id) {
		t.Fatalf("customer row after withdrawal: %q", row)
	}
	for _, tbl := range []string{"customer_addresses", "customer_favorites", "customer_sessions", "customer_tokens", "customer_passkeys", "carts"} {
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM `+tbl+` WHERE customer_id = ?`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%s keeps %d rows", tbl, n)
		}
	}
	var n int
	d.QueryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE LOWER(to_addr) LIKE ? AND status <> 'pending'`, "%"+needle+"%").Scan(&n)
	if n != 0 {
		t.Errorf("outbox keeps %d sent mails to the address", n)
	}
}
