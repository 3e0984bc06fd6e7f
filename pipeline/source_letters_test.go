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
