//go:build !unix

package relclass

func cpuTime() float64 { return -1 }
