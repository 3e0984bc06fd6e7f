package pipeline_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/pipeline"
)

// metadataPartitions lists n partitions of each topic in the order a
// broker may list them: kfake rotates each topic's list by an arbitrary
// offset; shuffle mixes them fully.
func metadataPartitions(topics []string, n int, order func(i int, ids []int)) []kafka.Partition {
	var out []kafka.Partition
	for i, t := range topics {
		ids := make([]int, n)
		for j := range ids {
			ids[j] = j
		}
		order(i, ids)
		for _, id := range ids {
			out = append(out, kafka.Partition{Topic: t, ID: id})
		}
	}
	return out
}

func members(ids ...string) []kafka.GroupMember {
	var ms []kafka.GroupMember
	for _, id := range ids {
		ms = append(ms, kafka.GroupMember{ID: id, Topics: []string{"calls.events", "calls.transcripts"}})
	}
	return ms
}

// coPartitioned reports whether every member owns the same partition
// numbers of both topics, and whether every partition is owned exactly once.
func coPartitioned(a kafka.GroupMemberAssignments, n int) (same, complete bool) {
	same, complete = true, true
	owned := map[string]int{}
	for _, byTopic := range a {
		ev, tr := slices.Sorted(slices.Values(byTopic["calls.events"])), slices.Sorted(slices.Values(byTopic["calls.transcripts"]))
		if !slices.Equal(ev, tr) {
			same = false
		}
		for t, ps := range byTopic {
			for _, p := range ps {
				owned[fmt.Sprint(t, p)]++
			}
		}
	}
	if len(owned) != 2*n {
		complete = false
	}
	for _, c := range owned {
		if c != 1 {
			complete = false
		}
	}
	return same, complete
}

// The design assumption, checked: kafka-go's range balancer co-partitions
// only when the broker lists partitions in the same order for both topics.
// kfake does not (it rotates each list), and then the range balancer
// crosses partitions between members. This is why the pipeline uses
// CoPartitionBalancer.
func TestRangeBalancerCrossesPartitionsOnUnsortedMetadata(t *testing.T) {
	topics := []string{"calls.events", "calls.transcripts"}
	sorted := metadataPartitions(topics, 6, func(int, []int) {})
	rotated := metadataPartitions(topics, 6, func(i int, ids []int) {
		k := 3 * i // the events topic as is, the transcripts topic rotated by 3
		copy(ids, append(slices.Clone(ids[k:]), ids[:k]...))
	})
	ms := members("callveil-b7", "callveil-a3", "callveil-c1")
	if same, _ := coPartitioned(kafka.RangeGroupBalancer{}.AssignGroups(ms, sorted), 6); !same {
		t.Error("range balancer: not co-partitioned even on sorted metadata")
	}
	if same, _ := coPartitioned(kafka.RangeGroupBalancer{}.AssignGroups(ms, rotated), 6); same {
		t.Error("range balancer co-partitioned rotated metadata: the reason for CoPartitionBalancer is gone, revisit")
	}
}

// CoPartitionBalancer gives every member the same partition numbers of both
// topics, whatever the metadata order and member ids, and assigns every
// partition exactly once.
func TestCoPartitionBalancerKeepsTopicsAligned(t *testing.T) {
	topics := []string{"calls.events", "calls.transcripts"}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 3, 6, 7, 12} {
		for _, memberCount := range []int{1, 2, 3, 5, 8} {
			for trial := 0; trial < 5; trial++ {
				var ids []string
				for i := 0; i < memberCount; i++ {
					ids = append(ids, fmt.Sprintf("callveil-%08x", rng.Uint32()))
				}
				parts := metadataPartitions(topics, n, func(_ int, ids []int) {
					rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
				})
				rng.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
				a := pipeline.CoPartitionBalancer{}.AssignGroups(members(ids...), parts)
				same, complete := coPartitioned(a, n)
				if !same || !complete {
					t.Fatalf("n=%d members=%d: co-partitioned=%v complete=%v: %v", n, memberCount, same, complete, a)
				}
				// Balanced like the range assignor: sizes differ by at most one.
				lo, hi := n, 0
				for _, id := range ids {
					k := len(a[id]["calls.events"])
					lo, hi = min(lo, k), max(hi, k)
				}
				if hi-lo > 1 {
					t.Fatalf("n=%d members=%d: unbalanced %d..%d", n, memberCount, lo, hi)
				}
			}
		}
	}
}
