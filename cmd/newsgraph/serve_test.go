package main

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
	"google.golang.org/grpc/credentials/insecure"
	reflectionpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/grpc/status"

	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
)

// TestServeTakenPort: serve on a port another listener holds fails naming --addr
// before it creates a store.
func TestServeTakenPort(t *testing.T) {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer lis.Close()
	data := filepath.Join(t.TempDir(), "store")
	code, _, stderr := cli(t, "", "serve", "--data", data, "--addr", lis.Addr().String())
	if code != exitFail || !strings.Contains(stderr, "--addr "+lis.Addr().String()) {
		t.Fatalf("serve on a taken port: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("serve on a taken port made %s (%v)", data, err)
	}
}

// TestServeStoreHeld: a second serve on the --data of a running one says another
// process holds the store in that folder.
func TestServeStoreHeld(t *testing.T) {
	data := filepath.Join(t.TempDir(), "store")
	startServe(t, "--data", data)
	code, _, stderr := cli(t, "", "serve", "--data", data, "--addr", "127.0.0.1:0")
	if code != exitFail || !strings.Contains(stderr, "another process holds the store in "+data) {
		t.Fatalf("second serve on %s: exit %d, %s", data, code, stderr)
	}
}

// writePEM writes a PEM block to dir/name.
func writePEM(t *testing.T, dir, name, typ string, der []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testCerts makes a CA and a server certificate for 127.0.0.1 it signed, and returns
// the PEM files of the CA, the certificate and its key.
func testCerts(t *testing.T) (ca, cert, key string) {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, err := x509.ParseCertificate(caDER)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, &k.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return writePEM(t, dir, "ca.pem", "CERTIFICATE", caDER), writePEM(t, dir, "server.pem", "CERTIFICATE", der),
		writePEM(t, dir, "server-key.pem", "EC PRIVATE KEY", kder)
}

// TestServeSecure: serve with TLS and a token file; query and load with --tls-ca and
// --token (or NEWSGRAPH_TOKEN) work, without a token or without TLS they fail.
func TestServeSecure(t *testing.T) {
	ca, cert, key := testCerts(t)
	tokens := filepath.Join(t.TempDir(), "tokens.txt")
	const readTok, writeTok = "reader-token-0123456789", "writer-token-0123456789"
	if err := os.WriteFile(tokens, []byte("# test tokens\n"+readTok+" analyst read\n"+writeTok+" pipeline read,write\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	addr, _ := startServe(t, "--backend", "memstore", "--tls-cert", cert, "--tls-key", key, "--auth-tokens", tokens)
	tests := []struct {
		name string
		env  string // NEWSGRAPH_TOKEN
		args []string
		code int
		want string // in stdout or stderr
	}{
		{"no token", "", []string{"query", "stats", "--addr", addr, "--tls-ca", ca}, exitFail, "Unauthenticated: missing bearer token"},
		{"wrong token", "", []string{"query", "stats", "--addr", addr, "--tls-ca", ca, "--token", "wrong-token-0123456789"}, exitFail, "Unauthenticated: invalid bearer token"},
		{"plaintext", "", []string{"query", "stats", "--addr", addr, "--token", readTok}, exitFail, "the server may speak TLS: give --tls-ca"},
		{"unknown CA", "", []string{"query", "stats", "--addr", addr, "--tls", "--token", readTok}, exitFail, "give --tls-ca with the CA"},
		{"read token", "", []string{"query", "stats", "--addr", addr, "--tls-ca", ca, "--token", readTok}, exitOK, "articles"},
		{"token from the environment", readTok, []string{"query", "stats", "--addr", addr, "--tls-ca", ca}, exitOK, "articles"},
		{"read token loads", "", []string{"load", "--addr", addr, "--tls-ca", ca, "--token", readTok, reference}, exitFail, "PermissionDenied: token analyst has scope read"},
		{"read token deletes", "", []string{"delete", "--addr", addr, "--tls-ca", ca, "--token", readTok, "x"}, exitFail, "PermissionDenied"},
		{"write token loads", "", []string{"load", "--addr", addr, "--tls-ca", ca, "--token", writeTok, reference}, exitOK, "1 stored"},
		{"export", "", []string{"export", "--addr", addr, "--tls-ca", ca, "--token", readTok, "--all"}, exitOK, "<"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(envToken, tt.env)
			code, stdout, stderr := cli(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.want) {
				t.Fatalf("%v: exit %d, want %d with %q:\n%s%s", tt.args, code, tt.code, tt.want, stdout, stderr)
			}
		})
	}
}

// TestLoadQueued: a load whose call the server queued says so instead of "waiting for
// the server to commit".
func TestLoadQueued(t *testing.T) {
	addr, _ := startServe(t, "--backend", "memstore", "--load-slots", "1", "--load-idle-timeout", "1s")
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	idle, err := pb.NewNewsGraphServiceClient(conn).LoadArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := idle.Header(); err != nil { // the server gave it the slot
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "", "load", "--addr", addr, reference)
	if code != exitOK || !strings.Contains(stderr, "queued: all 1 load slots of the server were busy") {
		t.Fatalf("load behind an idle call: exit %d:\n%s%s", code, stdout, stderr)
	}
}

// TestWarnExposed: listening beyond loopback without TLS or tokens logs a warning
// naming what is missing (no listener: the addresses are made up).
func TestWarnExposed(t *testing.T) {
	tlsOn := server.DefaultConfig()
	tlsOn.TLS = &tls.Config{}
	both := tlsOn
	both.Tokens, _ = server.ParseTokens("t", strings.NewReader("token-0123456789abcdef a read\n"))
	tests := []struct {
		name string
		ip   net.IP
		cfg  server.Config
		want string // "" for no warning
	}{
		{"loopback", net.IPv4(127, 0, 0, 1), server.DefaultConfig(), ""},
		{"loopback v6", net.IPv6loopback, server.DefaultConfig(), ""},
		{"all interfaces", net.IPv4zero, server.DefaultConfig(), "without TLS (--tls-cert, --tls-key) and tokens (--auth-tokens)"},
		{"TLS only", net.IPv4(10, 0, 0, 1), tlsOn, "without tokens (--auth-tokens)"},
		{"TLS and tokens", net.IPv6zero, both, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf lockedBuffer
			warnExposed(slog.New(slog.NewTextHandler(&buf, nil)), &net.TCPAddr{IP: tt.ip, Port: 7474}, tt.cfg)
			got := buf.String()
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("log %q, want a warning with %q (none when empty)", got, tt.want)
			}
		})
	}
}

// TestClientDialRefusals: the client refuses to send a token in plaintext beyond
// loopback and wants --tls-cert and --tls-key together; nothing is dialled.
func TestClientDialRefusals(t *testing.T) {
	tests := []struct {
		name string
		c    connFlags
		addr string
		want string // "" for no error
	}{
		{"token to loopback", connFlags{token: "t"}, "127.0.0.1:7474", ""},
		{"token to localhost", connFlags{token: "t"}, "localhost:7474", ""},
		{"token in plaintext beyond loopback", connFlags{token: "t"}, "10.1.2.3:7474", "refusing to send a token in plaintext to 10.1.2.3:7474"},
		{"token with TLS beyond loopback", connFlags{token: "t", tls: true}, "10.1.2.3:7474", ""},
		{"no token beyond loopback", connFlags{}, "10.1.2.3:7474", ""},
		{"certificate without key", connFlags{cert: "c.pem"}, "127.0.0.1:7474", "give both or neither"},
		{"missing CA file", connFlags{ca: filepath.Join(t.TempDir(), "none.pem")}, "127.0.0.1:7474", "none.pem"},
	}
	t.Setenv(envToken, "")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := tt.c.dial(tt.addr)
			if c != nil {
				c.Close()
			}
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("dial: %v, want %q (no error when empty)", err, tt.want)
			}
		})
	}
}

// TestServeReflection: reflection is on by default on loopback and off with
// --reflection=false.
func TestServeReflection(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want codes.Code
	}{
		{nil, codes.OK},
		{[]string{"--reflection=false"}, codes.Unimplemented},
	} {
		t.Run(strings.Join(append([]string{"args"}, tt.args...), " "), func(t *testing.T) {
			addr, _ := startServe(t, append([]string{"--backend", "memstore"}, tt.args...)...)
			conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			s, err := reflectionpb.NewServerReflectionClient(conn).ServerReflectionInfo(ctx)
			if err == nil {
				_ = s.Send(&reflectionpb.ServerReflectionRequest{MessageRequest: &reflectionpb.ServerReflectionRequest_ListServices{}})
				_, err = s.Recv()
			}
			if status.Code(err) != tt.want {
				t.Fatalf("reflection: %v, want %v", err, tt.want)
			}
		})
	}
}
