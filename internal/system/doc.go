// Package system owns the admin's system screens (EC-CUBE's システム情報
// and ログイン履歴): the system information page (build, Go, database
// engine and size, disk free, uptime, the lease-table workers and their
// queues), the login history read from the audit log's signin.* entries
// with filters and CSV, and a viewer of the process's recent warnings and
// errors, kept in memory by the Recent slog handler with personal and
// secret values redacted. Owners and managers may read them (the audit
// area); staff may not.
package system
