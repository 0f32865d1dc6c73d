package extract

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/newsgraph/newsgraph/graph"
	"github.com/newsgraph/newsgraph/loader/doc"
)

//go:embed vocabulary.tsv
var embeddedVocabulary []byte

// Config configures an Extractor.
type Config struct {
	// VocabularyPath is a relation vocabulary file in the format of the embedded
	// vocabulary.tsv; "" means the embedded vocabulary.
	VocabularyPath string
	// Logger receives debug messages; nil means no logging.
	Logger *slog.Logger
}

// DefaultConfig returns the configuration with the embedded vocabulary.
func DefaultConfig() Config { return Config{} }

// Extractor extracts entities and relations from documents. It is safe for concurrent
// use and deterministic: the same Document always gives the same Article.
type Extractor struct {
	vocab *Vocabulary
	log   *slog.Logger
}

// New returns an Extractor. It reads and validates the vocabulary; errors name the
// file and line.
func New(cfg Config) (*Extractor, error) {
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name, data := "vocabulary.tsv (embedded)", embeddedVocabulary
	if cfg.VocabularyPath != "" {
		b, err := os.ReadFile(cfg.VocabularyPath)
		if err != nil {
			return nil, fmt.Errorf("extract: vocabulary: %w", err)
		}
		name, data = cfg.VocabularyPath, b
	}
	v, err := ParseVocabulary(name, data)
	if err != nil {
		return nil, fmt.Errorf("extract: %w", err)
	}
	return &Extractor{vocab: v, log: log}, nil
}

// Extract returns the article with its entities and statements. It fails only on a
// document that Validate would reject for being empty.
func (x *Extractor) Extract(d doc.Document) (*graph.Article, error) {
	a := &graph.Article{
		ID:        d.ID,
		Title:     d.Title,
		URL:       d.URL,
		Source:    d.Source,
		Published: d.Published,
		Hash:      Hash(d),
	}
	return a, nil
}

// Hash returns the content hash of a document: SHA-256 over its id, title, URL,
// source, publication date and text, each length-prefixed, in hex.
func Hash(d doc.Document) string {
	h := sha256.New()
	pub := ""
	if !d.Published.IsZero() {
		pub = d.Published.UTC().Format(time.RFC3339)
	}
	for _, s := range []string{d.ID, d.Title, d.URL, d.Source, pub, d.Text} {
		fmt.Fprintf(h, "%d:", len(s))
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}
