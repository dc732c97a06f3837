package admin

// Area is a part of the back office that permissions are granted on.
// Other areas add their constant here and a row to Permissions.
type Area string

const (
	AreaDashboard Area = "dashboard"
	AreaProducts  Area = "products"
	AreaOrders    Area = "orders"
	AreaCustomers Area = "customers"
	AreaContent   Area = "content"
	AreaSettings  Area = "settings" // shop information, delivery, payment
	AreaSecurity  Area = "security" // passkey policy, IP lists
	AreaMail      Area = "mail"
	AreaAdmins    Area = "admins" // admin accounts and roles
	AreaAudit     Area = "audit"
	AreaAccount   Area = "account" // one's own account: everyone
	AreaReports   Area = "reports" // sales reports
)

// Access is how much a role may do in an area.
type Access int

const (
	NoAccess Access = iota
	Read
	Write
)

// Permissions is the one table that decides, on the server, who may do
// what. Every admin route names its area and the access it needs; a
// missing entry means no access.
var Permissions = map[Area]map[Role]Access{
	AreaDashboard: {Owner: Write, Manager: Write, Staff: Read},
	AreaReports:   {Owner: Write, Manager: Read},
	AreaProducts:  {Owner: Write, Manager: Write, Staff: Write},
	AreaOrders:    {Owner: Write, Manager: Write, Staff: Write},
	AreaCustomers: {Owner: Write, Manager: Write, Staff: Read},
	AreaContent:   {Owner: Write, Manager: Write, Staff: Write},
	AreaSettings:  {Owner: Write, Manager: Write},
	AreaSecurity:  {Owner: Write},
	AreaMail:      {Owner: Write, Manager: Write},
	AreaAdmins:    {Owner: Write, Manager: Read},
	AreaAudit:     {Owner: Read, Manager: Read},
	AreaAccount:   {Owner: Write, Manager: Write, Staff: Write},
}

// Allowed reports whether role has at least need in area.
func Allowed(role Role, area Area, need Access) bool {
	return Permissions[area][role] >= need
}
