// Package server is newsgraph's gRPC service (newsgraph.v1.NewsGraphService) over a
// graph.Store and the loader pipeline.
//
// Handlers are thin: validate the request (validate.go), convert it to a domain query
// (convert.go), call the store or the pipeline, convert the answer back, and map the
// error to a gRPC status in one place (errors.go). Every size, depth and count a client
// can ask for has a maximum (Limits); a request above it fails with INVALID_ARGUMENT
// naming the field, the value and the allowed range. Internal errors never carry the
// store's text on the wire: it is logged once, with the call, and the client gets
// "internal error".
//
// Serve runs a complete server: the newsgraph service, the standard health service
// (SERVING while up, NOT_SERVING while shutting down) and server reflection, with
// recovery, call-log (calllog.go) and default-deadline interceptors. Register adds only the newsgraph
// service to a grpc.Server the caller configures; ServerOptions gives it the same
// interceptors and limits.
//
// Caveats: LoadArticles answers once, after the client closed its stream, so a client
// should send at most Limits.MaxArticlesPerLoad articles per call (newsgraph load sends
// batches); the graph.Store is not closed by the server.
package server
