package content

import (
	"strings"
	"time"

	"github.com/akinai/akinai/internal/i18n"
)

// SampleMail is the data the admin's mail template editor previews the
// inquiry mails with: the same type CreateInquiry and Reply compose them
// with. ok is false for another area's event.
func SampleMail(event, lang, shopName string) (data any, ok bool) {
	if !strings.HasPrefix(event, "inquiry_") {
		return nil, false
	}
	l, _ := i18n.Parse(lang)
	at := time.Date(2025, 4, 1, 1, 0, 0, 0, time.UTC)
	q := &Inquiry{ID: 42, Lang: string(l), Name: "山田 花子", Kana: "ヤマダ ハナコ", Email: "hanako@example.jp", Phone: "0312345678",
		Category: "delivery", Message: "配送日を変更できますか。", Status: StatusNew, CreatedAt: at, UpdatedAt: at}
	return mailView{Q: q, Category: categoryLabel(l, q.Category), ShopName: shopName,
		Subject: i18n.T(l, "content.mail.sample_subject"), Body: i18n.T(l, "content.mail.sample_body")}, true
}
