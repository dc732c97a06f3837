package phishcheck

import (
	"regexp"
	"slices"
	"strings"
)

// Business-email compromise: no link, no attachment, only a request for
// money that looks like it comes from someone the shop deals with. The
// phrases are matched on normalised text with white space removed.
var (
	becBankChange = []string{
		"振込先口座変更", "振込先口座の変更", "振込先の変更", "振込口座の変更", "振込先変更", "お振込先変更", "口座変更のお願い",
		"口座の変更", "新しい口座", "新口座", "口座が変更", "口座を変更", "振込先が変更", "入金先口座の変更", "入金口座の変更", "お振込先が変わ",
		"取引銀行が変更", "取引銀行の変更", "取引銀行を変更", "振込先口座が変わ", "口座情報の変更", "口座情報が変更", "銀行口座の変更",
		"銀行口座が変更", "振込先のご変更", "お振込先のご変更", "振込先口座のご変更",
		"change of bank details", "new bank account", "updated bank details", "bank details have changed", "change in our bank",
		"update our banking", "changed our bank account", "changed our bank", "new account details", "remit to the new account", "new remittance",
	}
	becUrgentPay = []string{
		"至急お振込", "至急振込", "至急送金", "至急ご送金", "本日中にお振込", "本日中に送金", "本日中のお支払", "本日中にお支払", "急ぎお振込",
		"至急お支払", "急ぎの送金", "今日中に振り込", "本日中に振り込",
		"urgent wire", "urgent payment", "wire transfer today", "process a payment today", "send the payment today",
		"transfer the funds today", "wire the funds", "payment must be made today",
	}
	becGiftCard = []string{
		"ギフトカード", "ギフト券", "プリペイドカード", "itunesカード", "applegiftcard", "googleplayギフト", "googleplayカード",
		"amazonギフト", "giftcard", "webmoney", "bitcash",
	}
	becGiftSend = []string{
		"番号を送", "コードを送", "写真を送", "番号を教え", "コードを教え", "裏面", "買ってきて", "購入してきて", "購入してもらえ",
		"買ってもらえ", "購入をお願いでき", "scratch", "sendmethecode", "sendthecode", "sendmethecard", "buysome", "buygift",
		"purchasegift", "purchasesome",
	}
)

// mailAddress finds addresses written in text (quoted threads, signatures).
var mailAddress = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)`)

// findPhrase returns the first phrase of list found in sq (squeezed text)
// and its position in sq, or "".
func findPhrase(sq string, list []string) (string, int) {
	for _, p := range list {
		if i := strings.Index(sq, squeeze(p)); i >= 0 {
			return p, i
		}
	}
	return "", -1
}

// checkBEC flags requests for money: a change of bank account, an urgent
// payment, gift cards. They become phishing when the sender writes from a
// free mail address, asks for replies elsewhere, or imitates the domain of
// someone in the quoted thread or among the shop's correspondents.
func (b *builder) checkBEC(f mailFacts, fromReg string) {
	text := f.text
	sq := squeeze(text)
	found, money := false, false // money: a bank change or a payment, not only gift cards
	for _, x := range []struct {
		code string
		list []string
	}{{"bec.bank_change", becBankChange}, {"bec.urgent_payment", becUrgentPay}} {
		if p, _ := findPhrase(sq, x.list); p != "" {
			b.add(x.code, SeverityMedium, sentenceWith(text, p))
			found, money = true, true
		}
	}
	if g, _ := findPhrase(sq, becGiftCard); g != "" {
		if s, _ := findPhrase(sq, becGiftSend); s != "" {
			b.add("bec.gift_card", SeverityMedium, sentenceWith(text, g))
			found = true
		}
	}

	// A sender that imitates a correspondent is wrong with or without a
	// request for money; with one, it is fraud.
	known := b.correspondents(f, fromReg)
	senders := []string{f.fromDomain}
	for _, m := range parseMailboxes(f.h.get("Reply-To")) {
		senders = append(senders, domainOf(m.Addr))
	}
	for i, d := range senders {
		if d == "" {
			continue
		}
		if imitated := lookalikeOf(d, known); imitated != "" {
			sev := SeverityHigh
			if found {
				sev = SeverityCritical
			}
			where := "From"
			if i > 0 {
				where = "Reply-To"
			}
			b.add("bec.lookalike_correspondent", sev, where+": "+unicodeDomain(d)+" ≈ "+imitated)
		}
	}
	if !found {
		return
	}
	b.advise("advice.bec")
	// A gift-card request from free mail stays circumstantial (an owner may
	// write from a personal address); a bank change or payment does not.
	if freeMail[fromReg] && money {
		b.add("bec.freemail", SeverityHigh, f.from.Addr)
	} else if freeMail[fromReg] {
		b.add("bec.freemail", SeverityMedium, f.from.Addr)
	}
	if b.has("header.reply_to_mismatch") {
		b.add("bec.reply_elsewhere", SeverityHigh, f.h.get("Reply-To"))
	}
}

// correspondents are the domains the shop knows it writes with: the
// configured ones, the suppliers' and the addresses seen in the quoted
// thread, except the sender's own.
func (b *builder) correspondents(f mailFacts, fromReg string) []string {
	var out []string
	add := func(d string) {
		if r := registrable(asciiDomain(d)); r != "" && r != fromReg && !freeMail[r] && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	for _, d := range b.cfg.Correspondents {
		add(d)
	}
	for _, s := range b.cfg.Services {
		for _, d := range s.Domains {
			add(d)
		}
	}
	if strings.Contains(f.text, "@") {
		for _, m := range mailAddress.FindAllStringSubmatch(f.text, 200) {
			add(m[1])
		}
	}
	return out
}

// lookalikeOf returns the domain of known that host imitates, or "".
func lookalikeOf(host string, known []string) string {
	reg := registrable(host)
	if reg == "" || slices.Contains(known, reg) {
		return ""
	}
	label, suffix, _ := strings.Cut(reg, ".")
	uni := unicodeDomain(label)
	for _, p := range protectedList(known) {
		codes := compareDomain(host, reg, label, uni, suffix, strings.Contains(host, "xn--"), &p)
		codes = slices.DeleteFunc(codes, func(c string) bool { return c == codeSubdomain })
		if len(codes) > 0 {
			return p.Reg
		}
	}
	return ""
}

// sentenceWith returns the sentence of text that holds phrase (matched
// without white space), or the phrase itself.
func sentenceWith(text, phrase string) string {
	lower := strings.ToLower(text)
	p := strings.ToLower(phrase)
	if i := strings.Index(lower, p); i >= 0 && len(lower) == len(text) {
		return sentenceAt(text, i)
	}
	// The phrase was broken by white space or case: search line by line.
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(squeeze(line), squeeze(phrase)) {
			return truncate(strings.TrimSpace(line), 100)
		}
	}
	return phrase
}
