// Command clibench times whole processes: it runs each command in turn, n rounds of paired
// runs (so that load on the machine hits every command alike), and prints the median time of
// each as a Markdown table, with its ratio to the first command.
//
//	clibench [-n 300] 'name=command args...' ...
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 300, "rounds of paired runs")
	flag.Parse()
	type subject struct {
		name  string
		argv  []string
		times []time.Duration
	}
	var subjects []*subject
	for _, arg := range flag.Args() {
		name, cmd, ok := strings.Cut(arg, "=")
		if !ok || strings.TrimSpace(cmd) == "" {
			fmt.Fprintf(os.Stderr, "clibench: want name=command, got %q\n", arg)
			os.Exit(2)
		}
		subjects = append(subjects, &subject{name: name, argv: strings.Fields(cmd)})
	}
	if len(subjects) == 0 {
		fmt.Fprintln(os.Stderr, "clibench: no commands")
		os.Exit(2)
	}
	for range *n {
		for _, s := range subjects {
			start := time.Now()
			out, err := exec.Command(s.argv[0], s.argv[1:]...).CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "clibench: %s: %v\n%s", s.name, err, out)
				os.Exit(1)
			}
			s.times = append(s.times, time.Since(start))
		}
	}
	fmt.Printf("| command | median of %d paired runs | vs. %s |\n|---|---|---|\n", *n, subjects[0].name)
	floor := median(subjects[0].times)
	for _, s := range subjects {
		m := median(s.times)
		fmt.Printf("| %s | %.2f ms | %.2f× |\n", s.name, float64(m)/float64(time.Millisecond), float64(m)/float64(floor))
	}
}

func median(ts []time.Duration) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[len(s)/2]
}
