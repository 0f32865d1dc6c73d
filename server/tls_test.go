package server

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// testPKI is a CA and certificates it signed, as PEM files in a test's temporary
// folder.
type testPKI struct {
	dir    string
	caCert *x509.Certificate
	caKey  *ecdsa.PrivateKey
	CA     string // PEM file of the CA certificate
}

// newPKI makes a self-signed CA named name.
func newPKI(t testing.TB, name string) *testPKI {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p := &testPKI{dir: t.TempDir(), caCert: cert, caKey: key}
	p.CA = p.write(t, name+"-ca.pem", "CERTIFICATE", der)
	return p
}

func (p *testPKI) write(t testing.TB, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(p.dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// issue signs a certificate for 127.0.0.1 (server) or a client, valid from notBefore
// to notAfter, and returns its certificate and key files.
func (p *testPKI) issue(t testing.TB, name string, client bool, notBefore, notAfter time.Time) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	if client {
		tmpl.ExtKeyUsage, tmpl.IPAddresses = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, &key.PublicKey, p.caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return p.write(t, name+".pem", "CERTIFICATE", der), p.write(t, name+"-key.pem", "EC PRIVATE KEY", kder)
}

// valid is the validity of a certificate that is good now.
func valid() (time.Time, time.Time) { return time.Now().Add(-time.Hour), time.Now().Add(time.Hour) }

// serveAt serves store with cfg on 127.0.0.1:0 until the test ends and returns the
// address; cfg's Logger is replaced by one into logs (may be nil).
func serveAt(t testing.TB, cfg Config, logs *syncBuffer) string {
	t.Helper()
	if logs == nil {
		logs = &syncBuffer{}
	}
	cfg.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s, err := New(newFakeStore(), fakeExtractor{}, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, lis) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	return lis.Addr().String()
}

// dialTest returns a client of addr with the dial options; the connection is closed
// when the test ends.
func dialTest(t testing.TB, addr string, opts ...grpc.DialOption) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// tlsCreds returns client TLS credentials trusting caFile, with the client
// certificate of certFile and keyFile when not empty.
func tlsCreds(t testing.TB, caFile, certFile, keyFile string) grpc.DialOption {
	t.Helper()
	pool, err := LoadCertPool(caFile)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if certFile != "" {
		c, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{c}
	}
	return grpc.WithTransportCredentials(credentials.NewTLS(cfg))
}

// TestTLS: a TLS server answers TLS clients that trust its CA and no one else; with a
// client CA (mTLS) it answers only clients with a certificate that CA signed and that
// has not expired.
func TestTLS(t *testing.T) {
	serverPKI, clientPKI, otherPKI := newPKI(t, "server"), newPKI(t, "clients"), newPKI(t, "other")
	nb, na := valid()
	srvCert, srvKey := serverPKI.issue(t, "127.0.0.1", false, nb, na)
	cliCert, cliKey := clientPKI.issue(t, "loader", true, nb, na)
	oldCert, oldKey := clientPKI.issue(t, "expired", true, time.Now().Add(-48*time.Hour), time.Now().Add(-24*time.Hour))
	strangerCert, strangerKey := otherPKI.issue(t, "stranger", true, nb, na)

	tlsCfg, err := LoadTLS(srvCert, srvKey, "")
	if err != nil {
		t.Fatal(err)
	}
	mtlsCfg, err := LoadTLS(srvCert, srvKey, clientPKI.CA)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.TLS = tlsCfg
	tlsAddr := serveAt(t, cfg, nil)
	cfg.TLS = mtlsCfg
	mtlsAddr := serveAt(t, cfg, nil)

	tests := []struct {
		name string
		addr string
		opt  grpc.DialOption
		ok   bool
	}{
		{"plaintext to TLS", tlsAddr, grpc.WithTransportCredentials(insecure.NewCredentials()), false},
		{"TLS trusting the CA", tlsAddr, tlsCreds(t, serverPKI.CA, "", ""), true},
		{"TLS trusting another CA", tlsAddr, tlsCreds(t, otherPKI.CA, "", ""), false},
		{"mTLS without a client certificate", mtlsAddr, tlsCreds(t, serverPKI.CA, "", ""), false},
		{"mTLS with a client certificate", mtlsAddr, tlsCreds(t, serverPKI.CA, cliCert, cliKey), true},
		{"mTLS with an expired client certificate", mtlsAddr, tlsCreds(t, serverPKI.CA, oldCert, oldKey), false},
		{"mTLS with a certificate of another CA", mtlsAddr, tlsCreds(t, serverPKI.CA, strangerCert, strangerKey), false},
		{"plaintext to mTLS", mtlsAddr, grpc.WithTransportCredentials(insecure.NewCredentials()), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := pb.NewNewsGraphServiceClient(dialTest(t, tt.addr, tt.opt))
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := c.GetStats(ctx, &pb.GetStatsRequest{})
			if tt.ok && err != nil {
				t.Fatalf("GetStats: %v, want an answer", err)
			}
			if !tt.ok && status.Code(err) != codes.Unavailable {
				t.Fatalf("GetStats: %v, want Unavailable (handshake refused)", err)
			}
			if err != nil {
				t.Logf("refused: %v", err)
			}
		})
	}
}

// TestLoadTLSErrors: a missing or wrong file is named in the error.
func TestLoadTLSErrors(t *testing.T) {
	p := newPKI(t, "server")
	nb, na := valid()
	cert, key := p.issue(t, "127.0.0.1", false, nb, na)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	tests := []struct {
		name                string
		cert, key, clientCA string
		want                string
	}{
		{"no key", cert, "", "", "want both"},
		{"missing certificate", missing, key, "", "missing.pem"},
		{"key for another certificate", p.CA, key, "", p.CA},
		{"missing client CA", cert, key, missing, "missing.pem"},
		{"client CA not PEM", cert, key, writeFile(t, "notpem.txt", "hello"), "notpem.txt: no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadTLS(tt.cert, tt.key, tt.clientCA)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("LoadTLS: %v, want an error with %q", err, tt.want)
			}
		})
	}
}

// writeFile writes text to name in a temporary folder and returns its path.
func writeFile(t testing.TB, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
