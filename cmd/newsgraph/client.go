package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
	"github.com/newsgraph/newsgraph/server"
)

// maxRecvMsgBytes is the largest answer the client accepts (a LoadArticles response
// lists every article of the call).
const maxRecvMsgBytes = 64 << 20

// Environment variables the client commands read when the flag is not given.
const (
	envToken   = "NEWSGRAPH_TOKEN"
	envTLSCA   = "NEWSGRAPH_TLS_CA"
	envTLSCert = "NEWSGRAPH_TLS_CERT"
	envTLSKey  = "NEWSGRAPH_TLS_KEY"
)

// connFlags say how a client command reaches the server and who it is: a bearer token
// and TLS (server CA, client certificate for mTLS). The zero value reads only the
// environment.
type connFlags struct {
	token      string
	tls        bool
	ca         string
	cert, key  string
	serverName string
}

// addConnFlags registers the connection flags on fs.
func addConnFlags(fs *flag.FlagSet) *connFlags {
	c := &connFlags{}
	fs.StringVar(&c.token, "token", "", "bearer token of the server's --auth-tokens file (default $"+envToken+"; the environment keeps it out of ps)")
	fs.BoolVar(&c.tls, "tls", false, "connect with TLS, verifying the server with the system's CAs (implied by --tls-ca)")
	fs.StringVar(&c.ca, "tls-ca", "", "PEM file of the CA that signed the server's certificate: connect with TLS (default $"+envTLSCA+")")
	fs.StringVar(&c.cert, "tls-cert", "", "PEM file of the client certificate, for a server with --tls-client-ca (default $"+envTLSCert+")")
	fs.StringVar(&c.key, "tls-key", "", "PEM file of the client certificate's key (default $"+envTLSKey+")")
	fs.StringVar(&c.serverName, "tls-server-name", "", "name to verify the server's certificate against (default: the host of --addr)")
	return c
}

// orEnv returns v, or the environment variable env when v is empty.
func orEnv(v, env string) string {
	if v != "" {
		return v
	}
	return os.Getenv(env)
}

// dial returns a client of the server at addr with the connection settings of the
// environment only (plaintext unless $NEWSGRAPH_TLS_CA is set).
func dial(addr string) (pb.NewsGraphServiceClient, io.Closer, error) {
	return (&connFlags{}).dial(addr)
}

// dial returns a client of the server at addr: TLS when a CA, a client certificate or
// --tls is given, else plaintext; with the bearer token on every call when one is
// given. It refuses to send a token in plaintext beyond the loopback interface. The
// connection is made lazily, by the first call.
func (c *connFlags) dial(addr string) (pb.NewsGraphServiceClient, io.Closer, error) {
	token := orEnv(c.token, envToken)
	ca, cert, key := orEnv(c.ca, envTLSCA), orEnv(c.cert, envTLSCert), orEnv(c.key, envTLSKey)
	useTLS := c.tls || ca != "" || cert != ""
	opts := []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(maxRecvMsgBytes),
		grpc.MaxCallSendMsgSize(doc.DefaultMaxBytes+1<<20),
	)}
	if useTLS {
		cfg, err := clientTLS(ca, cert, key, c.serverName)
		if err != nil {
			return nil, nil, err
		}
		opts = append(opts, grpc.WithTransportCredentials(credentials.NewTLS(cfg)))
	} else {
		opts = append(opts, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	if token != "" {
		if !useTLS && !loopback(addr) {
			return nil, nil, fmt.Errorf("--token: refusing to send a token in plaintext to %s (not a loopback address): give --tls-ca or --tls", addr)
		}
		opts = append(opts, grpc.WithPerRPCCredentials(bearer{token: token, secure: useTLS}))
	}
	conn, err := grpc.NewClient(addr, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	return pb.NewNewsGraphServiceClient(conn), conn, nil
}

// clientTLS returns the TLS configuration of a client: the server verified against
// the CA in caFile (the system's CAs when empty), with the client certificate of
// certFile and keyFile when given.
func clientTLS(caFile, certFile, keyFile, serverName string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: serverName}
	if caFile != "" {
		pool, err := server.LoadCertPool(caFile)
		if err != nil {
			return nil, fmt.Errorf("--tls-ca: %w", err)
		}
		cfg.RootCAs = pool
	}
	switch {
	case certFile != "" && keyFile != "":
		c, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", certFile, keyFile, err)
		}
		cfg.Certificates = []tls.Certificate{c}
	case certFile != "" || keyFile != "":
		return nil, errors.New("--tls-cert and --tls-key: give both or neither")
	}
	return cfg, nil
}

// loopback reports whether addr (host:port) names the loopback interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// bearer sends "authorization: Bearer TOKEN" with every call.
type bearer struct {
	token  string
	secure bool // refuse to send the token over a connection without TLS
}

func (b bearer) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	return map[string]string{"authorization": "Bearer " + b.token}, nil
}

func (b bearer) RequireTransportSecurity() bool { return b.secure }

// loadQueued returns msg, or when the server queued the LoadArticles call s because
// every load slot was busy, a note saying so followed by msg. It waits up to wait for
// the call's response header (the server sends it before reading the first article).
func loadQueued(s grpc.ClientStream, wait time.Duration, msg string) string {
	got := make(chan metadata.MD, 1)
	go func() {
		md, _ := s.Header() // returns at the latest when the call ends
		got <- md
	}()
	select {
	case md := <-got:
		if v := md.Get(server.LoadQueuedHeader); len(v) > 0 {
			note := "queued: all " + v[0] + " load slots of the server were busy when the call started, it waits for one"
			if msg == "" {
				return note
			}
			return note + "; then " + msg
		}
	case <-time.After(wait):
	}
	return msg
}

// rpcError formats an error of a call for people: the status code and the server's
// message ("NotFound: entity.name: no entity is named \"Atlantis\""), with a hint
// when the connection failed in a way that says which TLS flag is missing.
func rpcError(err error) string {
	st, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	msg := fmt.Sprintf("%s: %s", st.Code(), st.Message())
	if st.Code() == codes.Unavailable {
		for _, h := range tlsHints {
			if strings.Contains(st.Message(), h.symptom) {
				return msg + " (" + h.hint + ")"
			}
		}
	}
	return msg
}

// tlsHints are what connection errors say about a TLS setting the client lacks.
var tlsHints = []struct{ symptom, hint string }{
	{"error reading server preface: EOF", "the server may speak TLS: give --tls-ca, or --tls for a certificate of a public CA"},
	{"first record does not look like a TLS handshake", "the server speaks plaintext: drop --tls, --tls-ca and --tls-cert"},
	{"certificate signed by unknown authority", "give --tls-ca with the CA that signed the server's certificate"},
	{"certificate required", "the server requires a client certificate: give --tls-cert and --tls-key"},
	{"write: broken pipe", "if the server requires client certificates, give --tls-cert and --tls-key signed by its client CA"},
	{"remote error: tls:", "the server refused the client certificate: check --tls-cert and --tls-key"},
}

// splitTrim splits a comma-separated list, dropping empty items.
func splitTrim(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
