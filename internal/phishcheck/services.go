package phishcheck

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Service is a company a Japanese shop deals with — a payment processor, a
// carrier, a marketplace, the platform vendor, a bank, or one of the shop's
// own suppliers — with the names it is written as and its real domains.
// Mail that claims to be a service but links elsewhere for a sign-in is
// phishing; a sender whose domain imitates one is too.
type Service struct {
	Name    string   `json:"name"`    // as shown in reports ("ヤマト運輸")
	Kind    string   `json:"kind"`    // payment, carrier, marketplace, vendor, bank, card, supplier
	Aliases []string `json:"aliases"` // distinctive names as mail writes them; matched on normalised text
	Domains []string `json:"domains"` // registrable domains it really uses
}

// Service kinds.
const (
	KindPayment     = "payment"
	KindCarrier     = "carrier"
	KindMarketplace = "marketplace"
	KindVendor      = "vendor"
	KindBank        = "bank"
	KindCard        = "card"
	KindSupplier    = "supplier"
)

// DefaultServices is the built-in list. Aliases are kept distinctive: a word
// that ordinary mail uses ("base", "square") would make every newsletter a
// claim. The operator adds suppliers through Config.Services.
func DefaultServices() []Service {
	return []Service{
		{"Stripe", KindPayment, []string{"stripe"}, []string{"stripe.com", "stripe.network"}},
		{"PayPal", KindPayment, []string{"paypal", "ペイパル"}, []string{"paypal.com", "paypal.jp", "paypalobjects.com"}},
		{"PAY.JP", KindPayment, []string{"pay.jp"}, []string{"pay.jp"}},
		{"GMOペイメントゲートウェイ", KindPayment, []string{"gmoペイメント", "gmo payment gateway", "gmo-pg"}, []string{"gmo-pg.com"}},
		{"SBペイメントサービス", KindPayment, []string{"sbペイメント", "sb payment service", "sbps"}, []string{"sbpayment.jp"}},
		{"ソニーペイメントサービス", KindPayment, []string{"ソニーペイメント", "sony payment"}, []string{"sonypaymentservices.jp"}},
		{"DGフィナンシャルテクノロジー(ベリトランス)", KindPayment, []string{"ベリトランス", "veritrans", "dgフィナンシャル"}, []string{"veritrans.co.jp", "dgft.jp"}},
		{"KOMOJU", KindPayment, []string{"komoju"}, []string{"komoju.com", "degica.com"}},
		{"PayPay", KindPayment, []string{"paypay"}, []string{"paypay.ne.jp", "paypay-corp.co.jp", "paypay-card.co.jp"}},
		{"Amazon Pay", KindPayment, []string{"amazon pay", "amazonpay"}, []string{"amazon.co.jp", "amazon.com", "amazonpay.com"}},
		{"NP後払い", KindPayment, []string{"np後払い", "ネットプロテクションズ"}, []string{"np-atobarai.jp", "netprotections.com", "netprotections.co.jp"}},
		{"Paidy", KindPayment, []string{"paidy", "ペイディ"}, []string{"paidy.com"}},
		{"ヤマト運輸", KindCarrier, []string{"ヤマト運輸", "クロネコヤマト", "クロネコメンバーズ", "yamato transport", "kuroneko"}, []string{"kuronekoyamato.co.jp", "yamato-hd.co.jp"}},
		{"佐川急便", KindCarrier, []string{"佐川急便", "sagawa express", "sagawa-exp"}, []string{"sagawa-exp.co.jp", "sagawa-mov.co.jp"}},
		{"日本郵便", KindCarrier, []string{"日本郵便", "japan post", "ゆうパック", "郵便局"}, []string{"japanpost.jp", "post.japanpost.jp"}},
		{"西濃運輸", KindCarrier, []string{"西濃運輸", "カンガルー便"}, []string{"seino.co.jp"}},
		{"福山通運", KindCarrier, []string{"福山通運"}, []string{"fukutsu.co.jp"}},
		{"Amazon", KindMarketplace, []string{"amazon", "アマゾン", "セラーセントラル", "seller central"}, []string{"amazon.co.jp", "amazon.com", "amazon.jp", "amazonaws.com", "amazonses.com"}},
		{"楽天", KindMarketplace, []string{"楽天市場", "楽天カード", "楽天会員", "rakuten"}, []string{"rakuten.co.jp", "rakuten.com", "rakuten.ne.jp", "rakuten-card.co.jp", "rakuten-bank.co.jp", "rakuten-sec.co.jp"}},
		{"Yahoo!ショッピング", KindMarketplace, []string{"yahoo!ショッピング", "yahooショッピング", "yahoo! japan", "ストアクリエイター"}, []string{"yahoo.co.jp", "yahoo.com"}},
		{"メルカリ", KindMarketplace, []string{"メルカリ", "mercari"}, []string{"mercari.com", "mercari.jp", "merpay.com", "mercari-shops.com"}},
		{"Shopify", KindMarketplace, []string{"shopify"}, []string{"shopify.com", "myshopify.com", "shopifyemail.com"}},
		{"EC-CUBE", KindVendor, []string{"ec-cube", "eccube"}, []string{"ec-cube.net", "ec-cube.co.jp"}},
		{"三菱UFJ銀行", KindBank, []string{"三菱ufj銀行", "三菱ufj", "mufg"}, []string{"mufg.jp", "bk.mufg.jp"}},
		{"三井住友銀行", KindBank, []string{"三井住友銀行", "smbc"}, []string{"smbc.co.jp"}},
		{"みずほ銀行", KindBank, []string{"みずほ銀行", "mizuho"}, []string{"mizuhobank.co.jp", "mizuho-fg.co.jp"}},
		{"ゆうちょ銀行", KindBank, []string{"ゆうちょ銀行", "ゆうちょダイレクト", "japan post bank"}, []string{"jp-bank.japanpost.jp", "japanpost.jp"}},
		{"りそな銀行", KindBank, []string{"りそな銀行"}, []string{"resonabank.co.jp"}},
		{"住信SBIネット銀行", KindBank, []string{"住信sbi"}, []string{"netbk.co.jp"}},
		{"PayPay銀行", KindBank, []string{"paypay銀行"}, []string{"paypay-bank.co.jp"}},
		{"三井住友カード", KindCard, []string{"三井住友カード", "vpass"}, []string{"smbc-card.com", "vpass.ne.jp"}},
		{"JCB", KindCard, []string{"jcbカード", "myjcb"}, []string{"jcb.co.jp", "jcb.jp"}},
		{"American Express", KindCard, []string{"american express", "アメリカン・エキスプレス", "アメックス"}, []string{"americanexpress.com", "aexp.com"}},
	}
}

// knownService is a Service prepared for matching.
type knownService struct {
	Service
	regs    []string          // registrable domains
	doms    []protectedDomain // the same, prepared for look-alike matching
	aliases []string          // normalised, lower-cased
}

// defaultServices is DefaultServices prepared once.
var defaultServices = sync.OnceValue(func() []knownService { return prepare(DefaultServices()) })

// prepareServices returns the built-in services and extra, prepared.
func prepareServices(extra []Service) []knownService {
	if len(extra) == 0 {
		return defaultServices()
	}
	return append(slices.Clone(defaultServices()), prepare(extra)...)
}

func prepare(list []Service) []knownService {
	var out []knownService
	for _, s := range list {
		k := knownService{Service: s}
		for _, d := range s.Domains {
			if r := registrable(asciiDomain(d)); r != "" && !slices.Contains(k.regs, r) {
				k.regs = append(k.regs, r)
			}
		}
		for _, a := range append([]string{s.Name}, s.Aliases...) {
			if a = strings.ToLower(normalize(strings.TrimSpace(a))); len([]rune(a)) >= 3 {
				k.aliases = append(k.aliases, a)
			}
		}
		k.doms = protectedList(k.regs)
		if len(k.regs) > 0 {
			out = append(out, k)
		}
	}
	return out
}

// owns reports whether the ASCII host belongs to the service.
func (k *knownService) owns(host string) bool {
	return host != "" && slices.Contains(k.regs, registrable(host))
}

// named reports the alias of the service written in text (normalised and
// lower-cased by the caller), or "". Latin aliases must stand as a word,
// so "stripe" does not match "striped".
func (k *knownService) named(text string) string {
	for _, a := range k.aliases {
		i := strings.Index(text, a)
		for i >= 0 {
			if wordAt(text, i, len(a)) {
				return a
			}
			next := strings.Index(text[i+1:], a)
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return ""
}

// wordAt reports whether text[i:i+n] is not glued to ASCII letters on
// either side (Japanese text has no spaces, so only Latin neighbours count).
func wordAt(text string, i, n int) bool {
	isLetter := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }
	if i > 0 && isLetter(text[i-1]) && isLetter(text[i]) {
		return false
	}
	if e := i + n; e < len(text) && isLetter(text[e]) && isLetter(text[e-1]) {
		return false
	}
	return true
}

// serviceOf returns the service that owns host, or nil.
func (b *builder) serviceOf(host string) *knownService {
	for i := range b.services {
		if b.services[i].owns(host) {
			return &b.services[i]
		}
	}
	return nil
}

// serviceNamed returns the first service named in text, with the alias.
func (b *builder) serviceNamed(text string) (*knownService, string) {
	t := strings.ToLower(normalize(text))
	for i := range b.services {
		if a := b.services[i].named(t); a != "" {
			return &b.services[i], a
		}
	}
	return nil, ""
}

// serviceLookalike reports a host that imitates a service's domain (the
// same tricks as for protected domains), with the domain imitated.
func (b *builder) serviceLookalike(host string) (string, string) {
	if host == "" || b.serviceOf(host) != nil || b.protectedMatch(host) != nil {
		return "", ""
	}
	reg := registrable(host)
	if reg == "" {
		reg = host
	}
	label, suffix, _ := strings.Cut(reg, ".")
	uni := unicodeDomain(label)
	isIDN := strings.Contains(host, "xn--")
	for i := range b.services {
		for j := range b.services[i].doms {
			d := &b.services[i].doms[j]
			if codes := compareDomain(host, reg, label, uni, suffix, isIDN, d); len(codes) > 0 {
				return codes[0], d.Reg
			}
		}
	}
	return "", ""
}

// freeMail are the free mail providers used in Japan; a business request
// for money from one of them is a classic sign of fraud.
var freeMail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "yahoo.co.jp": true, "ymail.ne.jp": true, "yahoo.com": true,
	"outlook.com": true, "outlook.jp": true, "hotmail.com": true, "hotmail.co.jp": true, "live.jp": true, "live.com": true,
	"icloud.com": true, "me.com": true, "aol.com": true, "proton.me": true, "protonmail.com": true, "gmx.com": true,
	"mail.com": true, "yandex.com": true, "excite.co.jp": true, "docomo.ne.jp": true, "ezweb.ne.jp": true,
	"au.com": true, "softbank.ne.jp": true, "i.softbank.jp": true, "zoho.com": true,
}

// Errors of NewSupplier.
var (
	ErrSupplierName    = errors.New("a supplier needs a name of 1 to 100 characters, on one line")
	ErrSupplierDomains = errors.New("a supplier needs 1 to 20 domains")
)

// BadDomainError names an entry of a supplier's domains that is not a
// host name.
type BadDomainError struct{ Domain string }

func (e *BadDomainError) Error() string { return fmt.Sprintf("%q is not a domain name", e.Domain) }

// NewSupplier validates a supplier the operator adds: a name and its
// domains (separated by commas, spaces or new lines). Errors:
// ErrSupplierName, ErrSupplierDomains, *BadDomainError.
func NewSupplier(name, domains string) (Service, error) {
	name = strings.TrimSpace(normalize(name))
	if name == "" || utf8.RuneCountInString(name) > 100 || strings.ContainsAny(name, "\r\n<>\"") {
		return Service{}, ErrSupplierName
	}
	s := Service{Name: name, Kind: KindSupplier, Aliases: []string{name}}
	for d := range strings.FieldsFuncSeq(domains, func(r rune) bool { return r == ',' || r == '、' || unicode.IsSpace(r) }) {
		d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
		d = strings.TrimPrefix(strings.TrimPrefix(d, "https://"), "http://")
		d = strings.TrimSuffix(d, "/")
		a := asciiDomain(d)
		if a == "" || !strings.Contains(a, ".") || len(a) > 253 || registrable(a) == "" {
			return Service{}, &BadDomainError{Domain: d}
		}
		if !slices.Contains(s.Domains, a) {
			s.Domains = append(s.Domains, a)
		}
	}
	if len(s.Domains) == 0 || len(s.Domains) > 20 {
		return Service{}, ErrSupplierDomains
	}
	return s, nil
}

// ParseSupplier reads "Name=domain,domain" (the CLI's --supplier).
func ParseSupplier(spec string) (Service, error) {
	name, domains, ok := strings.Cut(spec, "=")
	if !ok {
		return Service{}, fmt.Errorf("%q: write NAME=DOMAIN[,DOMAIN…]", spec)
	}
	return NewSupplier(name, domains)
}
