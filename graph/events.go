package graph

import (
	"net/url"
	"strings"
	"time"
)

// EventSummary is one event of a relation: the statements, from any number of
// articles, that report the same subject, predicate and object on the same event day.
type EventSummary struct {
	Date       time.Time // the event day (UTC midnight); zero when undated
	Articles   int       // distinct articles behind the event's matching statements
	Sources    int       // distinct sources (see SourceKey) behind them
	Statements int       // matching statements
}

// SourceKey is the key under which an article counts as a source of an event: its
// Source with case, diacritics and punctuation folded ("Reuters" and "REUTERS" are
// one source); without a Source, the host of its URL without "www." ("bbc.co.uk");
// without either, "" — every such article counts towards one unknown source, not one
// source per article, so that re-posts of unattributed text do not pass MinSources.
func SourceKey(source, rawURL string) string {
	if k := fold(source); k != "" {
		return "s:" + k
	}
	if u, err := url.Parse(strings.TrimSpace(rawURL)); err == nil && u.Hostname() != "" {
		return "h:" + strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return ""
}

// tally counts the statements of one relation event by event, keeping the events
// that have at least minSources distinct sources.
type tally struct {
	minSources int
	arts, srcs map[string]bool
	kept       int
	events     []EventSummary // kept events, in the order added (the caller may cap it)
}

func newTally(minSources int) *tally {
	return &tally{minSources: minSources, arts: map[string]bool{}, srcs: map[string]bool{}}
}

// addEvent counts the matching statements of one event and reports whether the event
// is kept: it has statements and at least minSources distinct sources.
func (t *tally) addEvent(date time.Time, items []Evidence) bool {
	if len(items) == 0 {
		return false
	}
	arts := map[string]bool{}
	srcs := map[string]bool{}
	for i := range items {
		arts[items[i].ArticleID] = true
		srcs[SourceKey(items[i].Source, items[i].URL)] = true
	}
	if len(srcs) < t.minSources {
		return false
	}
	for a := range arts {
		t.arts[a] = true
	}
	for s := range srcs {
		t.srcs[s] = true
	}
	t.kept++
	t.events = append(t.events, EventSummary{Date: date, Articles: len(arts), Sources: len(srcs), Statements: len(items)})
	return true
}

// counts returns the distinct articles, sources and events of the kept events.
func (t *tally) counts() (articles, sources, events int) {
	return len(t.arts), len(t.srcs), t.kept
}
