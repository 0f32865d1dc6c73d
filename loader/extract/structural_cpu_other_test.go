//go:build !unix

package extract

func stageCPU() float64 { return -1 }
