package admin

import (
	"context"
	"testing"

	"github.com/akinai/akinai/internal/db/dbtest"
	"github.com/akinai/akinai/internal/mail"
)

// Every mail template must preview in the editor with its sample data, in
// both languages: a sample missing a field the template uses would make
// the editor refuse to save any change to that template.
func TestEveryTemplatePreviewsWithItsSample(t *testing.T) {
	t.Parallel()
	d := dbtest.MustOpen(t, dbtest.SQLite)
	tpl := &mail.Templates{DB: d}
	for _, event := range mail.Events() {
		for _, lang := range []string{"ja", "en"} {
			m, err := tpl.Preview(context.Background(), event, lang, "", sampleData(event, lang, "茶と道具 あきない", "さくら"), mail.WithCode("さくら"))
			if err != nil {
				t.Errorf("%s.%s: %v", event, lang, err)
				continue
			}
			if m.Subject == "" || m.Text == "" {
				t.Errorf("%s.%s: empty subject or body", event, lang)
			}
		}
	}
}
