//go:build !unix

package ner

// cpuTime is unknown here.
func cpuTime() float64 { return -1 }
