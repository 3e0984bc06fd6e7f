package privacy

import (
	"fmt"
	"testing"
	"time"

	"github.com/callveil/callveil/stages"
)

// BenchmarkPolicySkip measures the per-call cost of the policy check with
// an empty list (the common case: no hashing at all) and with 100k
// objections and tombstones (two HMACs, two map lookups). Compare the
// ratio, not the absolute figures.
func BenchmarkPolicySkip(b *testing.B) {
	secret := []byte("privacy-bench-secret-0123456789ab")
	call := stages.Call{From: "+4915123456789", To: "+4930123456", Start: time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)}
	for _, n := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			p := &Policy{secret: secret, st: newState()}
			for i := range n {
				p.st.objections[NumberHash(secret, fmt.Sprintf("+49301%07d", i))] = struct{}{}
				p.st.tombstones[NumberHash(secret, fmt.Sprintf("+44207%07d", i))] = time.Now()
			}
			b.ReportAllocs()
			for b.Loop() {
				if skip, _ := p.Skip(call); skip {
					b.Fatal("skipped")
				}
			}
		})
	}
}
