// Command clibench times whole processes: it runs each command once a round, n rounds of
// paired runs (so that load on the machine hits every command alike), each round in a new
// random order (so that what runs before a command, which changes its start-up by some
// percent, does too), and prints the median time of each as a Markdown table, with its ratio
// to the first command, or to each command -vs lists (by position, from 1).
//
//	clibench [-n 300] [-vs 1,2] 'name=command args...' ...
package main

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	n := flag.Int("n", 300, "rounds of paired runs")
	vs := flag.String("vs", "1", "the commands to compare each with, by position from 1, comma-separated")
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
	var refs []int
	for _, f := range strings.Split(*vs, ",") {
		i, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || i < 1 || i > len(subjects) {
			fmt.Fprintf(os.Stderr, "clibench: -vs wants positions from 1 to %d, got %q\n", len(subjects), f)
			os.Exit(2)
		}
		refs = append(refs, i-1)
	}
	for range *n {
		for _, i := range rand.Perm(len(subjects)) {
			s := subjects[i]
			start := time.Now()
			out, err := exec.Command(s.argv[0], s.argv[1:]...).CombinedOutput()
			if err != nil {
				fmt.Fprintf(os.Stderr, "clibench: %s: %v\n%s", s.name, err, out)
				os.Exit(1)
			}
			s.times = append(s.times, time.Since(start))
		}
	}
	fmt.Printf("| command | median of %d paired runs |", *n)
	for _, r := range refs {
		fmt.Printf(" vs. %s |", subjects[r].name)
	}
	fmt.Printf("\n|---|---|%s\n", strings.Repeat("---|", len(refs)))
	for _, s := range subjects {
		m := median(s.times)
		fmt.Printf("| %s | %.2f ms |", s.name, float64(m)/float64(time.Millisecond))
		for _, r := range refs {
			fmt.Printf(" %.2f× |", float64(m)/float64(median(subjects[r].times)))
		}
		fmt.Println()
	}
}

// median returns the median of ts (the upper one of an even count).
func median(ts []time.Duration) time.Duration {
	s := slices.Clone(ts)
	slices.Sort(s)
	return s[len(s)/2]
}
