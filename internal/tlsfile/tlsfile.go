// Package tlsfile reads the PEM files the server and the client are given for TLS.
package tlsfile

import (
	"crypto/x509"
	"fmt"
	"os"
)

// CertPool returns a pool of the PEM certificates in file; an error names the file
// when it holds none.
func CertPool(file string) (*x509.CertPool, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("tls: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("tls: CA file %s: no PEM certificate in it", file)
	}
	return pool, nil
}
