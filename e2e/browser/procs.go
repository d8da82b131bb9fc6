package browser

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Children returns the PIDs whose parent is pid (Linux /proc), e.g. the kernels a Jupyter
// server started in their own sessions.
func Children(pid int) []int {
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// Fields after the ")" that closes the command name: state ppid ...
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

// killGroups sends SIGKILL to the process group of each pid and to the pid itself.
func killGroups(pids []int) {
	for _, p := range pids {
		if pg, err := syscall.Getpgid(p); err == nil && pg == p {
			_ = syscall.Kill(-p, syscall.SIGKILL)
		}
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
}
