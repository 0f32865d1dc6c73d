package client_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/newsgraph/newsgraph/client"
	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
	"github.com/newsgraph/newsgraph/loader/extract"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
)

// serverAddr is the address of the server the examples and most tests call: a real
// server over a bolt store in a temporary folder, holding the articles of
// examples/articles, started by TestMain.
var serverAddr string

// extractor is the extractor of every test server (it takes a while to build).
var extractor *extract.Extractor

// exampleArticles is the folder of the example articles.
const exampleArticles = "../examples/articles"

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "newsgraph-client-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	x, err := extract.New(extract.Config{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	extractor = x
	cfg := server.DefaultConfig()
	gcfg := cfg.StoreConfig(graph.DefaultConfig())
	gcfg.Backend, gcfg.Path, gcfg.NoSync = graph.BackendBolt, filepath.Join(dir, "store"), true
	addr, stop, err := serve(gcfg, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer stop()
	serverAddr = addr
	if err := loadExamples(addr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return m.Run()
}

// serve serves a store of gcfg with cfg (and the extractor's predicates) on
// 127.0.0.1:0 and returns its address and what stops it.
func serve(gcfg graph.Config, cfg server.Config) (string, func(), error) {
	store, err := graph.Open(context.Background(), gcfg)
	if err != nil {
		return "", nil, err
	}
	cfg.Predicates = extractor.Predicates()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	srv, err := server.New(store, extractor, cfg)
	if err != nil {
		store.Close()
		return "", nil, err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		return "", nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, lis) }()
	stop := func() {
		cancel()
		<-served
		store.Close()
	}
	return lis.Addr().String(), stop, nil
}

// startServer serves a memstore with cfg until the test ends and returns its address.
func startServer(t testing.TB, cfg server.Config) string {
	t.Helper()
	gcfg := cfg.StoreConfig(graph.DefaultConfig())
	gcfg.Backend = graph.BackendMemstore
	addr, stop, err := serve(gcfg, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	return addr
}

// memStore returns an empty memstore, closed when the test ends.
func memStore(t testing.TB) graph.Store {
	t.Helper()
	gcfg := server.DefaultConfig().StoreConfig(graph.DefaultConfig())
	gcfg.Backend = graph.BackendMemstore
	s, err := graph.Open(context.Background(), gcfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// readArticles reads the articles of paths as load requests.
func readArticles(paths ...string) ([]*pb.LoadArticlesRequest, error) {
	var reqs []*pb.LoadArticlesRequest
	err := doc.Reader{}.Walk(context.Background(), paths, func(it doc.Item) error {
		if it.Err != nil {
			return it.Err
		}
		reqs = append(reqs, client.FromDocument(it.Doc))
		return nil
	})
	return reqs, err
}

// loadExamples loads examples/articles into the server at addr with the client.
func loadExamples(addr string) error {
	reqs, err := readArticles(exampleArticles)
	if err != nil {
		return err
	}
	c, err := client.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for r, err := range c.Load(ctx, slices.Values(reqs)) {
		if err != nil {
			return err
		}
		if r.GetStatus() != pb.ArticleStatus_ARTICLE_STATUS_STORED {
			return fmt.Errorf("load %s: %v %s", r.GetArticleId(), r.GetStatus(), r.GetReason())
		}
	}
	return nil
}

// dial returns a client of addr with opts, closed when the test ends.
func dial(t testing.TB, addr string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.Dial(addr, opts...)
	if err != nil {
		t.Fatalf("Dial(%s): %v", addr, err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// testCtx is a context for a test's calls.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// testPKI is a CA and certificates it signed, as PEM files in a test's folder.
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

// issue signs a certificate for 127.0.0.1 and the name "newsgraph.test" (server) or
// a client certificate, and returns its certificate and key files.
func (p *testPKI) issue(t testing.TB, name string, clientCert bool) (certFile, keyFile string) {
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
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		DNSNames:     []string{"newsgraph.test"},
	}
	if clientCert {
		tmpl.ExtKeyUsage, tmpl.IPAddresses, tmpl.DNSNames = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, nil, nil
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
