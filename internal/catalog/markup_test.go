package catalog

import (
	"strings"
	"testing"
)

func TestMarkup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, src string
		want      []string
		notWant   []string
	}{
		{"heading and paragraph", "# 会社概要\n本文です。\n二行目", []string{"<h2>会社概要</h2>", "<p>本文です。<br>二行目</p>"}, nil},
		{"list", "- 一\n- 二\n\n次", []string{"<ul><li>一</li><li>二</li></ul>", "<p>次</p>"}, nil},
		{"table", "| 販売業者 | 株式会社あきない |\n| 電話 | 03-0000-0000 |", []string{"<table><tbody><tr><th>販売業者</th><td>株式会社あきない</td></tr><tr><th>電話</th>"}, nil},
		{"https link", "[サイト](https://example.com/a?b=1&c=2)", []string{`<a href="https://example.com/a?b=1&amp;c=2">サイト</a>`}, nil},
		{"path link", "[特商法](/pages/tokushoho)", []string{`<a href="/pages/tokushoho">特商法</a>`}, nil},
		{"script stays text", "<script>alert(1)</script>", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"javascript link inert", "[x](javascript:alert(1))", []string{"[x](javascript:alert(1)"}, []string{"<a", "href"}},
		{"data link inert", "[x](data:text/html,hi)", nil, []string{"<a"}},
		{"protocol-relative inert", "[x](//evil.example/)", nil, []string{"<a"}},
		{"attribute injection", `[x](https://a.example/" onmouseover="alert(1))`, nil, []string{"<a", `" onmouseover`}},
		{"quote in text", `[a" onclick="x](https://a.example/)`, []string{`<a href="https://a.example/">a&#34; onclick=&#34;x</a>`}, []string{`" onclick`}},
		{"html in table", "| <b>x</b> | <img src=x onerror=alert(1)> |", []string{"&lt;b&gt;", "&lt;img"}, []string{"<img", "<b>"}},
		{"heading injection", "# <iframe>", []string{"<h2>&lt;iframe&gt;</h2>"}, []string{"<iframe"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(Markup(tc.src))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("Markup(%q) = %q, want it to contain %q", tc.src, got, w)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(got, w) {
					t.Errorf("Markup(%q) = %q, must not contain %q", tc.src, got, w)
				}
			}
		})
	}
}

func FuzzMarkup(f *testing.F) {
	f.Add("[a](https://x.example/)\n- <b>\n| a | b |")
	f.Add("[x](javascript:alert(1))")
	allowed := []string{"<p>", "</p>", "<br>", "<h2>", "</h2>", "<h3>", "</h3>", "<ul>", "</ul>", "<li>", "</li>",
		"<table><tbody>", "</tbody></table>", "<tr>", "</tr>", "<th>", "</th>", "<td>", "</td>", `<a href="`, "</a>"}
	f.Fuzz(func(t *testing.T, s string) {
		got := string(Markup(s))
		for i := strings.IndexByte(got, '<'); i >= 0; i = strings.IndexByte(got, '<') {
			ok := false
			for _, a := range allowed {
				if strings.HasPrefix(got[i:], a) {
					ok = true
					got = got[i+len(a):]
					break
				}
			}
			if !ok {
				t.Fatalf("Markup(%q) makes an element not in the allowed set at %q", s, got[i:])
			}
		}
		if strings.Contains(string(Markup(s)), `href="javascript`) {
			t.Fatalf("javascript: link from %q", s)
		}
	})
}
