package settings

// Keys of the admin area's settings (the admin path is AdminPath in
// settings.go).
const (
	// AdminPasskeysOnly is "1" when the owner requires passkeys: TOTP and
	// recovery codes then sign nobody in.
	AdminPasskeysOnly = "admin.passkeys_only"
)
