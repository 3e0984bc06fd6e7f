// Command soak runs the crash-loop soak test in full size and prints its
// figures: `callveil run` consumes generated traffic (calls of every
// provider and poison records) from an embedded Kafka broker while it is
// SIGKILLed at random moments and restarted; an undisturbed process in a
// second consumer group is the baseline. See faults.RunCrashLoop.
//
//	go run ./bench/soak -records 100000 -kills 20
//
// It prints each claim (every call in HubSpot once, every poison record
// dead-lettered, no other dead letters, aggregates and HubSpot content equal
// to the baseline's, no personal value in logs) and exits 1 when one fails.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/callveil/callveil/faults"
)

func main() {
	records := flag.Int("records", 100_000, "records to produce (calls are sized from it, 1% poison)")
	kills := flag.Int("kills", 20, "SIGKILLs of the crash group's process")
	seed := flag.Int64("seed", 42, "traffic and kill-schedule seed")
	rate := flag.Int("rate", 0, "records produced per second (0: sized so production lasts as long as the kills)")
	dir := flag.String("dir", "", "work directory for logs and aggregates (default: a temporary one, removed)")
	jsonOut := flag.Bool("json", false, "print the result as JSON too")
	timeout := flag.Duration("timeout", time.Hour, "give up after this long")
	flag.Parse()

	if err := run(*records, *kills, *seed, *rate, *dir, *jsonOut, *timeout); err != nil {
		log.Print(err)
		os.Exit(1)
	}
}

func run(records, kills int, seed int64, rate int, dir string, jsonOut bool, timeout time.Duration) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if dir == "" {
		d, err := os.MkdirTemp("", "callveil-soak-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	root, err := faults.ModuleRoot()
	if err != nil {
		return err
	}
	bin, err := faults.BuildCallveil(ctx, root, dir, 4)
	if err != nil {
		return err
	}
	res, err := faults.RunCrashLoop(ctx, faults.CrashLoopConfig{
		Binary: bin, Dir: dir, Records: records, Kills: kills, Seed: seed, Rate: rate,
		Logf: func(format string, args ...any) { log.Printf(format, args...) },
	})
	if err != nil {
		return err
	}
	fmt.Printf("| figure | value |\n|---|---|\n")
	row := func(name string, v any) { fmt.Printf("| %s | %v |\n", name, v) }
	row("records produced", res.Records)
	row("calls / poison records", fmt.Sprintf("%d / %d", res.Calls, res.Poison))
	row("SIGKILLs (during start-up)", fmt.Sprintf("%d (%d)", res.Kills, res.StartupKills))
	row("production rate", fmt.Sprintf("%d records/s", res.Rate))
	row("wall time", res.Duration.Round(time.Second))
	row("calls lost", res.Lost)
	row("HubSpot duplicates", res.Duplicates)
	row("HubSpot calls created", res.Created)
	row("HubSpot calls whose content differs from the baseline", fmt.Sprintf("%d (transcript dropped: %d, last written by process: %v)", res.ContentMismatches, res.TranscriptsDropped, res.DroppedByProcess))
	row("poison records dead-lettered", fmt.Sprintf("%d of %d", res.PoisonDeadLettered, res.Poison))
	row("dead letters raw / duplicate letters", fmt.Sprintf("%d / %d %v", res.DeadLettersRaw, res.DeadLetterDuplicates, res.RepeatedLetterWriters))
	row("dead letters for non-poison records", foreign(res))
	row("aggregates objects / rows / calls", fmt.Sprintf("%d / %d / %d", res.Aggregates.Objects, res.Aggregates.Rows, res.Aggregates.Calls))
	row("aggregates mismatches vs baseline", len(res.Aggregates.Mismatches))
	row("peak RSS, crash-group process (VmHWM)", fmt.Sprintf("%d MiB", res.PeakRSSKiB>>10))
	row("peak RSS, baseline process (VmHWM)", fmt.Sprintf("%d MiB", res.CleanPeakRSSKiB>>10))
	row("personal values in logs", res.LogLeaks)
	row("stale group members removed (kfake bug, see faults.StaleMemberReaper)", res.StaleMembersRemoved)
	if jsonOut {
		b, _ := json.MarshalIndent(res, "", "  ")
		fmt.Println(string(b))
	}
	failed := 0
	for _, c := range res.Claims() {
		status := "holds"
		if c.Err != nil {
			status, failed = "FAILS: "+c.Err.Error(), failed+1
		}
		fmt.Printf("- %s: %s\n", c.Name, status)
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d claims failed", failed, len(res.Claims()))
	}
	return nil
}

func foreign(res faults.CrashLoopResult) string {
	if res.ForeignDeadLetters == 0 {
		return "0"
	}
	return fmt.Sprintf("%d %v", res.ForeignDeadLetters, res.ForeignReasons)
}
