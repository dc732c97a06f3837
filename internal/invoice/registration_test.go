package invoice

import (
	"errors"
	"testing"
)

func TestCheckDigit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		base string
		want int
	}{
		// 7000012050002 is the 法人番号 of the National Tax Agency (国税庁).
		// From the right: 2×1 + 5×1 + 2×1 + 1×2 = 11; 11 mod 9 = 2; 9 − 2 = 7.
		{"000012050002", 7},
		// The worked example of the corporate-number formula: sum 74,
		// 74 mod 9 = 2, 9 − 2 = 7.
		{"123456789012", 7},
		// All zeros: sum 0, 9 − 0 = 9 (the digit is never 0).
		{"000000000000", 9},
		{"12345678901", -1},
		{"1234567890123", -1},
		{"12345678901a", -1},
	} {
		if got := CheckDigit(tc.base); got != tc.want {
			t.Errorf("CheckDigit(%q) = %d, want %d", tc.base, got, tc.want)
		}
	}
}

func TestRegistrationNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want string // want "" means refused
	}{
		{"T7000012050002", "T7000012050002"},
		{" T7000012050002 ", "T7000012050002"},
		{"t7000012050002", "T7000012050002"},
		{"Ｔ７００００１２０５０００２", "T7000012050002"},
		{"T7-0000-1205-0002", "T7000012050002"},
		{"T 7000 0120 50002", "T7000012050002"},
		{"T7123456789012", "T7123456789012"},
		{"T6000012050002", ""},  // wrong check digit
		{"T7000012050003", ""},  // one digit mistyped
		{"T7000021050002", ""},  // two digits swapped
		{"7000012050002", ""},   // no T
		{"T700001205000", ""},   // 12 digits
		{"T70000120500021", ""}, // 14 digits
		{"X7000012050002", ""},  // wrong letter
		{"T700001205000a", ""},  // not a digit
		{"TT7000012050002", ""}, // letter twice
		{"", ""},
	} {
		got, err := RegistrationNumber(tc.in)
		if tc.want == "" {
			if !errors.Is(err, ErrRegistrationNumber) || got != "" {
				t.Errorf("RegistrationNumber(%q) = %q, %v; want ErrRegistrationNumber", tc.in, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("RegistrationNumber(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
