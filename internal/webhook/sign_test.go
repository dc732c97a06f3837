package webhook

import (
	"net/netip"
	"strings"
	"testing"
)

// The test vector of the Standard Webhooks specification's reference
// libraries.
func TestSign_StandardWebhooksVector(t *testing.T) {
	got, err := Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	h, _ := SignatureHeader([]string{NewSecret(), NewSecret()}, "msg_x", 1, []byte("{}"))
	if parts := strings.Fields(h); len(parts) != 2 || !strings.HasPrefix(parts[1], "v1,") {
		t.Errorf("two secrets give %q", h)
	}
	if _, err := Sign("whsec_not base64!", "m", 1, nil); err == nil {
		t.Error("a malformed secret signed")
	}
}

func TestForbidden(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "10.1.2.3": true, "172.16.0.1": true, "192.168.1.1": true,
		"169.254.169.254": true, "fe80::1": true, "fc00::1": true, "100.64.0.1": true, "0.0.0.0": true, "::": true,
		"::ffff:127.0.0.1": true, "::ffff:10.0.0.1": true, "224.0.0.1": true, "64:ff9b::a00:1": true,
		"203.0.113.7": false, "8.8.8.8": false, "2001:4860:4860::8888": false,
	} {
		if got := Forbidden(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Forbidden(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestCheckURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://example.com/hook": true, "http://203.0.113.7:8080/x": true,
		"ftp://example.com/": false, "https://user:pw@example.com/": false, "/relative": false, "https://": false,
		"http://127.0.0.1/": false, "http://localhost:9000/": false, "http://api.localhost/": false, "http://[::1]/": false,
		"http://169.254.169.254/latest/meta-data/": false, "http://10.0.0.5/": false,
	} {
		if _, err := CheckURL(raw, false); (err == nil) != ok {
			t.Errorf("CheckURL(%q) err %v, want ok=%v", raw, err, ok)
		}
	}
	if _, err := CheckURL("http://127.0.0.1:9000/", true); err != nil {
		t.Errorf("allowed private: %v", err)
	}
}
