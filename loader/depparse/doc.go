// Package depparse is a part-of-speech tagger and a labeled dependency
// parser for English, trained on Universal Dependencies (EWT train and the
// CC BY news part of GUM) and embedded in the package.
//
// Call Load once and keep the Parser; Parser.Parse is safe for concurrent
// use:
//
//	p, err := depparse.Load()
//	...
//	toks := p.Parse([]string{"Russian", "warplanes", "bombed", "the", "town", "."})
//
// The tagger is a greedy averaged perceptron over word, affix, shape and
// context features (UPOS). The parser is a greedy arc-hybrid transition
// parser (root at the end of the buffer) trained as an averaged perceptron
// with a dynamic oracle and exploration (Goldberg & Nivre 2013), with Zhang &
// Nivre (2011)-style features; each arc is labeled when it is made by a
// second perceptron. Weights are quantized to int16 and rare features
// pruned. The training tool is cmd/train; TRAINING.md has its log.
//
// # Tokenization
//
// Words must follow UD English (EWT/GUM) tokenization, which is PTB-like:
//   - punctuation is split off: "Monday ." , "( AFP )", quotes as their own words;
//   - clitics are split: "Russia 's", "do n't", "ca n't", "I 'm", "they 're", "we 've";
//   - hyphenated compounds are mostly split in EWT ("well - known",
//     "pro - Russian"), GUM keeps some prefixed words whole ("co-founded");
//     both are seen in training;
//   - abbreviations keep their period: "U.S.", "Mr.", "Dec." ;
//   - numbers stay whole: "1,500", "3.5", "2026".
package depparse
