package auth

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"image/png"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// rfcSecret is the SHA-1 seed of RFC 6238 appendix B ("12345678901234567890")
// in base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

// TestVerifyTOTP_RFC6238 uses the RFC's SHA-1 test vectors, cut to their
// last six digits (RFC 4226 truncation is modulo 10^digits).
func TestVerifyTOTP_RFC6238(t *testing.T) {
	for _, tc := range []struct {
		unix int64
		code string
	}{
		{59, "287082"},
		{1111111109, "081804"},
		{1111111111, "050471"},
		{1234567890, "005924"},
		{2000000000, "279037"},
		{20000000000, "353130"},
	} {
		now := time.Unix(tc.unix, 0)
		step, ok := VerifyTOTP(rfcSecret, tc.code, 0, now)
		if !ok || step != tc.unix/30 {
			t.Errorf("at %d: VerifyTOTP(%s) = %d, %v; want %d, true", tc.unix, tc.code, step, ok, tc.unix/30)
		}
	}
}

// TestVerifyTOTP_Oathtool checks fresh secrets against an independent
// implementation at several instants, including the edges of a step.
func TestVerifyTOTP_Oathtool(t *testing.T) {
	bin, err := exec.LookPath("oathtool")
	if err != nil {
		t.Skip("oathtool is not installed (apt-get install oathtool); RFC vectors still ran")
	}
	for range 3 {
		secret, _, _, err := NewTOTPSecret("Akinai", "taro@example.jp")
		if err != nil {
			t.Fatal(err)
		}
		for _, unix := range []int64{1735689600, 1735689629, 1735689630, 1767225599, 4102444800} {
			at := time.Unix(unix, 0).UTC()
			out, err := exec.Command(bin, "--totp", "-b", secret, "--now", at.Format("2006-01-02 15:04:05 UTC")).Output()
			if err != nil {
				t.Fatalf("oathtool: %v", err)
			}
			code := strings.TrimSpace(string(out))
			step, ok := VerifyTOTP(secret, code, 0, at)
			if !ok || step != unix/30 {
				t.Fatalf("secret %s at %v: VerifyTOTP(%s) = %d, %v; want %d, true", secret, at, code, step, ok, unix/30)
			}
		}
	}
}

// codeAt computes the code for secret at step with a minimal RFC 4226
// implementation written here, independent of the one VerifyTOTP uses.
func codeAt(t *testing.T, secret string, step int64) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(secret)
	if err != nil {
		t.Fatal(err)
	}
	mac := hmac.New(sha1.New, key)
	_ = binary.Write(mac, binary.BigEndian, uint64(step))
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	v := binary.BigEndian.Uint32(sum[off:]) & 0x7fffffff
	return fmt.Sprintf("%06d", v%1000000)
}

func TestVerifyTOTP_WindowAndReplay(t *testing.T) {
	now := time.Unix(1735689615, 0) // in the middle of step 57856320
	cur := now.Unix() / 30
	for _, tc := range []struct {
		name     string
		codeStep int64
		lastStep int64
		wantOK   bool
	}{
		{"current", cur, 0, true},
		{"previous step", cur - 1, 0, true},
		{"next step", cur + 1, 0, true},
		{"two steps old", cur - 2, 0, false},
		{"two steps ahead", cur + 2, 0, false},
		{"an hour old", cur - 120, 0, false},
		{"replay of current", cur, cur, false},
		{"replay of previous", cur - 1, cur - 1, false},
		{"previous after current was used", cur - 1, cur, false},
		{"current after previous was used", cur, cur - 1, true},
		{"next after current was used", cur + 1, cur, true},
		{"anything after a future step was used", cur + 1, cur + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code := codeAt(t, rfcSecret, tc.codeStep)
			step, ok := VerifyTOTP(rfcSecret, code, tc.lastStep, now)
			if ok != tc.wantOK {
				t.Fatalf("VerifyTOTP = %d, %v; want ok=%v", step, ok, tc.wantOK)
			}
			if ok && step != tc.codeStep {
				t.Fatalf("step = %d; want %d", step, tc.codeStep)
			}
			if !ok && step != 0 {
				t.Fatalf("step = %d on failure; want 0", step)
			}
		})
	}
}

// TestVerifyTOTP_SequentialUse walks a user through three sign-ins, storing
// the returned step as the caller must.
func TestVerifyTOTP_SequentialUse(t *testing.T) {
	start := time.Unix(1735689600, 0)
	var last int64
	code := codeAt(t, rfcSecret, start.Unix()/30)
	step, ok := VerifyTOTP(rfcSecret, code, last, start)
	if !ok {
		t.Fatal("first use refused")
	}
	last = step
	if _, ok := VerifyTOTP(rfcSecret, code, last, start.Add(10*time.Second)); ok {
		t.Fatal("same code accepted twice within its window")
	}
	later := start.Add(30 * time.Second)
	step, ok = VerifyTOTP(rfcSecret, codeAt(t, rfcSecret, later.Unix()/30), last, later)
	if !ok || step != last+1 {
		t.Fatalf("next step's code = %d, %v; want %d, true", step, ok, last+1)
	}
}

func TestVerifyTOTP_Input(t *testing.T) {
	now := time.Unix(1234567890, 0)
	for _, tc := range []struct {
		name, secret, code string
		want               bool
	}{
		{"plain", rfcSecret, "005924", true},
		{"spaced", rfcSecret, "005 924", true},
		{"surrounding spaces", rfcSecret, "  005924\t", true},
		{"full width", rfcSecret, "００５９２４", true},
		{"ideographic space", rfcSecret, "００５\u3000９２４", true},
		{"lower-case secret", strings.ToLower(rfcSecret), "005924", true},
		{"wrong", rfcSecret, "005925", false},
		{"five digits", rfcSecret, "05924", false},
		{"seven digits", rfcSecret, "0059240", false},
		{"hyphen", rfcSecret, "005-924", false},
		{"letters", rfcSecret, "00592a", false},
		{"arabic-indic digits", rfcSecret, "٠٠٥٩٢٤", false},
		{"empty", rfcSecret, "", false},
		{"very long", rfcSecret, strings.Repeat(" ", 100) + "005924", false},
		{"empty secret", "", "005924", false},
		{"short secret", "GEZDGNBV", "005924", false},
		{"not base32", "GEZDGNBVGY3TQOJQ!!!!", "005924", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := VerifyTOTP(tc.secret, tc.code, 0, now); ok != tc.want {
				t.Fatalf("VerifyTOTP(%q, %q) ok = %v; want %v", tc.secret, tc.code, ok, tc.want)
			}
		})
	}
}

func TestNewTOTPSecret(t *testing.T) {
	secret, u, qr, err := NewTOTPSecret("Akinai Shop", "taro@example.jp")
	if err != nil {
		t.Fatal(err)
	}
	if len(secret) != 32 || !validTOTPSecret(secret) {
		t.Fatalf("secret %q: want 32 base32 characters (160 bits)", secret)
	}
	other, _, _, err := NewTOTPSecret("Akinai Shop", "taro@example.jp")
	if err != nil || other == secret {
		t.Fatalf("second secret %q, %v: want a different secret", other, err)
	}

	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	q := parsed.Query()
	if parsed.Scheme != "otpauth" || parsed.Host != "totp" || parsed.Path != "/Akinai Shop:taro@example.jp" {
		t.Fatalf("URL %s: want otpauth://totp/Akinai Shop:taro@example.jp", u)
	}
	for k, want := range map[string]string{
		"secret": secret, "issuer": "Akinai Shop", "algorithm": "SHA1", "digits": "6", "period": "30",
	} {
		if got := q.Get(k); got != want {
			t.Errorf("URL %s: %s = %q; want %q", u, k, got, want)
		}
	}

	img, err := png.Decode(bytes.NewReader(qr))
	if err != nil {
		t.Fatalf("QR is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Fatalf("QR is %v; want 256×256", b)
	}
	dark, light := 0, 0
	for y := 0; y < 256; y += 4 {
		for x := 0; x < 256; x += 4 {
			if r, _, _, _ := img.At(x, y).RGBA(); r < 0x8000 {
				dark++
			} else {
				light++
			}
		}
	}
	if dark < 500 || light < 500 {
		t.Fatalf("QR has %d dark and %d light samples: not a code", dark, light)
	}
}

func TestNewTOTPSecret_BadLabel(t *testing.T) {
	for _, tc := range [][2]string{
		{"", "taro@example.jp"},
		{"Akinai", ""},
		{"Akinai:Shop", "taro@example.jp"},
		{"Akinai", "taro:admin"},
	} {
		if _, _, _, err := NewTOTPSecret(tc[0], tc[1]); !errors.Is(err, ErrTOTPLabel) {
			t.Errorf("NewTOTPSecret(%q, %q) error = %v; want ErrTOTPLabel", tc[0], tc[1], err)
		}
	}
}
