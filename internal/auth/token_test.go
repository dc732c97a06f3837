package auth

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// testKey is 00 01 02 … 1f.
func testKey() []byte {
	k := make([]byte, 32)
	for i := range k {
		k[i] = byte(i)
	}
	return k
}

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok := NewToken()
		raw, err := base64.RawURLEncoding.Strict().DecodeString(tok)
		if err != nil || len(raw) != 32 || len(tok) != 43 {
			t.Fatalf("token %q: want 43 characters of base64url for 32 bytes (%v)", tok, err)
		}
		if seen[tok] {
			t.Fatalf("token %q repeated", tok)
		}
		seen[tok] = true
	}
}

func TestHashToken(t *testing.T) {
	// sha256("abc") from FIPS 180-2.
	if got := HashToken("abc"); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Fatalf("HashToken(abc) = %s", got)
	}
	tok := NewToken()
	sum := sha256.Sum256([]byte(tok))
	if HashToken(tok) != hex.EncodeToString(sum[:]) || strings.Contains(HashToken(tok), tok) {
		t.Fatal("HashToken is not the hex SHA-256 of the token")
	}
}

func TestSign(t *testing.T) {
	key := testKey()
	// Computed with: printf '\0\0\0\0\0\0\0\x0bsession-123\0\0\0\0\0\0\0\x04csrf' |
	//   openssl dgst -sha256 -mac HMAC -macopt hexkey:000102…1f -binary | basenc --base64url
	const want = "leq6jKq2k5I0xkIHTTGevLoNX2Yj4ommBQGCNgtoVlc"
	if got := Sign(key, "session-123", "csrf"); got != want {
		t.Fatalf("Sign = %s; want %s (OpenSSL)", got, want)
	}
	if !VerifySigned(key, want, "session-123", "csrf") {
		t.Fatal("VerifySigned refused a good signature")
	}

	other := testKey()
	other[31] ^= 1
	for _, tc := range []struct {
		name  string
		key   []byte
		sig   string
		parts []string
	}{
		{"other key", other, want, []string{"session-123", "csrf"}},
		{"other session", key, want, []string{"session-124", "csrf"}},
		{"parts shifted", key, Sign(key, "session-12", "3csrf"), []string{"session-123", "csrf"}},
		{"parts joined", key, Sign(key, "session-123csrf"), []string{"session-123", "csrf"}},
		{"extra part", key, want, []string{"session-123", "csrf", ""}},
		{"no parts", key, want, nil},
		{"truncated", key, want[:42], []string{"session-123", "csrf"}},
		{"padded", key, want + "=", []string{"session-123", "csrf"}},
		{"std base64", key, base64.RawStdEncoding.EncodeToString([]byte("x")), []string{"session-123", "csrf"}},
		{"empty", key, "", []string{"session-123", "csrf"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if VerifySigned(tc.key, tc.sig, tc.parts...) {
				t.Fatalf("VerifySigned accepted %q for %q", tc.sig, tc.parts)
			}
		})
	}
}

func TestSign_ShortKeyPanics(t *testing.T) {
	for _, f := range []func(){
		func() { Sign(make([]byte, 31), "x") },
		func() { VerifySigned(nil, "x", "x") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic for a short key")
				}
			}()
			f()
		}()
	}
}

func TestSealOpen(t *testing.T) {
	key := testKey()
	plain := []byte("JBSWY3DPEHPK3PXP")
	aad := []byte("totp:user:42")
	sealed, err := Seal(key, plain, aad)
	if err != nil {
		t.Fatal(err)
	}
	if len(sealed) != len(plain)+28 || bytes.Contains(sealed, plain) {
		t.Fatalf("sealed is %d bytes; want %d, without the plaintext", len(sealed), len(plain)+28)
	}
	got, err := Open(key, sealed, aad)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("Open = %q, %v", got, err)
	}

	// The documented layout, read with a plain GCM: nonce ‖ ciphertext ‖ tag.
	block, _ := aes.NewCipher(key)
	gcm, _ := cipher.NewGCM(block)
	if got, err := gcm.Open(nil, sealed[:12], sealed[12:], aad); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("plain GCM with the leading nonce: %q, %v", got, err)
	}

	again, _ := Seal(key, plain, aad)
	if bytes.Equal(again, sealed) || bytes.Equal(again[:12], sealed[:12]) {
		t.Fatal("two seals share a nonce")
	}

	other := testKey()
	other[0] ^= 1
	flipped := bytes.Clone(sealed)
	flipped[20] ^= 1
	for _, tc := range []struct {
		name        string
		key, s, aad []byte
	}{
		{"other key", other, sealed, aad},
		{"other aad", key, sealed, []byte("totp:user:43")},
		{"no aad", key, sealed, nil},
		{"flipped bit", key, flipped, aad},
		{"truncated", key, sealed[:len(sealed)-1], aad},
		{"nonce only", key, sealed[:12], aad},
		{"empty", key, nil, aad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := Open(tc.key, tc.s, tc.aad); !errors.Is(err, ErrOpen) || got != nil {
				t.Fatalf("Open = %q, %v; want nil, ErrOpen", got, err)
			}
		})
	}
}

func TestSealOpen_KeySize(t *testing.T) {
	for _, n := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := Seal(make([]byte, n), []byte("x"), nil); !errors.Is(err, ErrKeySize) {
			t.Errorf("Seal with %d-byte key: %v; want ErrKeySize", n, err)
		}
		if _, err := Open(make([]byte, n), make([]byte, 40), nil); !errors.Is(err, ErrKeySize) {
			t.Errorf("Open with %d-byte key: %v; want ErrKeySize", n, err)
		}
	}
}

func TestDeriveKey(t *testing.T) {
	master := testKey()
	// openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt hexkey:000102…1f
	//   -kdfopt "info:akinai totp secret v1" HKDF
	const want = "7c4ce44ea4ea2c926e3e7ca5ffb0ff7c4c2424ac0e060e940f18914da2aedc92"
	k, err := DeriveKey(master, PurposeTOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(k) != want {
		t.Fatalf("DeriveKey = %x; want %s (OpenSSL)", k, want)
	}

	seen := map[string]string{}
	for _, p := range []string{PurposeCSRF, PurposeSignedValue, PurposeTOTPSecret, PurposeDKIMKey, PurposePaymentKey} {
		k, err := DeriveKey(master, p)
		if err != nil || len(k) != 32 {
			t.Fatalf("DeriveKey(%q) = %x, %v", p, k, err)
		}
		if prev, dup := seen[string(k)]; dup {
			t.Fatalf("purposes %q and %q give the same key", prev, p)
		}
		seen[string(k)] = p
	}

	if _, err := DeriveKey(master[:31], PurposeCSRF); !errors.Is(err, ErrKeySize) {
		t.Fatalf("short master: %v; want ErrKeySize", err)
	}
	if _, err := DeriveKey(master, ""); err == nil {
		t.Fatal("empty purpose accepted")
	}
}
