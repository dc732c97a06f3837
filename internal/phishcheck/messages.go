package phishcheck

// messages holds the sentence for each reason code: [0] Japanese, [1]
// English. Codes are stable; sentences may be reworded.
var messages = map[string][2]string{
	"dkim.pass":        {"DKIM署名は正しく検証されました。", "A DKIM signature verified."},
	"dkim.fail":        {"DKIM署名が一致しません。送信後に改ざんされたか、偽の署名です。", "A DKIM signature does not match: the mail was altered or the signature is forged."},
	"dkim.permerror":   {"DKIM署名を検証できません(鍵がない・署名が壊れている)。", "A DKIM signature cannot be verified (no key or a broken signature)."},
	"dkim.none":        {"DKIM署名がありません。", "The mail has no DKIM signature."},
	"dkim.offline":     {"DNSを使わないため、DKIM署名は検証していません。", "DKIM was not verified: DNS was not used (offline)."},
	"dkim.temperror":   {"DNSの一時的な失敗のため、DKIM署名を検証できませんでした。", "DKIM could not be verified: temporary DNS failure."},
	"dkim.too_large":   {"メールが大きすぎるため、DKIM署名は検証していません。", "DKIM was not verified: the mail is too large."},
	"dkim.unreadable":  {"ヘッダーが読めないため、DKIM署名を検証できませんでした。", "DKIM could not be verified: unreadable header."},
	"spf.pass":         {"送信元IPはSPFで許可されています。", "SPF allows the sending IP address."},
	"spf.fail":         {"送信元IPはSPFで許可されていません。", "SPF does not allow the sending IP address."},
	"spf.softfail":     {"送信元IPはSPFで許可されていない可能性があります(softfail)。", "SPF probably does not allow the sending IP address (softfail)."},
	"spf.permerror":    {"送信ドメインのSPFレコードに誤りがあります。", "The sender domain's SPF record is broken."},
	"spf.none":         {"送信ドメインはSPFで判定できません(none/neutral)。", "The sender domain's SPF gives no answer (none or neutral)."},
	"spf.offline":      {"DNSを使わないため、SPFは確認していません。", "SPF was not checked: DNS was not used (offline)."},
	"spf.temperror":    {"DNSの一時的な失敗のため、SPFを確認できませんでした。", "SPF could not be checked: temporary DNS failure."},
	"spf.no_ip":        {"信頼できるReceivedヘッダーがなく、接続元IPが分からないため、SPFは確認していません。", "SPF was not checked: no trusted Received field names the connecting IP."},
	"spf.no_sender":    {"エンベロープ送信者(Return-Path)が分からないため、SPFは確認していません。", "SPF was not checked: the envelope sender (Return-Path) is unknown."},
	"dmarc.pass":       {"差出人ドメインの認証に成功し、ドメインも一致しています(DMARC)。", "The From domain is authenticated and aligned (DMARC pass)."},
	"dmarc.fail":       {"差出人ドメインの認証に失敗しました(DMARC)。差出人が偽装されています。", "The From domain failed authentication (DMARC fail): the sender is forged."},
	"dmarc.none":       {"差出人ドメインはDMARCを公開していません。", "The From domain publishes no DMARC policy."},
	"dmarc.offline":    {"DNSを使わないため、DMARCは確認していません。", "DMARC was not checked: DNS was not used (offline)."},
	"dmarc.temperror":  {"DNSの一時的な失敗のため、DMARCを確認できませんでした。", "DMARC could not be checked: temporary DNS failure."},
	"dmarc.no_from":    {"差出人ドメインが分からないため、送信元の認証は確認していません。", "Sender authentication was not checked: the From domain is unknown."},
	"auth.aligned":     {"差出人ドメインはDKIMまたはSPFで認証され、一致しています。", "The From domain is authenticated by DKIM or SPF and aligned."},
	"sender.protected": {"差出人は保護対象のドメインです。", "The sender is one of the protected domains."},
	"sender.protected_unauthenticated": {"保護対象のドメインを名乗っていますが、認証されていません。なりすましです。",
		"The mail claims a protected domain but is not authenticated: it is spoofed."},
	"header.no_from":              {"差出人(From)がありません。", "The mail has no From field."},
	"header.multiple_from":        {"差出人(From)ヘッダーが複数あります。署名の偽装に使われる手口です。", "The mail has more than one From field, a trick to pass off a forged sender."},
	"header.bad_from":             {"差出人アドレスを読み取れません。", "The From address cannot be read."},
	"header.reply_to_mismatch":    {"返信先(Reply-To)が差出人と別のドメインです。", "Replies go to another domain than the sender's (Reply-To)."},
	"header.return_path_mismatch": {"エンベロープ送信者(Return-Path)が差出人と別のドメインです。", "The envelope sender (Return-Path) is another domain than the From address."},
	"display.spoof_domain":        {"差出人の表示名が、実際の送信元とは別のドメインを名乗っています。", "The sender's display name shows another domain than the real address."},
	"display.spoof_brand":         {"差出人の表示名が保護対象のブランドを名乗っていますが、送信元は別のドメインです。", "The display name claims a protected brand, but the address is another domain."},
	codeTLDSwap:                   {"保護対象のドメインのトップレベルだけを変えた偽ドメインです(例: .co.jp → .jp)。", "A fake domain that swaps the ending of a protected domain (e.g. .co.jp → .jp)."},
	codeHomoglyph:                 {"保護対象のドメインに見た目が似た文字を使った偽ドメインです。", "A fake domain using look-alike characters for a protected domain."},
	codeMixedScript:               {"ドメイン名にラテン文字と他の文字体系(キリル文字など)が混在しています。", "The domain mixes Latin with another script (e.g. Cyrillic)."},
	codePunycode:                  {"保護対象のドメインに似せた国際化ドメイン(xn--)です。", "An internationalised (xn--) domain imitating a protected domain."},
	codeInsertion:                 {"保護対象のドメインに1文字加えた偽ドメインです。", "A fake domain that adds a character to a protected domain."},
	codeOmission:                  {"保護対象のドメインから文字や点を省いた偽ドメインです。", "A fake domain that drops a character or dot from a protected domain."},
	codeTransposition:             {"保護対象のドメインの文字を入れ替えた偽ドメインです。", "A fake domain that swaps two letters of a protected domain."},
	codeSubstitution:              {"保護対象のドメインの1文字を置き換えた偽ドメインです。", "A fake domain that replaces one letter of a protected domain."},
	codeHyphenation:               {"保護対象のドメインのハイフンを足したり省いたりした偽ドメインです。", "A fake domain that adds or drops a hyphen of a protected domain."},
	codeSubdomain:                 {"保護対象のドメイン名を別ドメインのサブドメインとして使っています。", "A protected domain name used as a subdomain of another domain."},
	codeBrandInName:               {"保護対象のブランド名を含む別のドメインです。", "Another domain that contains a protected brand name."},
	"host.mixed_script":           {"リンク先のドメイン名に複数の文字体系が混在しています。", "A link's domain mixes scripts."},
	"link.form_action":            {"メール内に入力フォームがあります。正規のメールはフォームで情報を求めません。", "The mail contains a form; genuine mail does not collect data in a form."},
	"link.script":                 {"スクリプトやデータを実行するリンクがあります。", "A link runs script or opens inline data."},
	"link.unparseable":            {"読み取れないリンクがあります。", "A link cannot be parsed."},
	"link.userinfo":               {"リンクの「@」の前に信頼できそうな名前を置き、別のサイトへ誘導しています。", "A link puts a trusted-looking name before '@' and leads to another site."},
	"link.ip_literal":             {"ドメイン名ではなくIPアドレスへのリンクがあります。", "A link goes to an IP address instead of a domain name."},
	"link.shortener":              {"短縮URLで本当のリンク先を隠しています。", "A URL shortener hides the real target."},
	"link.admin_wrong_host":       {"管理画面へのリンクが、設定された管理画面のURLと違うホストを指しています。", "An admin link points to another host than the configured admin origin."},
	"link.login_offsite":          {"ログインや管理画面のページへのリンクが、保護対象以外のサイトを指しています。", "A login or admin page link leads to a site that is not protected."},
	"link.text_mismatch":          {"リンクの表示文字列と実際のリンク先のドメインが違います。", "A link's visible text names another domain than where it goes."},
	"lure.password_expiry":        {"パスワードの期限切れを口実にしています(よくある手口)。", "It uses password expiry as a pretext (a common lure)."},
	"lure.account_suspension":     {"アカウント停止をほのめかしています(よくある手口)。", "It threatens account suspension (a common lure)."},
	"lure.file_corruption":        {"ファイルの破損や改ざんを口実にしています(よくある手口)。", "It uses corrupted or tampered files as a pretext (a common lure)."},
	"lure.identity_check":         {"本人確認を求めています(よくある手口)。", "It asks to verify your identity (a common lure)."},
	"lure.urgency":                {"至急の対応を迫っています(よくある手口)。", "It presses for urgent action (a common lure)."},
	"lure.login_request":          {"リンクからのログインを求めています(よくある手口)。", "It asks you to log in through a link (a common lure)."},
	"lure.payment":                {"支払い情報の更新を求めています(よくある手口)。", "It asks to update payment details (a common lure)."},
	"code.present":                {"設定したフィッシング対策コードが含まれています。", "The configured anti-phishing code is present."},
	"code.missing":                {"このショップのメールに必ず入るフィッシング対策コードがありません。", "The anti-phishing code that every mail from this shop carries is missing."},
	"parse.partial":               {"メールの一部を解析できませんでした(壊れている・大きすぎる)。", "Part of the mail could not be parsed (broken or too large)."},
	"parse.too_large":             {"メールが大きすぎるため、先頭部分だけを確認しました。", "The mail is too large: only its beginning was checked."},
	"url.protected":               {"リンク先は保護対象のドメインです。", "The link goes to a protected domain."},
	"url.unknown_host":            {"リンク先は保護対象のドメインではないため、安全とは言えません。", "The link does not go to a protected domain, so it cannot be vouched for."},
}

// message returns the sentence for code in lang ("en", else Japanese), or
// the code itself when it has none.
func message(code, lang string) string {
	m, ok := messages[code]
	if !ok {
		return code
	}
	if lang == "en" {
		return m[1]
	}
	return m[0]
}
