package settings

// Settings of the checkout.
const (
	// BankAccount is the bank-transfer instruction text put in the order
	// mail (bank, branch, account type and number, holder).
	BankAccount = "payment.bank_account"
	// CancelTermsURL links the cancellation and return terms from the
	// final confirmation page (default: the 特定商取引法 page).
	CancelTermsURL = "checkout.cancel_terms_url"
)
