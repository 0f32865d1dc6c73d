package main

import (
	"fmt"
	"io"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	"github.com/newsgraph/newsgraph/loader/doc"
	pb "github.com/newsgraph/newsgraph/proto/newsgraph/v1"
)

// maxRecvMsgBytes is the largest answer the client accepts (a LoadArticles response
// lists every article of the call).
const maxRecvMsgBytes = 64 << 20

// dial returns a client of the server at addr (plaintext: newsgraph serves on loopback).
// The connection is made lazily, by the first call.
func dial(addr string) (pb.NewsGraphServiceClient, io.Closer, error) {
	conn, err := grpc.NewClient(addr,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(
			grpc.MaxCallRecvMsgSize(maxRecvMsgBytes),
			grpc.MaxCallSendMsgSize(doc.DefaultMaxBytes+1<<20),
		))
	if err != nil {
		return nil, nil, fmt.Errorf("--addr %s: %w", addr, err)
	}
	return pb.NewNewsGraphServiceClient(conn), conn, nil
}

// rpcError formats an error of a call for people: the status code and the server's
// message ("NotFound: entity.name: no entity is named \"Atlantis\"").
func rpcError(err error) string {
	st, ok := status.FromError(err)
	if !ok {
		return err.Error()
	}
	return fmt.Sprintf("%s: %s", st.Code(), st.Message())
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
