package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/sourcegraph/conc"
	"golang.org/x/term"

	"github.com/callveil/callveil/pipeline"
	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/redact"
	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
)

// ReprocessCmd is `callveil reprocess`: the service's stages over a bounded
// input (a Kafka range, files, a directory or an S3 prefix), then exit.
//
//	callveil reprocess --input testdata/calls/reprocess.jsonl --dry-run --out-dir out/
//	callveil reprocess --brokers k1:9092 --from 2025-03-01T00:00:00Z --to 2025-03-02T00:00:00Z --out-dir out/
//	callveil reprocess --input s3://bucket/exports/ --s3-endpoint s3.eu-central-1.amazonaws.com --dry-run --out-dir out/
//
// Interrupted (Ctrl-C), it stops cleanly; --resume continues from the
// checkpoint without redoing the settled records.
type ReprocessCmd struct {
	Input      string   `name:"input" help:"File (.jsonl, optionally .gz; one payload or envelope per line), directory (one payload per file, *.jsonl files line by line; name order) or s3://bucket/prefix. Without it, a Kafka range is read."`
	Brokers    []string `name:"brokers" env:"CALLVEIL_BROKERS" help:"Kafka bootstrap brokers: the range to read (without --input) and the dead-letter topic (without --dry-run)."`
	TopicFlags `embed:""`
	From       []string `name:"from" sep:"," help:"Start of the Kafka range: RFC 3339 time or offset, for every topic or as TOPIC=VALUE. Default: the oldest record."`
	To         []string `name:"to" sep:"," help:"End of the Kafka range (exclusive): RFC 3339 time or offset, or TOPIC=VALUE. Default: the newest record when the run starts."`

	DryRun bool `name:"dry-run" help:"Write to --out-dir only (calls.jsonl, deadletters.jsonl) instead of the real sinks."`
	// SinkFlags (--out-dir, HubSpot, aggregates) are the service's: a real
	// run writes where the service writes. An s3:// --input is read through
	// the same --s3-endpoint, --s3-insecure, --s3-region and AWS_* env.
	SinkFlags    `embed:""`
	PrivacyFlags `embed:""`
	Resume       bool   `name:"resume" help:"Continue an interrupted run from its checkpoint. Without it, a run starts over."`
	Checkpoint   string `name:"checkpoint" type:"path" help:"Checkpoint file (default: <out-dir>/reprocess.checkpoint, or ./callveil-reprocess.checkpoint)."`
	Workers      int    `name:"workers" default:"0" help:"CPU cores to use, with as many parse and redact workers (0: every core)."`

	KeySecretFlags `embed:""`
	RegionFlag     `embed:""`
	RecordFlags    `embed:""`

	JoinTTL        time.Duration `name:"join-ttl" default:"5m" help:"How long a call waits for its missing half; at the end of the input every waiting call is emitted anyway."`
	JoinMaxPending int           `name:"join-max-pending" default:"100000" help:"Most calls held waiting in the join."`

	ProgressInterval time.Duration `name:"progress-interval" default:"10s" help:"How often to print a progress line when stderr is not a terminal."`

	CallProviderFlag `embed:""`
}

// reprocessEnv is what a run needs from outside the flags; tests set it.
type reprocessEnv struct {
	logger         *slog.Logger
	stdout, stderr io.Writer
	// terminal: draw a progress bar instead of progress lines.
	terminal bool
	// redactor is built once per process by tests (it loads language
	// models); nil builds one.
	redactor *redact.Redactor
	// commitInterval overrides how often the checkpoint is written (tests).
	commitInterval time.Duration
}

// errInterrupted is returned when the run was stopped before the end of
// its input; the checkpoint holds what is settled.
var errInterrupted = errors.New("reprocess: interrupted; continue with --resume")

// Run reprocesses the input and prints a summary.
func (c *ReprocessCmd) Run(g *globals) error {
	if c.Workers > 0 {
		// --workers N means "use N cores": the pipeline overlaps reading,
		// parsing, redaction and delivery, so N workers alone would still
		// spread over every core. The command owns its process, so it caps
		// the scheduler here (not in run, which tests share a process with).
		runtime.GOMAXPROCS(c.Workers)
	}
	return c.run(g.ctx, reprocessEnv{
		logger: g.logger, stdout: os.Stdout, stderr: os.Stderr,
		terminal: term.IsTerminal(int(os.Stderr.Fd())),
	})
}

func (c *ReprocessCmd) validate() error {
	switch {
	case c.Input == "" && len(c.Brokers) == 0:
		return errors.New("reprocess: give --input PATH, or --brokers to read a Kafka range")
	case c.Input != "" && (len(c.From) > 0 || len(c.To) > 0):
		return errors.New("reprocess: --from/--to select a Kafka range; they do not apply to --input")
	case c.DryRun && c.OutDir == "":
		return errors.New("reprocess: --dry-run needs --out-dir DIR")
	case c.Workers < 0:
		return errors.New("reprocess: --workers must not be negative")
	}
	// Bad bounds are reported before any wait for brokers.
	if _, err := pipeline.ParseRangeBounds(c.From); err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	if _, err := pipeline.ParseRangeBounds(c.To); err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	return nil
}

// checkInput names a local --input that cannot be read; the file source's
// own errors leave the path out.
func (c *ReprocessCmd) checkInput() error {
	if c.Input == "" || strings.HasPrefix(c.Input, "s3://") {
		return nil
	}
	if _, err := os.Stat(c.Input); err != nil {
		reason := err.Error()
		var pe *fs.PathError
		if errors.As(err, &pe) {
			reason = pe.Err.Error()
		}
		return fmt.Errorf("reprocess: --input %s: %s", maskDigitRuns(c.Input), reason)
	}
	return nil
}

// longDigits are runs of digits long enough to be a phone number.
var longDigits = regexp.MustCompile(`[0-9]{6,}`)

// maskDigitRuns keeps a path quotable in an error: files named after a
// caller's number are common, so such runs are masked (dates stay).
func maskDigitRuns(path string) string { return longDigits.ReplaceAllString(path, "…") }

func (c *ReprocessCmd) checkpointPath() string {
	switch {
	case c.Checkpoint != "":
		return c.Checkpoint
	case c.OutDir != "":
		return filepath.Join(c.OutDir, "reprocess.checkpoint")
	}
	return "callveil-reprocess.checkpoint"
}

func (c *ReprocessCmd) run(ctx context.Context, env reprocessEnv) error {
	start := time.Now()
	if err := c.validate(); err != nil {
		return err
	}
	secret, err := readSecret(c.KeySecret, c.KeySecretFile)
	if err != nil {
		return err
	}
	if err := c.checkInput(); err != nil {
		return err
	}
	cpf, err := pipeline.NewCheckpointFile(c.checkpointPath())
	if err != nil {
		return err
	}
	if c.Resume {
		// Read here so that an unreadable checkpoint is reported with its
		// path; the source reads it again to resume.
		if _, err := cpf.Load(); err != nil {
			return fmt.Errorf("reprocess: --resume: checkpoint %s cannot be resumed: %w", maskDigitRuns(cpf.Path()), err)
		}
	} else {
		// A fresh run must not be resumed from an older run's checkpoint
		// should it be interrupted before its first commit.
		if err := cpf.Remove(); err != nil {
			return err
		}
	}
	if len(c.Brokers) > 0 {
		if err := c.waitForBrokers(ctx, c.Brokers); err != nil {
			return err
		}
	}
	src, err := c.source(ctx, cpf)
	if errors.Is(err, pipeline.ErrCheckpointMismatch) {
		return fmt.Errorf("reprocess: --resume: checkpoint %s cannot be resumed: %w", maskDigitRuns(cpf.Path()), err)
	}
	if err != nil {
		return err
	}
	ss, err := reprocessSinks(ctx, c, env.logger, secret)
	if err != nil {
		src.Close()
		return err
	}
	defer closeSinks(ss)
	dls, err := reprocessDeadLetters(c)
	if err != nil {
		src.Close()
		return err
	}
	red := env.redactor
	if red == nil {
		if red, err = redact.New(redact.Config{}); err != nil {
			src.Close()
			dls.Close()
			return err
		}
	}
	policy, err := c.openPolicy(ctx, secret, env.logger)
	if err != nil {
		src.Close()
		dls.Close()
		return err
	}
	if policy != nil {
		defer policy.Close()
	} else {
		fmt.Fprintln(env.stderr, "reprocess: no --brokers, so objections and deletion tombstones cannot be read; the dry run applies none")
	}
	skips := &skipCounter{}
	cfg := c.pipelineConfig(pipelineDeps{Secret: secret, Redactor: red, Sinks: ss, Logger: env.logger})
	// Objections and deletion tombstones are enforced exactly as in the
	// service, so a replay never brings forgotten calls back.
	cfg.Policy = policyOrNil(policy)
	cfg.DeadLetters, cfg.Observer = dls, skips
	cfg.CommitInterval = env.commitInterval
	p, err := pipeline.New(cfg)
	if err != nil {
		src.Close()
		dls.Close()
		return err
	}

	var progWG conc.WaitGroup
	progCtx, stopProgress := context.WithCancel(context.Background())
	progWG.Go(func() { c.reportProgress(progCtx, env, p, src) })
	runErr := p.Run(ctx, src, dls)
	stopProgress()
	progWG.Wait()

	interrupted := runErr == nil && ctx.Err() != nil
	c.printSummary(env.stdout, p.Stats(), skips.byPolicy.Load(), time.Since(start), interrupted, cpf.Path())
	if runErr != nil {
		return runErr
	}
	if interrupted {
		return errInterrupted
	}
	return nil
}

// pipelineConfig is the reprocess pipeline: the shared fields, then as
// many parse and redact workers as --workers (0: every core).
func (c *ReprocessCmd) pipelineConfig(d pipelineDeps) pipeline.Config {
	cfg := pipelineConfig(pipelineParts{Brokers: c.Brokers, Topics: c.TopicFlags, Region: c.RegionFlag, Records: c.RecordFlags,
		Provider: c.CallProviderFlag, Join: stages.JoinConfig{TTL: c.JoinTTL, MaxPending: c.JoinMaxPending}}, d)
	workers := c.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cfg.ParseWorkers, cfg.RedactWorkers = workers, workers
	return cfg
}

// source builds the bounded source the flags describe.
func (c *ReprocessCmd) source(ctx context.Context, cpf *pipeline.CheckpointFile) (pipeline.Source, error) {
	if c.Input != "" {
		// The same endpoint flags and credentials as the aggregates sink.
		creds := objectstore.CredentialsFromEnv()
		return pipeline.NewFileSource(ctx, pipeline.FileSourceConfig{
			Input: c.Input, MaxPayloadBytes: c.MaxPayloadBytes, Checkpoint: cpf, Resume: c.Resume,
			S3: pipeline.S3Config{
				Endpoint: c.S3Endpoint, Insecure: c.S3Insecure, Region: c.S3Region,
				AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken,
			},
		})
	}
	from, err := pipeline.ParseRangeBounds(c.From)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	to, err := pipeline.ParseRangeBounds(c.To)
	if err != nil {
		return nil, fmt.Errorf("--to: %w", err)
	}
	return pipeline.NewKafkaRangeSource(ctx, pipeline.KafkaRangeConfig{
		Brokers: c.Brokers, Topics: []string{c.EventsTopic, c.TranscriptsTopic},
		From: from, To: to, MaxPayloadBytes: c.MaxPayloadBytes, Checkpoint: cpf, Resume: c.Resume,
	})
}

// openPolicy reads objections and tombstones from the privacy topic. A
// real run must honour them before writing to the user's systems, so it
// needs --brokers; a dry run without brokers goes on without them (nil).
func (c *ReprocessCmd) openPolicy(ctx context.Context, secret []byte, logger *slog.Logger) (*privacy.Policy, error) {
	if len(c.Brokers) == 0 {
		if c.DryRun {
			return nil, nil
		}
		return nil, errors.New("reprocess: --brokers is required to honour objections and deletions before writing to real sinks (or use --dry-run)")
	}
	return c.OpenPolicy(ctx, c.Brokers, secret, logger)
}

// policyOrNil keeps a nil *privacy.Policy from becoming a non-nil interface.
func policyOrNil(p *privacy.Policy) pipeline.CallPolicy {
	if p == nil {
		return nil
	}
	return p
}

// reprocessSinks builds the sinks of a reprocess run. A real run uses the
// service's sinks (SinkFlags.BuildKeyed), so reprocessing upserts the same
// HubSpot calls and aggregates. A dry run writes only under --out-dir: the
// redacted calls (calls.jsonl) and the aggregates (local Parquet files).
func reprocessSinks(ctx context.Context, c *ReprocessCmd, logger *slog.Logger, secret []byte) ([]sinks.Sink, error) {
	if !c.DryRun {
		return c.SinkFlags.BuildKeyed(ctx, logger, secret)
	}
	local := SinkFlags{OutDir: c.OutDir, AggregatesFlags: c.AggregatesFlags}
	local.objectStoreFlags = objectStoreFlags{AggregatesDir: c.OutDir, RetentionDays: c.RetentionDays}
	if local.WriterID == "" {
		local.WriterID = "reprocess"
	}
	return local.BuildKeyed(ctx, logger, secret)
}

// reprocessDeadLetters chooses where refused records go: a file in
// --out-dir for dry runs (and file input without brokers), else the
// service's dead-letter topic.
func reprocessDeadLetters(c *ReprocessCmd) (pipeline.DeadLetterSink, error) {
	if c.DryRun || len(c.Brokers) == 0 {
		if c.OutDir == "" {
			return nil, errors.New("reprocess: dead letters need --brokers or --out-dir")
		}
		return pipeline.NewDedupeFileDeadLetters(c.OutDir)
	}
	return pipeline.NewKafkaDeadLetters(c.Brokers, c.DeadLetterTopic)
}

// reportProgress draws a bar (terminal) or prints a line every
// ProgressInterval until ctx ends. It shows counts only, never values.
func (c *ReprocessCmd) reportProgress(ctx context.Context, env reprocessEnv, p *pipeline.Pipeline, src pipeline.Source) {
	progress := src.Progress
	st := p.Stats()
	if env.terminal {
		total := progress().Total
		if total <= 0 {
			total = -1 // unknown: a spinner
		}
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(env.stderr),
			progressbar.OptionSetDescription("reprocess"),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionFullWidth(),
		}
		if progress().Unit == "bytes" {
			opts = append(opts, progressbar.OptionShowBytes(true)) // shows the rate in MB/s
		} else {
			opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(progress().Unit))
		}
		bar := progressbar.NewOptions64(total, opts...)
		t := time.NewTicker(200 * time.Millisecond)
		defer t.Stop()
		for {
			bar.Describe(fmt.Sprintf("reprocess: %d calls, %d dead letters", st.CallsDelivered.Load(), st.DeadLetters.Load()))
			bar.Set64(progress().Done)
			select {
			case <-ctx.Done():
				bar.Set64(progress().Done)
				fmt.Fprintln(env.stderr)
				return
			case <-t.C:
			}
		}
	}
	interval := c.ProgressInterval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	began, lastRead := time.Now(), int64(0)
	last := began
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			read := st.RecordsRead.Load()
			rate := float64(read-lastRead) / now.Sub(last).Seconds()
			fmt.Fprintf(env.stderr, "reprocess: %s; %d records read, %d calls written, %d dead letters; %.0f records/s; %s elapsed\n",
				progress(), read, st.CallsDelivered.Load(), st.DeadLetters.Load(), rate, now.Sub(began).Round(time.Second))
			last, lastRead = now, read
		}
	}
}

// printSummary writes the final counts.
func (c *ReprocessCmd) printSummary(w io.Writer, st *pipeline.Stats, byPolicy int64, took time.Duration, interrupted bool, checkpoint string) {
	state := "done"
	if interrupted {
		state = "interrupted"
	}
	calls := st.CallsDelivered.Load()
	fmt.Fprintf(w, "callveil reprocess %s in %s: %d records read, %d calls written, %d dead-lettered, %d skipped (no call data, or already emitted), %d skipped by objection; %.1f calls/s\n",
		state, took.Round(time.Millisecond), st.RecordsRead.Load(), calls, st.DeadLetters.Load(), st.Skipped.Load()-byPolicy, byPolicy,
		float64(calls)/took.Seconds())
	if c.OutDir != "" {
		fmt.Fprintf(w, "  redacted calls: %s\n  dead letters:   %s\n", filepath.Join(c.OutDir, "calls.jsonl"), filepath.Join(c.OutDir, "deadletters.jsonl"))
	}
	fmt.Fprintf(w, "  checkpoint:     %s\n", checkpoint)
	if interrupted {
		fmt.Fprintln(w, "  continue with the same flags and --resume")
	}
}

// skipCounter is the run's pipeline.Observer: it counts calls the
// CallPolicy skipped (objections, deletion tombstones) for the summary.
// Everything else it ignores; a metrics observer could be chained here.
type skipCounter struct {
	byPolicy atomic.Int64
}

func (s *skipCounter) Skipped(reason string) {
	if reason == "objection" || reason == "tombstone" {
		s.byPolicy.Add(1)
	}
}
func (*skipCounter) RecordRead(string)                       {}
func (*skipCounter) RecordSettled(string)                    {}
func (*skipCounter) DeadLettered(string, stages.Reason)      {}
func (*skipCounter) StageDone(string, time.Duration)         {}
func (*skipCounter) SinkWrite(string, string, time.Duration) {}
func (*skipCounter) CallDelivered(string, map[string]int)    {}
func (*skipCounter) JoinPending(int)                         {}
func (*skipCounter) JoinClockLag(time.Duration)              {}
func (*skipCounter) Committed(string, int, int64)            {}
