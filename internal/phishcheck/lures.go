package phishcheck

import "strings"

// lures are the pressure phrases of credential phishing, by category. They
// are matched on normalised text with white space removed (Japanese) or
// lower-cased (English). Genuine mail uses them too, so each category adds
// little and all together at most lureCap points: never a verdict alone.
var lures = []struct {
	code    string
	phrases []string
}{
	{"lure.password_expiry", []string{
		"パスワードの有効期限", "パスワード有効期限", "パスワードの期限", "パスワードが期限切れ",
		"パスワードを更新してください", "パスワードの更新が必要", "パスワードがまもなく",
		"password expired", "password expires", "password will expire", "password has expired",
		"passwordexpir", "expires today",
	}},
	{"lure.account_suspension", []string{
		"アカウント停止", "アカウントが停止", "アカウントを停止", "アカウントの停止", "アカウントがロック",
		"アカウントは凍結", "アカウントが凍結", "利用停止", "サービスを停止", "ご利用を制限",
		"account suspended", "account will be suspended", "account has been suspended",
		"account locked", "account has been locked", "lock your account", "account will be locked", "account has been disabled", "account will be closed",
	}},
	{"lure.file_corruption", []string{
		"ファイルの破損", "ファイルが破損", "破損しています", "破損が見つかりました", "破損を検出", "改ざんされ",
		"files are corrupted", "file corruption", "corrupted files", "files have been corrupted", "are corrupted",
		"integrity check failed", "files were modified", "files have been modified",
		"your site has been hacked", "malware detected",
	}},
	{"lure.identity_check", []string{
		"本人確認", "ご本人様確認", "アカウントの確認", "アカウント情報の確認", "登録情報の確認", "認証が必要",
		"verify your account", "confirm your identity", "verify your identity", "validate your account",
		"confirm your account",
	}},
	{"lure.urgency", []string{
		"至急", "緊急", "24時間以内", "48時間以内", "72時間以内", "直ちに", "ただちに", "早急に", "本日中に",
		"urgent", "immediately", "within 24 hours", "within 48 hours", "action required", "final notice",
	}},
	{"lure.login_request", []string{
		"管理画面にログイン", "管理画面へログイン", "以下のリンクからログイン", "下記のリンクからログイン",
		"下記urlからログイン", "以下のurlからログイン", "こちらからログイン", "ログインして確認",
		"log in to your admin", "login to your admin", "log in to fix", "click here to log in",
		"sign in to your account", "log in to your account",
	}},
	{"lure.payment", []string{
		"お支払い情報", "支払い方法を更新", "支払い方法の更新", "カード情報の更新", "クレジットカード情報",
		"決済が失敗", "お支払いが確認できません",
		"payment failed", "update your payment", "billing information", "payment method has expired",
	}},
}

// checkLures records each lure category found in text.
func (b *builder) checkLures(text string) {
	norm := normalize(text)
	sq := squeeze(norm)
	lower := strings.ToLower(strings.Join(strings.Fields(norm), " "))
	for _, l := range lures {
		for _, p := range l.phrases {
			if strings.Contains(sq, squeeze(p)) || strings.Contains(lower, p) {
				// Point at the sentence, not only the phrase.
				b.add(l.code, SeverityLow, `"`+p+`": `+sentenceWith(norm, p))
				break
			}
		}
	}
}
