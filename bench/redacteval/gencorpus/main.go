// Command gencorpus writes the labelled evaluation corpus for the redactor,
// testdata/redact/corpus.jsonl. It is deterministic: the same seed writes
// the same bytes, and a test checks that the committed corpus is exactly
// what this generator produces.
//
// Names, streets and templates are written by hand per language; card
// numbers, IBANs and national identifiers are generated with the real
// check-digit algorithms (checksum.go). The generator does not import the
// redactor, so the corpus cannot drift towards what the redactor finds.
//
//	go run ./bench/redacteval/gencorpus            # rewrite the corpus
//	go run ./bench/redacteval/gencorpus -out -     # print it
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"os"
)

type span struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Type  string `json:"type"`
}

type utterance struct {
	ID       string `json:"id"`
	Language string `json:"language"`
	Text     string `json:"text"`
	Spans    []span `json:"spans"`
	Negative bool   `json:"negative"`
}

// config is what one run generates.
type config struct {
	Seed        uint64
	PerLanguage int
	// NegativeShare is the share of each language's lines that hold no
	// personal data at all.
	NegativeShare float64
	// EditedShare is the share written in edited style (case and
	// punctuation); the rest is transcript style.
	EditedShare float64
}

func (c config) validate() error {
	switch {
	case c.PerLanguage < 10:
		return fmt.Errorf("per-language must be at least 10, got %d", c.PerLanguage)
	case c.NegativeShare <= 0 || c.NegativeShare >= 1:
		return fmt.Errorf("negative share must be in (0,1), got %v", c.NegativeShare)
	case c.EditedShare < 0 || c.EditedShare > 1:
		return fmt.Errorf("edited share must be in [0,1], got %v", c.EditedShare)
	}
	return nil
}

func defaultConfig() config {
	return config{Seed: 20260611, PerLanguage: 130, NegativeShare: 0.31, EditedShare: 1.0 / 3}
}

// generate builds the corpus. Each language has its own random stream, so
// editing one language's templates leaves the others' lines unchanged.
func generate(cfg config) ([]utterance, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var out []utterance
	for _, l := range languages() {
		h := fnv.New64a()
		h.Write([]byte(l.code))
		r := rand.New(rand.NewPCG(cfg.Seed, h.Sum64()))
		nNeg := int(float64(cfg.PerLanguage)*cfg.NegativeShare + 0.5)
		var plan []string // template per line, every template used at least once
		plan = append(plan, cycle(r, l.positives, cfg.PerLanguage-nNeg)...)
		negStart := len(plan)
		plan = append(plan, cycle(r, l.negatives, nNeg)...)
		order := r.Perm(len(plan))
		for i, k := range order {
			g := &gen{r: r, l: l, asr: r.Float64() >= cfg.EditedShare}
			g.p = randomPerson(r, l)
			g.agent = randomPerson(r, l).first
			for g.agent == g.p.first {
				g.agent = randomPerson(r, l).first
			}
			parts, err := g.render(plan[k])
			if err != nil {
				return nil, fmt.Errorf("%s template %q: %w", l.code, plan[k], err)
			}
			text, spans := assemble(parts, g.asr)
			neg := k >= negStart
			if neg != (len(spans) == 0) {
				return nil, fmt.Errorf("%s template %q: negative=%v but %d spans", l.code, plan[k], neg, len(spans))
			}
			if spans == nil {
				spans = []span{}
			}
			out = append(out, utterance{
				ID: fmt.Sprintf("%s-%04d", l.code, i+1), Language: l.code,
				Text: text, Spans: spans, Negative: neg,
			})
		}
	}
	return out, nil
}

// cycle returns n templates: the whole list in random order, repeated.
func cycle(r *rand.Rand, tpls []string, n int) []string {
	var out []string
	for len(out) < n {
		for _, i := range r.Perm(len(tpls)) {
			if len(out) == n {
				break
			}
			out = append(out, tpls[i])
		}
	}
	return out
}

func randomPerson(r *rand.Rand, l *language) person {
	p := person{female: r.IntN(2) == 0, year: 1945 + r.IntN(60), month: 1 + r.IntN(12), day: 1 + r.IntN(28)}
	if p.female {
		p.first = l.firstF[r.IntN(len(l.firstF))]
	} else {
		p.first = l.firstM[r.IntN(len(l.firstM))]
	}
	p.last = l.last[r.IntN(len(l.last))]
	p.day = plainDay(l.code, p.day)
	return p
}

// encode writes one JSON object per line, without HTML escaping so that
// the file stays readable.
func encode(us []utterance) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	for _, u := range us {
		if err := enc.Encode(u); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

func main() {
	cfg := defaultConfig()
	out := flag.String("out", "testdata/redact/corpus.jsonl", "output file, - for stdout")
	flag.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "random seed")
	flag.IntVar(&cfg.PerLanguage, "per-language", cfg.PerLanguage, "utterances per language")
	flag.Parse()
	us, err := generate(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	b, err := encode(us)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	if *out == "-" {
		os.Stdout.Write(b)
		return
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "gencorpus: wrote %d utterances to %s\n", len(us), *out)
}

// plainDay avoids the two days that Italian elides ("l'8", "l'11"), which
// would not read well after the templates' "il".
func plainDay(lang string, d int) int {
	if lang == "it" && (d == 8 || d == 11) {
		return d + 1
	}
	return d
}
