package pipeline

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/callveil/callveil/internal/jsonstr"
	"github.com/callveil/callveil/stages"
)

// FileSourceConfig configures a FileSource.
type FileSourceConfig struct {
	// Input is one of:
	//   - a file: one payload per line (.jsonl or any name), gzip when it
	//     ends in .gz;
	//   - a directory: every regular file below it, in name order; files
	//     named *.jsonl / *.ndjson (optionally .gz) hold one payload per
	//     line, every other file holds one payload (gzip when *.gz);
	//   - s3://bucket/prefix: the objects under prefix, treated like the
	//     files of a directory.
	Input string
	// S3 reaches the object store for s3:// inputs.
	S3 S3Config
	// MaxPayloadBytes: longer payloads are cut to one byte over the limit
	// so the parser refuses them as too_large, without holding the rest.
	// Default 1 MiB (as Config).
	MaxPayloadBytes int
	// Checkpoint, when set, records the settled prefix on every Settle.
	Checkpoint *CheckpointFile
	// Resume skips what Checkpoint says is settled. Without it an existing
	// checkpoint is overwritten by the first commit.
	Resume bool
}

// S3Config reaches an S3-compatible store, as the aggregates sink does.
type S3Config struct {
	// Endpoint is host[:port]; "https://" is accepted. Required for s3://.
	Endpoint string
	// Insecure switches TLS off (a local test server). Off by default.
	Insecure bool
	Region   string
	// AccessKeyID etc.: static credentials (AWS_ACCESS_KEY_ID, ...).
	AccessKeyID, SecretAccessKey, SessionToken string
}

// Record envelope of a line or file (see testdata/calls/README.md):
//
//	{"call_id": "...", "provider": "...", "call_provider": "...",
//	 "time": "<RFC 3339>", "payload": <object or string> | "payload_base64": "..."}
//
// The demo.jsonl envelope ({"key", "headers": {"provider",
// "call-provider"}, "topic", "shape", ...}) is read too.
var envelopeKeys = map[string]bool{
	"call_id": true, "provider": true, "call_provider": true, "time": true,
	"payload": true, "payload_base64": true,
	"key": true, "headers": true, "topic": true, "shape": true,
}

type lineEnvelope struct {
	CallID        string            `json:"call_id"`
	Key           string            `json:"key"`
	Provider      string            `json:"provider"`
	CallProvider  string            `json:"call_provider"`
	Headers       map[string]string `json:"headers"`
	Time          *time.Time        `json:"time"`
	Payload       json.RawMessage   `json:"payload"`
	PayloadBase64 *string           `json:"payload_base64"`
	// Known but unused, so that DisallowUnknownFields accepts them.
	Topic json.RawMessage `json:"topic"`
	Shape json.RawMessage `json:"shape"`
}

// unit is one file or object: the granule of listing and resume.
type unit struct {
	name  string // path or object key: never logged, never checkpointed
	size  int64
	mtime time.Time
	tag   string // S3 ETag: a rewritten object changes the fingerprint
	lines bool   // one payload per line, else the whole unit is one payload
	gzip  bool
}

// unitStore lists and opens units (local files or S3 objects).
type unitStore interface {
	list(ctx context.Context) ([]unit, error)
	open(ctx context.Context, u unit) (io.ReadCloser, error)
}

// FileSource reads records from files, a directory or an S3 prefix. It is
// bounded: Fetch reports the end (Fetched.End) after the last record.
//
// Positions: Record.Topic is the Input as given (never a file name, which
// may hold a call id), Partition the unit's index in name order, Offset
// the 0-based line within the unit (0 for a one-payload file). Dead letters
// carry these, so an operator finds a refused record as "line L of the
// N-th file in name order".
type FileSource struct {
	cfg      FileSourceConfig
	store    unitStore
	units    []unit
	fp       string
	maxValue int

	// Fetch-side state, used by the fetch loop only.
	next    int // index of the next unit to open
	cur     *unitReader
	readErr error

	// state holds the settled positions (resumed and live). Under its mu
	// also: ends, per unit read to its end, one past the last record this
	// run fetched from it (0 if none); unitsDone, the leading units done.
	state     *settledState
	ends      map[int]int64
	unitsDone int

	bytesDone  atomic.Int64
	bytesTotal int64
}

var _ Source = (*FileSource)(nil)

// NewFileSource lists the input and, with Resume, loads the checkpoint.
func NewFileSource(ctx context.Context, cfg FileSourceConfig) (*FileSource, error) {
	if cfg.Input == "" {
		return nil, errors.New("file source: an input path is required")
	}
	if cfg.MaxPayloadBytes == 0 {
		cfg.MaxPayloadBytes = 1 << 20
	}
	if cfg.MaxPayloadBytes < 0 {
		return nil, errors.New("file source: max payload bytes must be positive")
	}
	var store unitStore
	if strings.HasPrefix(cfg.Input, "s3://") {
		s, err := newS3Units(cfg.Input, cfg.S3)
		if err != nil {
			return nil, err
		}
		store = s
	} else {
		store = localUnits{root: cfg.Input}
	}
	units, err := store.list(ctx)
	if err != nil {
		return nil, err
	}
	s := &FileSource{
		cfg: cfg, store: store, units: units, fp: fingerprint(units),
		maxValue: cfg.MaxPayloadBytes, ends: map[int]int64{},
	}
	for _, u := range units {
		s.bytesTotal += u.size
	}
	var cp *Checkpoint
	if cfg.Resume && cfg.Checkpoint != nil {
		if cp, err = cfg.Checkpoint.LoadFor(cfg.Input, s.fp); err != nil {
			return nil, err
		}
	}
	s.state = newSettledState(cp)
	if cp != nil {
		s.unitsDone = min(cp.UnitsDone, len(units))
		s.next = s.unitsDone
		for i := range s.unitsDone {
			s.bytesDone.Add(units[i].size)
		}
	}
	return s, nil
}

// Units is the number of files or objects in the input.
func (s *FileSource) Units() int { return len(s.units) }

// Progress implements Source: bytes read (compressed bytes for gzip) of
// the total.
func (s *FileSource) Progress() Progress {
	return Progress{Done: s.bytesDone.Load(), Total: s.bytesTotal, Unit: "bytes"}
}

// fingerprint hashes the listing: names, sizes and tags in order.
func fingerprint(units []unit) string {
	h := sha256.New()
	for _, u := range units {
		fmt.Fprintf(h, "%q %d %q\n", u.name, u.size, u.tag)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Fetch implements Source. Reading files waits for no producer, so a
// batch fills up to len(buf) or the end of the input.
func (s *FileSource) Fetch(ctx context.Context, buf []stages.Record) (Fetched, error) {
	var f Fetched
	for f.N < len(buf) {
		rec, err := s.read(ctx)
		switch {
		case errors.Is(err, io.EOF):
			f.End = true
			return f, nil
		case err != nil && f.N > 0:
			// Hand out what was read; the error comes again next call.
			return f, nil
		case err != nil:
			return Fetched{}, err
		}
		buf[f.N] = rec
		f.N++
	}
	return f, nil
}

// read returns the next record not settled before, or io.EOF after the
// last. A read error is kept: every later call returns it.
func (s *FileSource) read(ctx context.Context) (stages.Record, error) {
	for {
		if err := ctx.Err(); err != nil {
			return stages.Record{}, err
		}
		if s.readErr != nil {
			return stages.Record{}, s.readErr
		}
		if s.cur == nil {
			if s.next >= len(s.units) {
				return stages.Record{}, io.EOF
			}
			ur, err := s.openUnit(ctx, s.next)
			if err != nil {
				s.readErr = err
				return stages.Record{}, err
			}
			s.cur = ur
			s.next++
		}
		rec, err := s.cur.read()
		if errors.Is(err, io.EOF) {
			s.finishUnit()
			continue
		}
		if err != nil {
			s.readErr = fmt.Errorf("file source: read unit %d: %w", s.cur.index, scrubName(err))
			return stages.Record{}, s.readErr
		}
		if s.state.settledBefore(topicPartition{rec.Topic, rec.Partition}, rec.Offset) {
			continue // settled before the interruption
		}
		s.cur.fetchedEnd = rec.Offset + 1
		return rec, nil
	}
}

func (s *FileSource) openUnit(ctx context.Context, i int) (*unitReader, error) {
	u := s.units[i]
	rc, err := s.store.open(ctx, u)
	if err != nil {
		// The error names the unit's index only: the name may hold an id.
		return nil, fmt.Errorf("file source: open unit %d: %w", i, scrubName(err))
	}
	counted := &countingReader{r: rc, n: &s.bytesDone}
	var r io.Reader = counted
	var gz *gzip.Reader
	if u.gzip {
		gz, err = gzip.NewReader(counted)
		if err != nil {
			rc.Close()
			return nil, fmt.Errorf("file source: unit %d: not valid gzip", i)
		}
		r = gz
	}
	return &unitReader{
		index: i, u: u, topic: s.cfg.Input, rc: rc, gz: gz,
		br: bufio.NewReaderSize(r, 64<<10), maxValue: s.maxValue,
		// An envelope holds the payload escaped (JSON) or base64: allow
		// for that before cutting a line short.
		maxLine: 4*s.maxValue + 64<<10,
	}, nil
}

// finishUnit closes the current unit and records where it ended, so the
// checkpoint can count it done once all its records are settled.
func (s *FileSource) finishUnit() {
	ur := s.cur
	s.cur = nil
	ur.close()
	s.state.mu.Lock()
	s.ends[ur.index] = ur.fetchedEnd
	s.state.mu.Unlock()
}

// Settle implements Source: it advances the settled positions and writes
// the checkpoint.
func (s *FileSource) Settle(_ context.Context, settled Settlement) error {
	st := s.state
	st.mu.Lock()
	st.advance(settled)
	// Count leading units read to their end whose fetched records are all
	// settled (records skipped on resume were settled before); their
	// positions are then implied by UnitsDone.
	for {
		end, read := s.ends[s.unitsDone]
		tp := topicPartition{s.cfg.Input, s.unitsDone}
		if !read || st.prefix[tp] < end {
			break
		}
		st.forget(tp)
		delete(s.ends, s.unitsDone)
		s.unitsDone++
	}
	return s.saveLocked()
}

// saveLocked writes the checkpoint and unlocks the state; the file is
// written under the lock so that saves cannot overtake each other.
func (s *FileSource) saveLocked() error {
	defer s.state.mu.Unlock()
	if s.cfg.Checkpoint == nil {
		return nil
	}
	positions, runs := s.state.snapshot(func(tp topicPartition) bool { return tp.Partition >= s.unitsDone })
	return s.cfg.Checkpoint.Save(&Checkpoint{Input: s.cfg.Input, Fingerprint: s.fp, Positions: positions, Settled: runs, UnitsDone: s.unitsDone})
}

// Ends implements Source: files run the join on the wall clock.
func (s *FileSource) Ends(context.Context) (map[TopicPartition]PartitionEnd, error) {
	return nil, nil
}

// GenerationsEnded implements Source: no group moves files.
func (s *FileSource) GenerationsEnded() uint64 { return 0 }

// Features implements Source: progress goes to the checkpoint, if any.
func (s *FileSource) Features() Features { return Features{Checkpoints: s.cfg.Checkpoint != nil} }

// Close implements Source.
func (s *FileSource) Close() error {
	if s.cur != nil {
		s.cur.close()
		s.cur = nil
	}
	return nil
}

// unitReader turns one unit into records.
type unitReader struct {
	index    int
	u        unit
	topic    string
	rc       io.ReadCloser
	gz       *gzip.Reader
	br       *bufio.Reader
	maxValue int
	maxLine  int
	line     int64 // next line number
	done     bool
	// fetchedEnd is one past the last record Fetch handed out (0: none).
	fetchedEnd int64
}

func (r *unitReader) close() {
	if r.gz != nil {
		r.gz.Close()
	}
	r.rc.Close()
}

// read returns the next record of the unit, or io.EOF.
func (r *unitReader) read() (stages.Record, error) {
	if r.done {
		return stages.Record{}, io.EOF
	}
	if !r.u.lines {
		r.done = true
		b, err := io.ReadAll(io.LimitReader(r.br, int64(r.maxLine)+1))
		if err != nil {
			return stages.Record{}, err
		}
		return r.record(0, b, len(b) > r.maxLine), nil
	}
	for {
		b, cut, err := r.readLine()
		if err != nil && !errors.Is(err, io.EOF) {
			return stages.Record{}, err
		}
		n := r.line
		r.line++
		if len(bytes.TrimSpace(b)) > 0 || cut {
			return r.record(n, b, cut), nil
		}
		if errors.Is(err, io.EOF) {
			r.done = true
			return stages.Record{}, io.EOF
		}
	}
}

// readLine reads one line without its newline. A line longer than maxLine
// is cut there (cut=true) and the rest discarded, so one giant line costs
// bounded memory.
func (r *unitReader) readLine() (line []byte, cut bool, err error) {
	var buf []byte
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !cut {
			room := r.maxLine + 1 - len(buf)
			if len(chunk) > room {
				buf, cut = append(buf, chunk[:room]...), true
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			if errors.Is(err, io.EOF) && len(buf) > 0 {
				err = nil // a last line without newline
			}
			return bytes.TrimRight(buf, "\r\n"), cut, err
		}
		return bytes.TrimRight(buf, "\r\n"), cut, nil
	}
}

// record builds the record for the payload text b found at offset.
func (r *unitReader) record(offset int64, b []byte, cut bool) stages.Record {
	rec := stages.Record{Topic: r.topic, Partition: r.index, Offset: offset, Time: r.u.mtime}
	if cut {
		// Too large to be an acceptable payload in any envelope: hand the
		// parser the first maxValue+1 bytes so it refuses it as too_large.
		rec.Value = b[:min(len(b), r.maxValue+1)]
		return rec
	}
	if env, ok := decodeEnvelope(b); ok {
		applyEnvelope(&rec, env)
		if len(rec.Value) > r.maxValue {
			rec.Value = rec.Value[:r.maxValue+1]
		}
		return rec
	}
	if len(b) > r.maxValue {
		b = b[:r.maxValue+1]
	}
	rec.Value = b
	return rec
}

// decodeEnvelope recognises an envelope: a JSON object whose top-level
// keys are all envelope keys and which has a payload. A provider payload
// has other keys, so it is never mistaken for one.
//
// Decoding runs on the fetch loop, serially, so the common case takes one
// scan of the line (a strict decode) and falls back to a slower probe only
// when that fails.
func decodeEnvelope(b []byte) (*lineEnvelope, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return nil, false
	}
	var env lineEnvelope
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if dec.Decode(&env) == nil && dec.InputOffset() == int64(len(b)) {
		if env.Payload == nil && env.PayloadBase64 == nil {
			return nil, false
		}
		return &env, true
	}
	// Unknown keys (a provider payload), malformed fields or trailing
	// bytes: find out which.
	var top map[string]json.RawMessage
	if json.Unmarshal(b, &top) != nil {
		return nil, false
	}
	_, hasPayload := top["payload"]
	_, hasB64 := top["payload_base64"]
	if !hasPayload && !hasB64 {
		return nil, false
	}
	for k := range top {
		if !envelopeKeys[k] {
			return nil, false
		}
	}
	if json.Unmarshal(b, &env) != nil {
		// The envelope's own fields are malformed (a time that is no RFC
		// 3339 time, a number as call id): nothing in it can be trusted.
		return &lineEnvelope{}, true
	}
	return &env, true
}

// applyEnvelope fills rec from env. An envelope without a usable payload
// leaves Value empty, which the parser refuses as missing_field: the
// record is dead-lettered with its position, never with its content.
func applyEnvelope(rec *stages.Record, env *lineEnvelope) {
	key := env.CallID
	if key == "" {
		key = env.Key
	}
	if key != "" {
		rec.Key = []byte(key)
	}
	rec.Provider = stages.Provider(env.Provider)
	if rec.Provider == "" {
		rec.Provider = stages.Provider(env.Headers["provider"])
	}
	rec.CallProvider = stages.Provider(env.CallProvider)
	if rec.CallProvider == "" {
		rec.CallProvider = stages.Provider(env.Headers["call-provider"])
	}
	if env.Time != nil {
		rec.Time = *env.Time
	}
	switch p := bytes.TrimSpace(env.Payload); {
	case len(p) > 0 && p[0] == '"':
		// encoding/json validated the envelope, so the literal is
		// well-formed; a payload's invalid UTF-8 is kept for the parser.
		rec.Value, _ = jsonstr.Unquote(p)
	case len(p) > 0 && !bytes.Equal(p, []byte("null")):
		rec.Value = p // an object (or anything else, for the parser to judge)
	case env.PayloadBase64 != nil:
		if v, err := base64.StdEncoding.DecodeString(*env.PayloadBase64); err == nil {
			rec.Value = v
		}
	}
}

// countingReader counts bytes read into n (progress).
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// unitKind classifies a name: line files are *.jsonl and *.ndjson.
func unitKind(name string) (lines, gz bool) {
	base := strings.ToLower(name)
	if strings.HasSuffix(base, ".gz") {
		gz, base = true, strings.TrimSuffix(base, ".gz")
	}
	return strings.HasSuffix(base, ".jsonl") || strings.HasSuffix(base, ".ndjson"), gz
}

// localUnits lists a file or directory.
type localUnits struct{ root string }

func (l localUnits) list(_ context.Context) ([]unit, error) {
	fi, err := os.Stat(l.root)
	if err != nil {
		return nil, fmt.Errorf("file source: input: %w", scrubName(err))
	}
	if !fi.IsDir() {
		_, gz := unitKind(l.root)
		// A single file is always read line by line, whatever its name.
		return []unit{{name: l.root, size: fi.Size(), mtime: fi.ModTime(), lines: true, gzip: gz}}, nil
	}
	var units []unit
	err = filepath.WalkDir(l.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// Hidden entries (.git, editor swap files, a checkpoint's temp
		// file) are not input.
		if path != l.root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		lines, gz := unitKind(d.Name())
		units = append(units, unit{name: path, size: info.Size(), mtime: info.ModTime(), lines: lines, gzip: gz})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("file source: list input directory: %w", scrubName(err))
	}
	// WalkDir visits in lexical order per directory; sort the full paths
	// so the order is plainly "by name".
	slices.SortFunc(units, func(a, b unit) int { return strings.Compare(a.name, b.name) })
	return units, nil
}

func (l localUnits) open(_ context.Context, u unit) (io.ReadCloser, error) {
	return os.Open(u.name)
}

// s3Units lists and reads objects under a prefix through minio-go.
type s3Units struct {
	client         *minio.Client
	bucket, prefix string
}

func newS3Units(input string, cfg S3Config) (*s3Units, error) {
	rest := strings.TrimPrefix(input, "s3://")
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return nil, errors.New("file source: s3 input must be s3://bucket[/prefix]")
	}
	endpoint := strings.TrimPrefix(cfg.Endpoint, "https://")
	switch {
	case endpoint == "":
		return nil, errors.New("file source: s3 input needs an endpoint (--s3-endpoint)")
	case strings.HasPrefix(endpoint, "http://") || strings.Contains(endpoint, "/"):
		return nil, errors.New("file source: s3 endpoint must be host[:port] (use the insecure option for a plain-HTTP test server)")
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKeyID, cfg.SecretAccessKey, cfg.SessionToken),
		Secure: !cfg.Insecure,
		Region: cfg.Region,
	})
	if err != nil {
		return nil, errors.New("file source: s3 endpoint not usable")
	}
	return &s3Units{client: client, bucket: bucket, prefix: prefix}, nil
}

func (s *s3Units) list(ctx context.Context) ([]unit, error) {
	var units []unit
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return nil, s3Error("list objects", obj.Err)
		}
		if strings.HasSuffix(obj.Key, "/") {
			continue // a folder marker
		}
		lines, gz := unitKind(obj.Key)
		units = append(units, unit{name: obj.Key, size: obj.Size, mtime: obj.LastModified, tag: obj.ETag, lines: lines, gzip: gz})
	}
	slices.SortFunc(units, func(a, b unit) int { return strings.Compare(a.name, b.name) })
	return units, nil
}

func (s *s3Units) open(ctx context.Context, u unit) (io.ReadCloser, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, u.name, minio.GetObjectOptions{})
	if err != nil {
		return nil, s3Error("get object", err)
	}
	return obj, nil
}

// s3Error keeps the S3 error code only: minio's messages quote the key.
func s3Error(op string, err error) error {
	return fmt.Errorf("file source: s3 %s: %w", op, scrubName(err))
}

// scrubName drops file names and object keys from an error: a name can
// hold a call id, and errors end up in logs. What remains is the cause
// (ENOENT, EACCES, an S3 error code, a gzip checksum error).
func scrubName(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	if code := minio.ToErrorResponse(err).Code; code != "" {
		return errors.New(code)
	}
	var ue *url.Error // quotes the object's URL
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Progress is how far a bounded source has read (Source.Progress).
type Progress struct {
	Done, Total int64
	// Unit is "bytes" or "records".
	Unit string
}

// String renders "12.3 MB of 40.0 MB (30%)" or "1200 of 5000 records (24%)".
func (p Progress) String() string {
	pct := ""
	if p.Total > 0 {
		pct = " (" + strconv.FormatInt(min(100, 100*p.Done/p.Total), 10) + "%)"
	}
	if p.Unit == "bytes" {
		return fmt.Sprintf("%.1f MB of %.1f MB%s", float64(p.Done)/1e6, float64(p.Total)/1e6, pct)
	}
	return fmt.Sprintf("%d of %d %s%s", p.Done, p.Total, p.Unit, pct)
}
