package stages

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// providerSample is one payload whose provider is known from where it
// comes from, not from the detector under test.
type providerSample struct {
	name     string
	provider Provider
	body     []byte
}

// providerSamples returns every sample in testdata/providers (the folder
// names the provider; in published/ the file name's prefix does) and every
// non-poison record of the callgen fixtures in testdata/calls (the shape's
// prefix names it).
func providerSamples(t *testing.T) []providerSample {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "testdata", "providers", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []providerSample
	for _, f := range files {
		ext := filepath.Ext(f)
		if ext != ".json" && ext != ".form" {
			continue
		}
		dir, base := filepath.Base(filepath.Dir(f)), filepath.Base(f)
		prov := dir
		if dir == "published" {
			prov, _, _ = strings.Cut(base, "_")
		}
		out = append(out, providerSample{dir + "/" + base, Provider(prov), readFile(t, f)})
	}
	return append(out, callgenSamples(t)...)
}

func callgenSamples(t *testing.T) []providerSample {
	t.Helper()
	path := filepath.Join("..", "testdata", "calls", "demo.jsonl")
	sc := bufio.NewScanner(bytes.NewReader(readFile(t, path)))
	sc.Buffer(nil, 16<<20)
	var out []providerSample
	for n := 1; sc.Scan(); n++ {
		var line struct {
			Shape   string  `json:"shape"`
			Payload *string `json:"payload"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		prov, _, _ := strings.Cut(line.Shape, "/")
		if prov == "poison" || line.Payload == nil {
			continue
		}
		out = append(out, providerSample{"calls/" + line.Shape, Provider(prov), []byte(*line.Payload)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("%s has no provider records", path)
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// detectedOn returns the entries the table's matchers pick for body on
// each path: the fast JSON shape, the encoding/json shape, or the form.
func detectedOn(t *testing.T, p *Parser, body []byte) map[string]*providerEntry {
	t.Helper()
	body = bytes.TrimSpace(body)
	if body[0] != '{' {
		vals, err := decodeForm("", body)
		if err != nil {
			t.Fatalf("form: %v", err)
		}
		return map[string]*providerEntry{"form": detectForm(vals)}
	}
	var probe jsonShapeProbe
	if err := json.Unmarshal(body, &probe); err != nil {
		t.Fatalf("probe: %v", err)
	}
	obj, release, ok := p.fastJSONDoc(body)
	if !ok {
		t.Fatal("fast path refuses a provider sample")
	}
	defer release()
	fast, ok := probeJSONShape(obj)
	if !ok {
		t.Fatal("fast shape probe refuses a provider sample")
	}
	return map[string]*providerEntry{"fast JSON": detectJSON(fast), "encoding/json": detectJSON(probe.shape())}
}

// accepts reports whether the parser of provider prov takes body: a
// result, or a refusal as an event it knows but does not carry.
func accepts(p *Parser, prov Provider, body []byte) bool {
	_, err := p.Parse(Record{Provider: prov, Key: []byte("CA1"), Value: body, Time: testRecordTime})
	var pe *Error
	return err == nil || errors.As(err, &pe) && pe.Reason == ReasonUnsupportedEvent
}

// TestProviderTableMatchesParsers holds each table entry to its parser:
// every sample is detected, on every path, as the provider it comes from;
// that provider's parser accepts it; and parsing it without a header gives
// what parsing it with one gives. (Other providers' parsers are lenient
// enough to take some foreign payloads, so only detection decides.)
func TestProviderTableMatchesParsers(t *testing.T) {
	p := newTestParser(t)
	seen := map[Provider]bool{}
	for _, s := range providerSamples(t) {
		t.Run(s.name, func(t *testing.T) {
			for path, e := range detectedOn(t, p, s.body) {
				if e == nil || e.name != s.provider {
					t.Errorf("%s detection: got %v, want %s", path, e, s.provider)
				}
			}
			if !accepts(p, s.provider, s.body) {
				t.Errorf("the %s parser refuses it", s.provider)
			}
			requireSameWithoutHeader(t, p, s)
			seen[s.provider] = true
		})
	}
	for _, e := range providerTable {
		if !seen[e.name] {
			t.Errorf("no sample of %s", e.name)
		}
	}
}

func requireSameWithoutHeader(t *testing.T, p *Parser, s providerSample) {
	t.Helper()
	rec := Record{Key: []byte("CA1"), Value: s.body, Time: testRecordTime}
	bare, bareErr := p.Parse(rec)
	rec.Provider = s.provider
	named, namedErr := p.Parse(rec)
	if (bareErr == nil) != (namedErr == nil) || bareErr != nil && bareErr.Error() != namedErr.Error() {
		t.Fatalf("without header: %v; with header: %v", bareErr, namedErr)
	}
	if got, want := parsedProvider(bare), parsedProvider(named); got != want {
		t.Fatalf("without header parsed as %q, with header as %q", got, want)
	}
}

func parsedProvider(p Parsed) Provider {
	switch {
	case p.Event != nil:
		return p.Event.Provider
	case p.Transcript != nil:
		return p.Transcript.Provider
	}
	return ""
}

// TestProviderTableNames: each provider appears once, and a header names
// exactly the table's providers.
func TestProviderTableNames(t *testing.T) {
	names := map[Provider]bool{}
	for _, e := range providerTable {
		if names[e.name] {
			t.Errorf("%s appears twice", e.name)
		}
		names[e.name] = true
		if (e.matchForm == nil) != (e.parseForm == nil) {
			t.Errorf("%s: a form matcher without a form parser, or the reverse", e.name)
		}
		if got := providerNamed(e.name); got == nil || got.name != e.name {
			t.Errorf("providerNamed(%s) = %v", e.name, got)
		}
	}
	for _, name := range []Provider{"", "vonage", "Twilio"} {
		if providerNamed(name) != nil {
			t.Errorf("providerNamed(%q) names an entry", name)
		}
	}
}

// TestShapePathsAgree: the shapes the two JSON paths probe lead the one
// detector to the same answer. "results": null once detected as AWS on the
// encoding/json path and as nothing on the fast path.
func TestShapePathsAgree(t *testing.T) {
	p := newTestParser(t)
	for _, body := range []string{
		`{"jobName":"j","results":null}`,
		`{"jobName":"j","results":7}`,
		`{"jobName":"j","Results":{"ITEMS":[]}}`,
		`{"results":{"Channels":[]},"resource":"call"}`,
		`{"event":"newCall","callId":"1","results":{}}`,
	} {
		t.Run(body, func(t *testing.T) {
			requireSameParse(t, p, Record{Value: []byte(body), Key: []byte("CA1"), Time: testRecordTime})
		})
	}
}
