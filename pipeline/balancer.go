package pipeline

import (
	"cmp"
	"slices"
	"strings"

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
	ms := sortedMembers(members)
	subscribed := make([]map[string]bool, len(ms))
	for i, m := range ms {
		subscribed[i] = map[string]bool{}
		for _, t := range m.Topics {
			subscribed[i][t] = true
		}
		out[m.ID] = map[string][]int{}
	}
	owner := rangeOwners(len(ms), partitions)
	for _, p := range sortedPartitions(partitions) {
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

// sortedMembers is a copy of members sorted by member id, so that every
// member computing the assignment agrees on the ranges.
func sortedMembers(members []kafka.GroupMember) []kafka.GroupMember {
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
	return ms
}

// rangeOwners splits the partition numbers, sorted, of every topic
// together into contiguous ranges, one per member (of n, sorted); owner[number]
// is the index of the member whose range holds it.
func rangeOwners(n int, partitions []kafka.Partition) map[int]int {
	var numbers []int
	seen := map[int]bool{}
	for _, p := range partitions {
		if !seen[p.ID] {
			seen[p.ID] = true
			numbers = append(numbers, p.ID)
		}
	}
	slices.Sort(numbers)
	owner := make(map[int]int, len(numbers))
	for i := range n {
		lo, hi := i*len(numbers)/n, (i+1)*len(numbers)/n
		for _, num := range numbers[lo:hi] {
			owner[num] = i
		}
	}
	return owner
}

// sortedPartitions is a copy of partitions sorted by topic, then number,
// so that each member's partition lists come out sorted.
func sortedPartitions(partitions []kafka.Partition) []kafka.Partition {
	sorted := slices.Clone(partitions)
	slices.SortFunc(sorted, func(a, b kafka.Partition) int {
		return cmp.Or(strings.Compare(a.Topic, b.Topic), cmp.Compare(a.ID, b.ID))
	})
	return sorted
}
