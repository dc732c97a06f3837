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
  mailcheck   tell whether a mail (FILE or -) or a --url is genuine, suspicious or phishing
  version     print the version

Run "akinai <command> -h" for a command's flags.
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

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
	case "mailcheck":
		return runMailcheck(ctx, rest, stdin, stdout, stderr, mailcheckShopDefaults())
	case "version", "--version":
		fmt.Fprintln(stdout, "akinai", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "akinai: unknown command %q\n\n%s", cmd, usage)
	return 2
}
