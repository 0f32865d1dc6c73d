package client

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/newsgraph/newsgraph/internal/tlsfile"
	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// MaxRecvMsgBytes is the largest message a Client accepts unless WithDialOptions says
// otherwise (a LoadArticles answer lists every article of its call: about 5 MB for the
// server's maximum of 100,000).
const MaxRecvMsgBytes = 64 << 20

// MaxSendMsgBytes is the largest message a Client sends unless WithDialOptions says
// otherwise: an article of the server's default maximum text (doc.DefaultMaxBytes) and
// room for its other fields, as the server's default limit.
const MaxSendMsgBytes = doc.DefaultMaxBytes + 1<<20

// Client is a connection to a newsgraph server. Its methods are safe for concurrent
// use; Close releases it.
type Client struct {
	conn *grpc.ClientConn
	svc  pb.NewsGraphServiceClient
}

// Option configures Dial.
type Option func(*config)

type config struct {
	token       string
	tls         bool        // any TLS option
	tlsConfig   *tls.Config // WithTLS
	caFile      string
	certFile    string
	keyFile     string
	certGiven   bool
	serverName  string
	insecure    bool
	callTimeout time.Duration
	dialOpts    []grpc.DialOption
}

// WithToken sends "authorization: Bearer TOKEN" with every call, for a server started
// with --auth-tokens. An empty token sends none (so that
// WithToken(os.Getenv("NEWSGRAPH_TOKEN")) works with and without one). Without TLS the
// token goes only to a loopback address unless WithInsecure is given.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithTLS connects with TLS configured by cfg (nil: verify the server against the
// system's CAs). WithCAFile, WithClientCert and WithServerName change a copy of it; cfg
// itself is never changed.
func WithTLS(cfg *tls.Config) Option {
	return func(c *config) { c.tls, c.tlsConfig = true, cfg }
}

// WithCAFile connects with TLS, verifying the server's certificate against the CA
// certificates of the PEM file path (for a server with a certificate of a private CA).
func WithCAFile(path string) Option {
	return func(c *config) { c.tls, c.caFile = true, path }
}

// WithClientCert connects with TLS and presents the client certificate of the PEM files
// certFile and keyFile, for a server that requires client certificates (mTLS, serve
// --tls-client-ca).
func WithClientCert(certFile, keyFile string) Option {
	return func(c *config) { c.tls, c.certGiven, c.certFile, c.keyFile = true, true, certFile, keyFile }
}

// WithServerName verifies the server's certificate against name instead of the host
// of the address Dial was given. It implies TLS.
func WithServerName(name string) Option {
	return func(c *config) { c.tls, c.serverName = true, name }
}

// WithInsecure connects in plaintext and lets a token (WithToken) go over it to any
// address, for a server reached through a network or a proxy that secures the traffic
// itself. Without it, a Client dials in plaintext unless a TLS option is given, and
// refuses to send a token in plaintext beyond the loopback interface. It cannot be
// combined with TLS options.
func WithInsecure() Option {
	return func(c *config) { c.insecure = true }
}

// WithCallTimeout gives every unary call (each page of an iterator included) a
// deadline of d when its context has none. Streams (StreamPaths, Export, loads) are not
// bounded by it. The server bounds calls without a deadline itself (30 seconds by
// default).
func WithCallTimeout(d time.Duration) Option {
	return func(c *config) { c.callTimeout = d }
}

// WithDialOptions adds gRPC dial options (interceptors, keepalive, message sizes...)
// after those the Client sets, so that they override them.
func WithDialOptions(opts ...grpc.DialOption) Option {
	return func(c *config) { c.dialOpts = append(c.dialOpts, opts...) }
}

// OptionError is an option of Dial that cannot be applied: a CA or certificate file
// that does not load, a token that would go in plaintext beyond loopback, options that
// contradict each other.
type OptionError struct {
	// Option names the option: "WithCAFile", "WithClientCert", "WithToken",
	// "WithInsecure"...
	Option string
	// Err says what is wrong.
	Err error
}

func (e *OptionError) Error() string { return "client: " + e.Option + ": " + e.Err.Error() }

func (e *OptionError) Unwrap() error { return e.Err }

// ErrPlaintextToken is the error (inside an *OptionError of WithToken) of a Dial that
// would send a token in plaintext to an address beyond the loopback interface.
var ErrPlaintextToken = errors.New("refusing to send a token in plaintext beyond the loopback interface")

// Dial returns a Client of the server at addr ("host:port", or any target gRPC's
// NewClient takes). It connects in plaintext unless a TLS option (WithTLS, WithCAFile,
// WithClientCert, WithServerName) is given. The connection is made lazily, by the first
// call, so a server that cannot be reached or a TLS mismatch fails that call
// (codes.Unavailable), not Dial; Dial fails only on an option it cannot apply
// (*OptionError).
func Dial(addr string, opts ...Option) (*Client, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	dialOpts := []grpc.DialOption{grpc.WithDefaultCallOptions(
		grpc.MaxCallRecvMsgSize(MaxRecvMsgBytes),
		grpc.MaxCallSendMsgSize(MaxSendMsgBytes),
	)}
	if cfg.insecure && cfg.tls {
		return nil, &OptionError{"WithInsecure", errors.New("plaintext, but TLS options are given too")}
	}
	if cfg.tls {
		tc, err := cfg.tlsClientConfig()
		if err != nil {
			return nil, err
		}
		dialOpts = append(dialOpts, grpc.WithTransportCredentials(credentials.NewTLS(tc)))
	} else {
		dialOpts = append(dialOpts, grpc.WithTransportCredentials(insecure.NewCredentials()))
	}
	if cfg.token != "" {
		if !cfg.tls && !cfg.insecure && !Loopback(addr) {
			return nil, &OptionError{"WithToken", fmt.Errorf("%w: %s is not a loopback address (give WithCAFile or WithTLS, or WithInsecure for a network that secures the traffic)", ErrPlaintextToken, addr)}
		}
		dialOpts = append(dialOpts, grpc.WithPerRPCCredentials(bearer{token: cfg.token, secure: cfg.tls}))
	}
	if cfg.callTimeout > 0 {
		dialOpts = append(dialOpts, grpc.WithChainUnaryInterceptor(callTimeout(cfg.callTimeout)))
	}
	dialOpts = append(dialOpts, cfg.dialOpts...)
	conn, err := grpc.NewClient(addr, dialOpts...)
	if err != nil {
		return nil, fmt.Errorf("client: dial %s: %w", addr, err)
	}
	return &Client{conn: conn, svc: pb.NewNewsGraphServiceClient(conn)}, nil
}

// tlsClientConfig returns the TLS configuration of the options.
func (c *config) tlsClientConfig() (*tls.Config, error) {
	var tc *tls.Config
	if c.tlsConfig != nil {
		tc = c.tlsConfig.Clone()
	} else {
		tc = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if c.serverName != "" {
		tc.ServerName = c.serverName
	}
	if c.caFile != "" {
		pool, err := tlsfile.CertPool(c.caFile)
		if err != nil {
			return nil, &OptionError{"WithCAFile", err}
		}
		tc.RootCAs = pool
	}
	if c.certGiven {
		if c.certFile == "" || c.keyFile == "" {
			return nil, &OptionError{"WithClientCert", errors.New("give both a certificate and a key file")}
		}
		cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
		if err != nil {
			return nil, &OptionError{"WithClientCert", err}
		}
		tc.Certificates = append(tc.Certificates, cert)
	}
	return tc, nil
}

// Loopback reports whether addr (host:port, or a host) names the loopback interface:
// localhost, 127.0.0.0/8 or ::1.
func Loopback(addr string) bool {
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

// callTimeout gives unary calls without a deadline one of d.
func callTimeout(d time.Duration) grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, req, reply any, cc *grpc.ClientConn, invoker grpc.UnaryInvoker, opts ...grpc.CallOption) error {
		if _, ok := ctx.Deadline(); !ok {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, d)
			defer cancel()
		}
		return invoker(ctx, method, req, reply, cc, opts...)
	}
}

// Close closes the connection; calls in flight fail with codes.Canceled.
func (c *Client) Close() error { return c.conn.Close() }

// Service returns the generated gRPC client on the Client's connection (with its token
// and options), for what the methods do not cover: call options, metadata, the raw
// streams.
func (c *Client) Service() pb.NewsGraphServiceClient { return c.svc }
