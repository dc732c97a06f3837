package demo

import (
	"context"
	"fmt"

	"github.com/akinai/akinai/internal/db"
	"github.com/akinai/akinai/internal/invoice"
	"github.com/akinai/akinai/internal/settings"
)

// The demo shop's identity. Address, phone and mail are fictional; the
// invoice number is a made-up one with a valid check digit.
const (
	shopName     = "茶と道具 あきない"
	shopNameEN   = "Akinai Tea & Tools"
	company      = "株式会社あきない商店"
	companyEN    = "Akinai Shoten Co., Ltd."
	manager      = "商 太郎"
	postalCode   = "1010052"
	address      = "東京都千代田区神田小川町9-9-9 あきないビル3階"
	addressEN    = "3F Akinai Bldg., 9-9-9 Kanda-Ogawamachi, Chiyoda-ku, Tokyo"
	phone        = "03-0000-0000"
	email        = "info@akinai.example"
	hours        = "平日 10:00〜17:00(土日祝・年末年始を除く)"
	corporateNum = "010401999999" // 12 digits; the check digit is prefixed
	// bankAccount is what the bank-transfer order mail states (fictional).
	bankAccount = "あきない銀行(Akinai Bank) 神田支店(Kanda branch, 123) 普通預金(ordinary) 1234567 口座名義 カ)アキナイショウテン"
)

// InvoiceNumber is the demo shop's qualified-invoice registration number:
// T and a made-up 13-digit corporate number whose first digit is the
// check digit of the other twelve.
func InvoiceNumber() string {
	return "T" + fmt.Sprint(invoice.CheckDigit(corporateNum)) + corporateNum
}

// shopSettings writes the shop information unless already set, so a demo
// shop whose operator renamed it keeps the new name.
func shopSettings(ctx context.Context, tx *db.Tx) error {
	for k, v := range map[string]string{
		settings.ShopName: shopName, settings.ShopNameEN: shopNameEN,
		settings.ShopCompany: company, settings.ShopCompanyEN: companyEN,
		settings.ShopEmail: email, settings.ShopPhone: phone,
		settings.ShopPostalCode: postalCode, settings.ShopAddress: address, settings.ShopAddressEN: addressEN,
		settings.ShopManager: manager, settings.ShopHours: hours,
		settings.InvoiceNumber: InvoiceNumber(), settings.TaxRounding: "floor",
		settings.FreeShipping: "5500",
		settings.BankAccount:  bankAccount,
	} {
		if _, err := tx.Exec(ctx, `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (key) DO NOTHING`, k, v, tx.Now()); err != nil {
			return err
		}
	}
	return nil
}
