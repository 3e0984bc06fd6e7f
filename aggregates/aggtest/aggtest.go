// Package aggtest makes synthetic redacted calls for the tests and
// benchmarks of the aggregates and the object-store sink. The numbers are
// written for these tests (fictional ranges where a country has them:
// UK Ofcom drama numbers, NANP 555-01xx); shapes follow
// /work/shared/formats.md (E.164 numbers, durations in seconds).
package aggtest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/callveil/callveil/stages"
)

// Secret returns a hash secret for tests (32 bytes).
func Secret() []byte { return []byte("aggtest-secret-0123456789abcdef!") }

// Fixture vocabularies; read-only (kept as constants in spirit, arrays so
// that nobody can append to them).
var externalNumbers = [...]string{
	"+493012345601", "+493012345602", "+493012345603", "+4915112345604", "+4915112345605",
	"+4989123456706", "+4940123456707", "+493012345608", "+493012345609", "+493012345610",
	"+33123456711", "+33123456712", "+33612345613", "+33123456714",
	"+442079460115", "+442079460116", "+442079460117",
	"+12125550118", "+12125550119", "+14165550120",
	"+31201234521", "+31201234522", "+43720880023", "+34912345624",
}

// companyLines are the company's own numbers.
var companyLines = [...]string{"+493022233300", "+493022233301", "+33198765400"}

var statuses = [...]stages.Status{stages.StatusCompleted, stages.StatusCompleted, stages.StatusCompleted, stages.StatusNoAnswer, stages.StatusBusy, stages.StatusFailed}
var languages = [...]string{"de", "de", "en", "fr", "", "es"}

// Key is the call key of call i of a generator seeded with seed: hex of a
// hash, like the keyed HMAC the stages produce.
func Key(seed uint64, i int) string {
	s := sha256.Sum256([]byte(fmt.Sprintf("aggtest-call-%d-%d", seed, i)))
	return hex.EncodeToString(s[:])
}

// Calls returns n calls with starts spread in order over [from, from+span)
// (each start a little later than the previous, with jitter backwards of
// up to jitter so some arrive out of order). The same seed gives the same
// calls.
func Calls(seed uint64, n int, from time.Time, span, jitter time.Duration) []stages.RedactedCall {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]stages.RedactedCall, n)
	for i := range out {
		start := from.Add(time.Duration(float64(span) * float64(i) / float64(n)))
		if jitter > 0 {
			start = start.Add(-time.Duration(r.Int64N(int64(jitter))))
		}
		if start.Before(from) {
			start = from
		}
		ext := externalNumbers[r.IntN(len(externalNumbers))]
		line := companyLines[r.IntN(len(companyLines))]
		c := stages.RedactedCall{Call: stages.Call{
			Key:             Key(seed, i),
			Start:           start.Truncate(time.Second),
			DurationSeconds: int64(math.Exp(r.NormFloat64()*1.0 + 4.5)), // median ~90 s
			Status:          statuses[r.IntN(len(statuses))],
		}}
		switch r.IntN(10) {
		case 0:
			c.From, c.To = "", line // anonymous caller, direction unknown
		case 1, 2, 3, 4, 5, 6:
			c.Direction, c.From, c.To = stages.DirectionInbound, ext, line
		default:
			c.Direction, c.From, c.To = stages.DirectionOutbound, line, ext
		}
		if c.Status != stages.StatusCompleted {
			c.DurationSeconds = 0
		}
		c.Language = languages[r.IntN(len(languages))]
		if c.Language != "" {
			c.Transcript = []stages.Segment{
				{Speaker: "spk_0", Start: 0, End: 3.2, Text: "Guten Tag, Sie sprechen mit [PERSON]."},
				{Speaker: "spk_1", Start: 3.4, End: 7.9, Text: "Meine Nummer ist [PHONE_NUMBER], bitte rufen Sie zurück."},
			}
			c.Redactions = map[string]int{"PERSON": 1 + r.IntN(2), "PHONE_NUMBER": r.IntN(2)}
		}
		out[i] = c
	}
	return out
}
