package mail

import (
	"strings"
	"testing"

	"github.com/akinai/akinai/internal/i18n"
)

// Every mail template has a name an operator can read in both languages:
// the admin's template list and mail log show it instead of the event code.
func TestEvents_HaveNames(t *testing.T) {
	events := Events()
	if len(events) < 20 {
		t.Fatalf("only %d events: %v", len(events), events)
	}
	for _, e := range events {
		if !i18n.Has("admin.mail.event." + e) {
			t.Errorf("event %s has no name (admin.mail.event.%s)", e, e)
		}
	}
}

// Every mail to a customer starts its subject with the shop's name,
// 【…】 in Japanese and […] in English, as the order mails always did:
// account mails included. Mails to the shop or its admins are told apart
// by their own prefixes (【新規注文】, 【Akinai 管理画面】).
func TestDefaults_SubjectPrefix(t *testing.T) {
	internal := map[string]bool{"order_shop_notice": true, "inquiry_notice": true}
	for _, e := range Events() {
		if internal[e] || strings.HasPrefix(e, "admin_") {
			continue
		}
		for lang, prefix := range map[string]string{"ja": "Subject: 【{{.ShopName}}】", "en": "Subject: [{{.ShopName}}] "} {
			src, err := defaultSource(e, lang)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(src, prefix) {
				first, _, _ := strings.Cut(src, "\n")
				t.Errorf("%s.%s: subject %q lacks the shop prefix", e, lang, first)
			}
		}
	}
}
