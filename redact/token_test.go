package redact

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
)

// TestMaxTokensBoundsTokenize checks that maxTokens, which sizes the token
// slice of a long text, is never below the count tokenize makes: on the
// corpus lines, on them joined into one text, and on random bytes.
func TestMaxTokensBoundsTokenize(t *testing.T) {
	b, err := os.ReadFile("../testdata/redact/corpus.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	texts := strings.Split(string(b), "\n")
	texts = append(texts, string(b), "don’t", "müller’s 12€", "\xff\xfe a", "a\u00a0b\u2003c", "x-y.z", "ǅ ß Ⅻ ٣")
	rng := rand.New(rand.NewPCG(5, 14))
	for k := 0; k < 2000; k++ {
		r := make([]byte, rng.IntN(40))
		for i := range r {
			r[i] = byte(rng.IntN(256))
		}
		texts = append(texts, string(r))
	}
	for _, s := range texts {
		if n, m := len(tokenize(s, nil)), maxTokens(s); m < n {
			t.Fatalf("maxTokens(%q) = %d, tokenize makes %d", s, m, n)
		}
	}
}
