package privacy

import (
	"context"
	"log/slog"
	"slices"
	"strings"
)

// Dropped replaces the value of an attribute whose key is not allowed.
const Dropped = "[dropped]"

// DefaultAllowedKeys are the attribute keys callveil's own code logs
// (found with grep over slog calls, p.log., s.log., logger. and
// LogAttrs): counts, fixed names, reason and error codes, offsets. None of
// them can hold a number, a name, transcript text or a provider id, given
// the code base's rule that errors carry codes and messages are constants.
// Groups are matched by their dotted path ("hubspot.url").
var DefaultAllowedKeys = []string{
	// pipeline
	"sink", "error", "error_kind", "partitions", "target", "attempt",
	"reason", "topic", "partition", "offset",
	// cmd/callveil run
	"brokers", "group", "sinks", "metrics", "addr", "records_read", "calls_delivered", "dead_letters", "calls_dropped", "skipped",
	// sinks/hubspot
	"op", "status", "cause", "category", "rejected", "batch", "inputs",
	// privacy commands and policy
	"objections", "tombstones", "deleted", "found",
}

// AllowListHandler wraps a slog.Handler and lets through only attributes
// whose key (with its group path) is allowed. Any other attribute keeps its
// key, so an operator sees that something was logged, but its value is
// replaced by Dropped without being resolved or formatted: a LogValuer or
// Stringer under a refused key is never called. The log message passes
// unchanged, since messages are constants by convention (no value is ever
// formatted into one in this code base).
type AllowListHandler struct {
	next    slog.Handler
	allowed map[string]bool
	// groups holds every proper prefix path of an allowed key: a group
	// on such a path is descended into, its members filtered one by one.
	groups map[string]bool
	// prefix is the dotted path of the groups opened with WithGroup.
	prefix string
}

// NewAllowListHandler wraps next; allowed lists permitted keys as dotted
// paths ("hubspot.url" for key url in group hubspot). A group is descended
// into when its path is allowed or leads to an allowed key; its members are
// then filtered one by one. Empty allowed means DefaultAllowedKeys.
func NewAllowListHandler(next slog.Handler, allowed ...string) *AllowListHandler {
	if len(allowed) == 0 {
		allowed = DefaultAllowedKeys
	}
	m := make(map[string]bool, len(allowed))
	groups := map[string]bool{}
	for _, k := range allowed {
		m[k] = true
		for i := strings.IndexByte(k, '.'); i >= 0; i = nextDot(k, i) {
			groups[k[:i]] = true
		}
	}
	return &AllowListHandler{next: next, allowed: m, groups: groups}
}

// Enabled implements slog.Handler.
func (h *AllowListHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

// Handle implements slog.Handler.
func (h *AllowListHandler) Handle(ctx context.Context, r slog.Record) error {
	out := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
	attrs := make([]slog.Attr, 0, r.NumAttrs())
	r.Attrs(func(a slog.Attr) bool {
		attrs = append(attrs, h.filter(h.prefix, a)...)
		return true
	})
	out.AddAttrs(attrs...)
	return h.next.Handle(ctx, out)
}

// WithAttrs implements slog.Handler.
func (h *AllowListHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	kept := make([]slog.Attr, 0, len(attrs))
	for _, a := range attrs {
		kept = append(kept, h.filter(h.prefix, a)...)
	}
	return &AllowListHandler{next: h.next.WithAttrs(kept), allowed: h.allowed, groups: h.groups, prefix: h.prefix}
}

// WithGroup implements slog.Handler.
func (h *AllowListHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return &AllowListHandler{next: h.next.WithGroup(name), allowed: h.allowed, groups: h.groups, prefix: join(h.prefix, name)}
}

func nextDot(s string, i int) int {
	j := strings.IndexByte(s[i+1:], '.')
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

func join(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// filter returns a as it may be logged under prefix: unchanged, with its
// value dropped, or (a group) with its members filtered. An attribute with
// an empty key and a group value is inlined, as slog does.
func (h *AllowListHandler) filter(prefix string, a slog.Attr) []slog.Attr {
	if a.Key == "" && a.Value.Kind() != slog.KindGroup {
		// slog ignores empty attributes; a non-empty value under an empty
		// key is refused like any unknown key.
		if a.Equal(slog.Attr{}) {
			return nil
		}
		return []slog.Attr{slog.String("", Dropped)}
	}
	path := join(prefix, a.Key)
	if a.Key != "" && !h.allowed[path] && !h.groups[path] {
		// Never resolved: a LogValuer under a refused key is not called.
		return []slog.Attr{slog.String(a.Key, Dropped)}
	}
	v := a.Value.Resolve()
	if v.Kind() != slog.KindGroup {
		if a.Key != "" && !h.allowed[path] {
			// On a group path only: a group's members may pass, a plain
			// value under the group's own name may not.
			return []slog.Attr{slog.String(a.Key, Dropped)}
		}
		return []slog.Attr{{Key: a.Key, Value: v}}
	}
	members := v.Group()
	inner := prefix
	if a.Key != "" {
		inner = path
	}
	kept := make([]slog.Attr, 0, len(members))
	for _, m := range members {
		kept = append(kept, h.filter(inner, m)...)
	}
	if a.Key == "" {
		return kept
	}
	return []slog.Attr{{Key: a.Key, Value: slog.GroupValue(kept...)}}
}

// AllowedKeys returns the handler's allow-list, sorted (documentation,
// tests).
func (h *AllowListHandler) AllowedKeys() []string {
	out := make([]string, 0, len(h.allowed))
	for k := range h.allowed {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
