package checkout

import (
	"context"
	"strings"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/i18n"
	"github.com/akinai/akinai/internal/order"
	"github.com/akinai/akinai/internal/settings"
)

// PageFields returns the payment facts the shop's pages may quote, so the
// legal notice (特定商取引法に基づく表記) lists what the checkout really
// offers rather than what someone once typed: "{payment_methods}" (the
// enabled methods, card only while a card key is set, as the checkout
// decides) and "{payment_timing}" (when each is paid). master opens the
// sealed card key.
func PageFields(d *db.DB, st *settings.Store, master []byte) func(ctx context.Context, lang i18n.Lang) (map[string]string, error) {
	return func(ctx context.Context, lang i18n.Lang) (map[string]string, error) {
		methods, err := enabledPayMethods(ctx, d)
		if err != nil {
			return nil, err
		}
		card, err := cardKeySet(ctx, st, master)
		if err != nil {
			return nil, err
		}
		en := lang == i18n.English
		var names, timing []string
		for _, m := range methods {
			if m.Code == order.Card && !card {
				continue
			}
			name := pick(en, m.NameJA, m.NameEN)
			names = append(names, name)
			timing = append(timing, name+": "+i18n.T(lang, "checkout.timing."+m.Code))
		}
		sep, tsep := "、", " / "
		if en {
			sep = ", "
		}
		none := i18n.T(lang, "owner.pay.none")
		return map[string]string{
			"{payment_methods}": orNone(strings.Join(names, sep), none),
			"{payment_timing}":  orNone(strings.Join(timing, tsep), none),
		}, nil
	}
}

// cardKeySet reports whether the checkout would offer cards (Cards.Provider
// is not nil), without building the provider.
func cardKeySet(ctx context.Context, st *settings.Store, master []byte) (bool, error) {
	key, err := st.CardKey(ctx, master)
	if err != nil {
		return false, nil // a key the master secret cannot open offers no card either
	}
	if key != "" {
		return true, nil
	}
	plain, err := st.Get(ctx, StripeKey)
	return plain != "", err
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
}
