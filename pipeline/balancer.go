package pipeline

import (
	"slices"

	"github.com/segmentio/kafka-go"
)

// CoPartitionBalancer assigns partitions so that one member owns the same
// partition numbers of every topic it subscribes to. A call's event and its
// transcript are keyed by the call id and produced with the same
// partitioner, so they land on the same partition number of their two
// topics; with this balancer both reach the same instance and the join,
// which is per process, sees both halves.
//
// kafka-go's RangeGroupBalancer was meant to give this, but it assigns
// ranges over the partitions in the order the broker's metadata lists them,
// and nothing in the protocol says that order is sorted or the same for two
// topics: franz-go's kfake, for one, rotates it, and the range balancer
// then hands P0 of the events topic and P3 of the transcripts topic to the
// same member (TestRangeBalancerCrossesPartitionsOnUnsortedMetadata). This
// balancer sorts partition numbers and members itself.
//
// Members are sorted by member id; the partition numbers of the union of
// all topics are split into contiguous ranges, one per member, as the range
// assignor does; each member then gets, of every topic it subscribes to,
// the partitions whose numbers fall in its range. Topics should have the
// same partition count (docker-compose.yml creates them so); with unequal
// counts the numbers still line up, the larger topic's extra partitions
// going to the last members.
type CoPartitionBalancer struct{}

var _ kafka.GroupBalancer = CoPartitionBalancer{}

// ProtocolName implements kafka.GroupBalancer. It differs from "range" so
// that a group only uses it once every member supports it; members list
// the range balancer second, so a group mixing versions still forms.
func (CoPartitionBalancer) ProtocolName() string { return "callveil-copartition" }

// UserData implements kafka.GroupBalancer.
func (CoPartitionBalancer) UserData() ([]byte, error) { return nil, nil }

// AssignGroups implements kafka.GroupBalancer.
func (CoPartitionBalancer) AssignGroups(members []kafka.GroupMember, partitions []kafka.Partition) kafka.GroupMemberAssignments {
	out := kafka.GroupMemberAssignments{}
	if len(members) == 0 {
		return out
	}
	ms := slices.Clone(members)
	slices.SortFunc(ms, func(a, b kafka.GroupMember) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	subscribed := make([]map[string]bool, len(ms))
	for i, m := range ms {
		subscribed[i] = map[string]bool{}
		for _, t := range m.Topics {
			subscribed[i][t] = true
		}
		out[m.ID] = map[string][]int{}
	}
	// The partition numbers, sorted, of every topic together.
	var numbers []int
	seen := map[int]bool{}
	for _, p := range partitions {
		if !seen[p.ID] {
			seen[p.ID] = true
			numbers = append(numbers, p.ID)
		}
	}
	slices.Sort(numbers)
	// owner[number] is the index of the member whose range holds it.
	owner := make(map[int]int, len(numbers))
	for i := range ms {
		lo, hi := i*len(numbers)/len(ms), (i+1)*len(numbers)/len(ms)
		for _, n := range numbers[lo:hi] {
			owner[n] = i
		}
	}
	sorted := slices.Clone(partitions)
	slices.SortFunc(sorted, func(a, b kafka.Partition) int {
		if a.Topic != b.Topic {
			if a.Topic < b.Topic {
				return -1
			}
			return 1
		}
		return a.ID - b.ID
	})
	for _, p := range sorted {
		i := owner[p.ID]
		if subscribed[i][p.Topic] {
			out[ms[i].ID][p.Topic] = append(out[ms[i].ID][p.Topic], p.ID)
			continue
		}
		// The owner of this number does not read this topic (members with
		// different subscriptions): give it to the first member that does,
		// so no partition is left unread.
		for j := range ms {
			if subscribed[j][p.Topic] {
				out[ms[j].ID][p.Topic] = append(out[ms[j].ID][p.Topic], p.ID)
				break
			}
		}
	}
	return out
}
