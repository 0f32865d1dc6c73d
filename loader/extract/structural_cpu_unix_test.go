//go:build unix

package extract

import (
	"syscall"
	"time"
)

// stageCPU returns the CPU seconds the process has used (user and system), or -1.
func stageCPU() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
