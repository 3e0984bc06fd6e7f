package pipeline

import "testing"

func TestCommitMetadataRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		c    Commit
		want commitMetadata
	}{
		{Commit{Offset: 3, Settled: 7}, commitMetadata{settled: 7}},
		{Commit{Offset: 3, Settled: 7, UnsettledSince: 1795456610021}, commitMetadata{settled: 7, unsettledSince: 1795456610021}},
	} {
		if got := parseCommitMetadata(tc.c.metadata()); got != tc.want {
			t.Errorf("%q parsed as %+v, want %+v", tc.c.metadata(), got, tc.want)
		}
	}
	for _, foreign := range []string{"", "some other client", "callveil/settled=x", "callveil/settled="} {
		if got := parseCommitMetadata(foreign); got != (commitMetadata{settled: -1}) {
			t.Errorf("%q parsed as %+v, want nothing", foreign, got)
		}
	}
}

func TestSourcePositionReadsBackWhatALetterSays(t *testing.T) {
	dl := DeadLetter{Topic: "calls.events", Partition: 2, Offset: 417, Reason: "malformed_json"}
	tp, off, ok := sourcePosition(dl.message())
	if !ok || tp != (TopicPartition{"calls.events", 2}) || off != 417 {
		t.Fatalf("read back %v/%d (ok %v), want calls.events/2/417", tp, off, ok)
	}
	m := dl.message()
	m.Headers = m.Headers[:2] // no partition or offset
	if _, _, ok := sourcePosition(m); ok {
		t.Fatal("a letter without its position read back as one")
	}
}
