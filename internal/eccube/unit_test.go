package eccube

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// EC-CUBE's PasswordEncoder: hash_hmac('sha256', $password.':'.$authMagic,
// $salt), or sha1($password.':'.$authMagic) for an empty salt. The
// reference values are computed here with the standard library, the way
// PHP's hash_hmac and sha1 compute them (lower-case hex).
func TestCheckLegacy(t *testing.T) {
	for _, c := range []struct {
		name, password, salt string
	}{
		{"salted HMAC-SHA256", hmacRef("password1234", "magic", "a1b2c3d4e5"), "a1b2c3d4e5"},
		{"unsalted SHA-1", sha1Ref("password1234", "magic"), ""},
	} {
		h := legacyHash(strings.ToUpper(c.password), c.salt) // EC-CUBE stores lower case; be lenient
		if !checkLegacy(h, "password1234", "magic") {
			t.Errorf("%s: the right password is refused (%s)", c.name, h)
		}
		for _, bad := range [][2]string{{"password1235", "magic"}, {"password1234", "other"}, {"", "magic"}} {
			if checkLegacy(h, bad[0], bad[1]) {
				t.Errorf("%s: accepted %q with magic %q", c.name, bad[0], bad[1])
			}
		}
	}
	b, _ := bcrypt.GenerateFromPassword([]byte("password1234"), 4)
	php := "$2y$" + string(b)[4:]
	h := legacyHash(php, "")
	if !strings.HasPrefix(h, "$eccube$bcrypt$$$2y$") || !checkLegacy(h, "password1234", "") || checkLegacy(h, "x", "") {
		t.Errorf("EC-CUBE 4.3 bcrypt hash %q", h)
	}
	if legacyHash("$argon2id$v=19$m=65536,t=4,p=1$c2FsdA$aGFzaA", "") != "$argon2id$v=19$m=65536,t=4,p=1$c2FsdA$aGFzaA" {
		t.Error("4.3 argon2id hashes are kept as they are")
	}
	if legacyHash("", "x") != "" || checkLegacy("$eccube$unknown$$ab", "a", "b") || checkLegacy("$eccube$hmac$s$zz", "a", "b") {
		t.Error("empty or malformed hashes")
	}
}

func TestHTMLToMarkup(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"", ""},
		{"plain\r\ntext", "plain\ntext"},
		{"<p>一行目<br>二行目</p><p>次の段落</p>", "一行目\n二行目\n\n次の段落"},
		{`<script>alert(1)</script><style>p{}</style><p onclick="x()">本文</p>`, "本文"},
		{`<a href="https://example.jp/a?b=1">リンク</a> と <a href="javascript:alert(1)">罠</a> と <a href="/products/list">一覧</a>`, "[リンク](https://example.jp/a?b=1) と 罠 と [一覧](/products/list)"},
		{"<h2>見出し</h2><ul><li>一</li><li>二</li></ul>", "# 見出し\n\n- 一\n- 二"},
		{"<table><tr><th>送料</th><td>800円|税込</td></tr></table>", "| 送料 | 800円｜税込 |"},
		{`<img src="x.jpg" onerror="alert(1)" alt="写真">`, "写真"},
		{"&lt;b&gt; &amp; 太字", "<b> & 太字"},
	} {
		if got := HTMLToMarkup(c.in); got != c.want {
			t.Errorf("HTMLToMarkup(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzHTMLToMarkup(f *testing.F) {
	f.Add(`<p>a<a href="https://x">b</a></p><table><tr><td>c`)
	f.Fuzz(func(t *testing.T, s string) {
		out := HTMLToMarkup(s)
		if strings.Contains(out, "javascript:") && !strings.Contains(s, "javascript:") {
			t.Fatal("made a javascript: URL")
		}
	})
}

func TestAuthMagic(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ file, want string }{
		"env":         {"APP_ENV=prod\n# ECCUBE_AUTH_MAGIC=old\nECCUBE_AUTH_MAGIC=s3cr3t-magic\n", "s3cr3t-magic"},
		"env quoted":  {"ECCUBE_AUTH_MAGIC='quoted value'\n", "quoted value"},
		"yaml":        {"parameters:\n    env(ECCUBE_AUTH_MAGIC): 'yaml-magic'\n", "yaml-magic"},
		"placeholder": {"parameters:\n    env(ECCUBE_AUTH_MAGIC): '<change.me>'\n    eccube_auth_magic: '%env(ECCUBE_AUTH_MAGIC)%'\n", ""},
		"not there":   {"DATABASE_URL=mysql://x\n", ""},
	} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(c.file), 0o600)
		got, err := AuthMagic(p)
		if got != c.want || (c.want == "") != (err != nil) {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
	if _, err := AuthMagic(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing file")
	}
}

func hmacRef(pw, magic, salt string) string {
	m := hmac.New(sha256.New, []byte(salt))
	m.Write([]byte(pw + ":" + magic))
	return hex.EncodeToString(m.Sum(nil))
}

func sha1Ref(pw, magic string) string {
	s := sha1.Sum([]byte(pw + ":" + magic))
	return hex.EncodeToString(s[:])
}
