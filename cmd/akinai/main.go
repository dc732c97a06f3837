// Command akinai runs an Akinai shop: `akinai serve` starts it; the other
// subcommands are for the operator at the server's shell.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: akinai <command> [flags]

commands:
  serve       run the shop (add --demo to fill an empty shop with demo data)
  migrate     apply database migrations and exit
  demo load   fill the database with the demo shop
  admin create --email E --name N [--role owner|manager|staff]
              create an admin (password read from stdin, or generated and printed once)
  admin reset-mfa EMAIL
              remove an admin's passkeys, TOTP and recovery codes (break-glass)
  audit verify
              check the audit log's hash chain and report the first broken link
  verify [--manifest FILE]
              say whether this installation is intact (build, binary, migrations,
              templates, audit chain, data directory); exit 1 naming what is not
  backup [--to DIR|s3://bucket/prefix] (--passphrase-file F | --without-secret) [--keep N]
              take a consistent online backup (database, images, sealed secret key)
  restore --from FILE --data NEWDIR [--database-url URL] [--passphrase-file F | --without-secret]
              check a backup and restore it into a new data directory
  import eccube --source URL [--images DIR|TAR] [--eccube-env FILE] [--dry-run]
              bring an EC-CUBE 4 shop over (docs/MIGRATING.md)
  mailcheck   tell whether a mail (FILE or -) or a --url is genuine, suspicious or phishing
  magazine-bounce  read a bounce (DSN) to a mail magazine's return path on stdin; suppress a hard-bounced address
  plugin keygen|sign|sign-index
              make a publisher key, sign a plugin package (.akp) or a catalogue index
  version [-m]
              print the version, VCS revision and build date (-m: and the linked modules)

Run "akinai <command> -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stdout, stderr)
	case "migrate":
		return runMigrate(ctx, rest, stdout, stderr)
	case "demo":
		return runDemo(ctx, rest, stdout, stderr)
	case "admin":
		return runAdmin(ctx, rest, stdin, stdout, stderr)
	case "audit":
		return runAudit(ctx, rest, stdout, stderr)
	case "verify":
		return runVerify(ctx, rest, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, stdout, stderr)
	case "magazine-bounce":
		return runMagazineBounce(ctx, rest, stdin, stdout, stderr)
	case "import":
		return runImport(ctx, rest, stdout, stderr)
	case "mailcheck":
		return runMailcheck(ctx, rest, stdin, stdout, stderr, mailcheckShopDefaults())
	case "plugin":
		return runPlugin(rest, stdout, stderr)
	case "version", "--version":
		return runVersion(rest, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "akinai: unknown command %q\n\n%s", cmd, usage)
	return 2
}
