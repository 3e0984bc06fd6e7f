package faults_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/callveil/callveil/faults"
)

// The crash loop: `callveil run` is SIGKILLed at random moments while
// traffic flows and restarted each time; at the end every call is in
// HubSpot exactly once with the same content as in an undisturbed run,
// every poison record is dead-lettered (counted by source position), and
// the aggregates equal the undisturbed run's.
//
// Short (CI) size: 10,000 records, 5 kills. Full size:
//
//	CALLVEIL_SOAK=full go test ./faults/ -run CrashLoop -timeout 60m
//
// (100,000 records, 20 kills; CALLVEIL_SOAK_RECORDS and
// CALLVEIL_SOAK_KILLS override either size).
func TestCrashLoopSIGKILLLosesNothingDuplicatesNothing(t *testing.T) {
	records, kills := 10_000, 5
	if soakFull() {
		records, kills = 100_000, 20
	}
	records = envInt(t, "CALLVEIL_SOAK_RECORDS", records)
	kills = envInt(t, "CALLVEIL_SOAK_KILLS", kills)
	bin := callveilBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout(t, 4*time.Minute))
	defer cancel()
	res, err := faults.RunCrashLoop(ctx, faults.CrashLoopConfig{
		Binary: bin, Dir: t.TempDir(), Records: records, Kills: kills, Seed: 42, Logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("records=%d calls=%d poison=%d kills=%d (at start-up %d) rate=%d/s duration=%s",
		res.Records, res.Calls, res.Poison, res.Kills, res.StartupKills, res.Rate, res.Duration.Round(time.Second))
	t.Logf("hubspot: %d calls, lost=%d duplicates=%d created=%d content-mismatches=%d (transcript dropped %d)",
		res.HubSpotCalls, res.Lost, res.Duplicates, res.Created, res.ContentMismatches, res.TranscriptsDropped)
	t.Logf("dead letters: poison %d/%d, raw %d, duplicate letters %d (clean run %d), foreign %d, wrong reason %d",
		res.PoisonDeadLettered, res.Poison, res.DeadLettersRaw, res.DeadLetterDuplicates, res.CleanDeadLetterDuplicates,
		res.ForeignDeadLetters, res.WrongReason)
	t.Logf("aggregates: %d objects, %d rows, %d calls, %d mismatches, %d rows with differently encoded sketches",
		res.Aggregates.Objects, res.Aggregates.Rows, res.Aggregates.Calls, len(res.Aggregates.Mismatches), res.Aggregates.EncodingOnly)
	t.Logf("peak RSS: crash-group processes %d MiB, clean process %d MiB", res.PeakRSSKiB>>10, res.CleanPeakRSSKiB>>10)
	if res.Kills != kills {
		t.Errorf("killed %d times, want %d", res.Kills, kills)
	}
	if res.Records < records*9/10 {
		t.Errorf("produced %d records, want about %d", res.Records, records)
	}
	// Two claims are known to fail until finding 1 of faults/README.md is
	// fixed: after a restart, a call whose records were committed in one
	// partition but not in another is re-read in part (its transcript
	// without its events: an orphan dead letter; its events without its
	// transcript: HubSpot loses the transcript; part of its events: another
	// start time, counted in another window of the aggregates).
	for _, c := range res.Claims() {
		t.Run(c.Name, func(t *testing.T) {
			if c.Err != nil {
				t.Error(c.Err)
			}
		})
	}
}

func envInt(t *testing.T, name string, def int) int {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		t.Fatalf("%s: want a non-negative integer", name)
	}
	return n
}

// testTimeout is the test binary's deadline less a margin for cleanup, or
// def when none is set.
func testTimeout(t *testing.T, def time.Duration) time.Duration {
	if d, ok := t.Deadline(); ok {
		return time.Until(d) - 20*time.Second
	}
	return def
}
