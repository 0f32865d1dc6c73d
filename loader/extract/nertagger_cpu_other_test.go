//go:build !unix

package extract

func cpuTime() float64 { return -1 }
