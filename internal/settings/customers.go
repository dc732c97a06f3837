package settings

import "context"

// ProvisionalRegistration says whether a new customer's account waits
// for the confirmation link (仮会員登録): "0" turns it off, and the
// account is active at once; anything else, or unset, keeps it on.
const ProvisionalRegistration = "customer.provisional"

// Provisional reports whether registration waits for the confirmation
// link (the default).
func (s *Store) Provisional(ctx context.Context) (bool, error) {
	v, err := s.Get(ctx, ProvisionalRegistration)
	return v != "0", err
}
