package settings

// Keys of the mail area (ProtectDomains is in settings.go).
const (
	// VendorContact is where the operator reports phishing that imitates
	// their platform or payment vendor (an address or URL), shown next to
	// the national reporting points on the phishing checker.
	VendorContact = "mail.vendor_contact"
)
