// Command rhythm helps distributed teams choose between async and sync
// communication, run hybrid rhythms, schedule fairly across time zones and
// measure the balance on their own metadata.
package main

import (
	"context"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // the binary knows every IANA zone on any machine
)

func main() {
	tuneGC(os.Args[1:], os.Getenv)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole program: it parses args, runs the command and returns
// the exit code (0 ok, 1 failure while working, 2 bad usage or input).
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	app := newApp(stdin, stdout, stderr)
	root := app.rootCommand()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return app.exit(err)
}
