package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/client"
)

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
func dial(addr string) (*client.Client, error) {
	return (&connFlags{}).dial(addr)
}

// dial returns a client of the server at addr: TLS when a CA, a client certificate or
// --tls is given, else plaintext; with the bearer token on every call when one is
// given. It refuses to send a token in plaintext beyond the loopback interface. The
// connection is made lazily, by the first call.
func (c *connFlags) dial(addr string) (*client.Client, error) {
	token := orEnv(c.token, envToken)
	ca, cert, key := orEnv(c.ca, envTLSCA), orEnv(c.cert, envTLSCert), orEnv(c.key, envTLSKey)
	var opts []client.Option
	if c.tls || ca != "" || cert != "" {
		opts = append(opts, client.WithTLS(nil))
		if ca != "" {
			opts = append(opts, client.WithCAFile(ca))
		}
		switch {
		case cert != "" && key != "":
			opts = append(opts, client.WithClientCert(cert, key))
		case cert != "" || key != "":
			return nil, errors.New("--tls-cert and --tls-key: give both or neither")
		}
		if c.serverName != "" {
			opts = append(opts, client.WithServerName(c.serverName))
		}
	}
	opts = append(opts, client.WithToken(token))
	cl, err := client.Dial(addr, opts...)
	var oe *client.OptionError
	switch {
	case err == nil:
		return cl, nil
	case errors.Is(err, client.ErrPlaintextToken):
		return nil, fmt.Errorf("--token: refusing to send a token in plaintext to %s (not a loopback address): give --tls-ca or --tls", addr)
	case errors.As(err, &oe) && oe.Option == "WithCAFile":
		return nil, fmt.Errorf("--tls-ca: %w", oe.Err)
	case errors.As(err, &oe) && oe.Option == "WithClientCert":
		return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", cert, key, oe.Err)
	}
	if inner := errors.Unwrap(err); inner != nil { // gRPC's, without the client's prefix
		err = inner
	}
	return nil, fmt.Errorf("--addr %s: %w", addr, err)
}

// loopback reports whether addr (host:port) names the loopback interface.
func loopback(addr string) bool { return client.Loopback(addr) }

// rpcError formats an error of a call for people: the status code and the server's
// message ("NotFound: entity.name: no entity is named \"Atlantis\""), with a hint
// when the connection failed in a way that says which TLS flag is missing.
func rpcError(err error) string {
	// The client wraps errors with what was asked; the server's status is inside.
	var se interface{ GRPCStatus() *status.Status }
	if !errors.As(err, &se) || se.GRPCStatus() == nil {
		return err.Error()
	}
	st := se.GRPCStatus()
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
	{"error reading server preface: connection reset by peer", "the server may speak TLS: give --tls-ca, or --tls for a certificate of a public CA"}, // a TLS server may reset rather than close
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
