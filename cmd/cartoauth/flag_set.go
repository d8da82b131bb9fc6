package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagSet is a command's flags plus its help text.
type flagSet struct {
	*flag.FlagSet
	usage string // e.g. "cartoauth token [--m2m FILE]"
	about string // a paragraph or two shown under the usage line
}

func newFlagSet(name, usage, about string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported as one line by report
	fs.Usage = func() {}
	return &flagSet{FlagSet: fs, usage: usage, about: about}
}

// parse parses args; it prints the help for -h/--help (returning errHelped) and refuses
// positional arguments.
func (fs *flagSet) parse(e *env, args []string) error { return fs.parseArgs(e, args, 0) }

// parseArgs is parse allowing up to most positional arguments.
func (fs *flagSet) parseArgs(e *env, args []string, most int) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.writeHelp(e.stdout)
		return errHelped
	case err != nil:
		return usageErrorf("%s: %v", fs.Name(), err).with(fmt.Sprintf("run 'cartoauth %s --help'", fs.Name()))
	case fs.NArg() > most:
		return usageErrorf("%s: unexpected argument %q", fs.Name(), fs.Arg(most)).with(fmt.Sprintf("run 'cartoauth %s --help'", fs.Name()))
	}
	return nil
}

func (fs *flagSet) writeHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s\n", fs.usage, strings.TrimSpace(fs.about))
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags (one dash or two):\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fmt.Fprint(w, "\nExit codes: 0 ok, 1 failure, 2 usage error, 3 interactive login required.\n")
}

// isSet reports whether the flag name was given on the command line.
func (fs *flagSet) isSet(name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
