package content

import (
	"bytes"
	"context"
	"html/template"
	"strconv"
	"time"

	"github.com/akinai/akinai/internal/calendar"
	"github.com/akinai/akinai/internal/i18n"
)

// blocksView is the data of the top page's news and calendar blocks.
type blocksView struct {
	Lang   i18n.Lang
	En     bool
	News   []newsItem
	Months []monthView
}

type monthView struct {
	Title string // 2026年11月 / November 2026
	Weeks [][7]calendar.Day
	Today calendar.Date
}

// HomeBlocks renders the top page's news block (the latest five items)
// and calendar block (this month and the next, closed days marked), for
// the catalogue's home page.
func (h *Handlers) HomeBlocks(ctx context.Context, lang i18n.Lang) (template.HTML, error) {
	now := h.DB.Now()
	items, err := PublishedNews(ctx, h.DB, now, 5)
	if err != nil {
		return "", err
	}
	cal, err := Calendars{}.Calendar(ctx, h.DB)
	if err != nil {
		return "", err
	}
	en := lang == i18n.English
	v := blocksView{Lang: lang, En: en, News: newsItems(items, en)}
	today := calendar.DateOf(now)
	for i := range 2 {
		g := cal.Month(today.Year, today.Month+time.Month(i))
		title := i18n.T(lang, "content.calendar.month", g.Year, int(g.Month))
		if en {
			title = g.Month.String() + " " + strconv.Itoa(g.Year)
		}
		v.Months = append(v.Months, monthView{Title: title, Weeks: g.Weeks, Today: today})
	}
	var b bytes.Buffer
	if err := h.frags.ExecuteTemplate(&b, "home_blocks", v); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil
}
