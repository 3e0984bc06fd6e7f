package objectstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/callveil/callveil/aggregates"
	"github.com/callveil/callveil/aggregates/aggtest"
	"github.com/callveil/callveil/sinks/objectstore"
	"github.com/callveil/callveil/stages"
)

func dirConfig(t *testing.T) objectstore.Config {
	return objectstore.Config{Dir: t.TempDir(), WriterID: "demo", HashSecret: aggtest.Secret(), Now: clock}
}

func readDir(t *testing.T, dir string) map[string][]aggregates.Row {
	t.Helper()
	objs := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		objs[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return parquetObjects(t, objs)
}

func TestConfigValidation(t *testing.T) {
	base := objectstore.Config{Endpoint: "127.0.0.1:9000", Bucket: "b", WriterID: "w1", HashSecret: aggtest.Secret(),
		Credentials: objectstore.Credentials{AccessKeyID: "a", SecretAccessKey: "s"}}
	tests := []struct {
		name string
		mod  func(*objectstore.Config)
	}{
		{"no writer id", func(c *objectstore.Config) { c.WriterID = "" }},
		{"writer id with a slash", func(c *objectstore.Config) { c.WriterID = "a/b" }},
		{"no bucket", func(c *objectstore.Config) { c.Bucket = "" }},
		{"plain http endpoint", func(c *objectstore.Config) { c.Endpoint = "http://127.0.0.1:9000" }},
		{"endpoint with a path", func(c *objectstore.Config) { c.Endpoint = "host/path" }},
		{"no credentials", func(c *objectstore.Config) { c.Credentials = objectstore.Credentials{} }},
		{"neither endpoint nor dir", func(c *objectstore.Config) { c.Endpoint = "" }},
		{"negative retention", func(c *objectstore.Config) { c.RetentionDays = -1 }},
		{"k below 2", func(c *objectstore.Config) { c.K = 1 }},
		{"short hash secret", func(c *objectstore.Config) { c.HashSecret = []byte("x") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := base
			tt.mod(&cfg)
			if _, err := objectstore.New(context.Background(), cfg); err == nil {
				t.Fatal("New accepted an invalid config")
			}
		})
	}
}

func TestCredentialsFromEnv(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret-example")
	t.Setenv("AWS_SESSION_TOKEN", "")
	got := objectstore.CredentialsFromEnv()
	if got != (objectstore.Credentials{AccessKeyID: "AKIAEXAMPLE", SecretAccessKey: "secret-example"}) {
		t.Errorf("CredentialsFromEnv = %+v", got)
	}
}

// TestSmallCellsSuppressed: k-1 calls in a window leave an empty object;
// k calls make one row.
func TestSmallCellsSuppressed(t *testing.T) {
	const k = 5
	tests := []struct {
		calls    int
		wantRows int
	}{{k - 1, 0}, {k, 1}}
	for _, tt := range tests {
		cfg := dirConfig(t)
		cfg.K = k
		s, err := objectstore.New(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		var calls []stages.RedactedCall
		for i := range tt.calls {
			calls = append(calls, stages.RedactedCall{Call: stages.Call{Key: aggtest.Key(4, i), Start: t0.Add(time.Duration(i) * time.Minute),
				From: "+33123456789", To: "+493022233300", Direction: stages.DirectionInbound, Status: stages.StatusCompleted, DurationSeconds: 61}})
		}
		writeBatches(t, s, calls, 2)
		if err := s.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		objs := readDir(t, cfg.Dir)
		rows, ok := objs[aggregates.ObjectKey("", t0, time.Hour, "demo")]
		if !ok || len(objs) != 1 {
			t.Fatalf("%d calls: objects %v", tt.calls, objs)
		}
		if len(rows) != tt.wantRows || tt.wantRows == 1 && (rows[0].Calls != k || rows[0].CallerCountry != "FR") {
			t.Errorf("%d calls: rows %+v, want %d", tt.calls, rows, tt.wantRows)
		}
	}
}

// TestRestartAfterCloseCompletesWindow: Close writes the open window as
// not final and keeps it in the checkpoint; the next run adds to it and
// replaces the same object.
func TestRestartAfterCloseCompletesWindow(t *testing.T) {
	cfg := dirConfig(t)
	calls := aggtest.Calls(8, 600, t0, 2*time.Hour, 0)
	ctx := context.Background()
	s, err := objectstore.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	writeBatches(t, s, calls[:150], 50) // all in 13:00
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	key := aggregates.ObjectKey("", t0, time.Hour, "demo")
	early := readDir(t, cfg.Dir)[key]
	s, err = objectstore.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	writeBatches(t, s, calls[150:], 50)
	if err := s.Close(ctx); err != nil {
		t.Fatal(err)
	}
	objs := readDir(t, cfg.Dir)
	if len(objs) != 2 {
		t.Fatalf("objects: %d, want 2", len(objs))
	}
	sum := func(rows []aggregates.Row) (n int64, final bool) {
		for _, r := range rows {
			n += r.Calls
			final = r.Final
		}
		return n, final
	}
	n0, f0 := sum(early)
	n1, f1 := sum(objs[key])
	truth := windowTruth(calls, time.Hour)[t0]
	if f0 || !f1 || n0 >= n1 || n1 > truth || n1 < truth-int64(aggregates.DefaultK) {
		t.Errorf("early %d final=%v; final %d final=%v; window had %d", n0, f0, n1, f1, truth)
	}
}

func TestExpiredInLocalDirectory(t *testing.T) {
	cfg := dirConfig(t)
	cfg.RetentionDays = 30
	s, err := objectstore.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	writeBatches(t, s, aggtest.Calls(9, 300, t0, 3*time.Hour, 0), 100)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-31 * 24 * time.Hour)
	oldKey := aggregates.ObjectKey("", t0, time.Hour, "demo")
	for _, k := range []string{oldKey, aggregates.StateKey("", "demo")} {
		if err := os.Chtimes(filepath.Join(cfg.Dir, filepath.FromSlash(k)), old, old); err != nil {
			t.Fatal(err)
		}
	}
	got, err := objectstore.Expired(context.Background(), cfg, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Key != oldKey {
		t.Errorf("Expired = %+v, want only %s (the checkpoint is never listed)", got, oldKey)
	}
}

// duckdbScript reads the written files with DuckDB (an independent Parquet
// implementation), hive partitioning on, and prints the schema and per
// window totals as JSON.
const duckdbScript = `
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const src = "read_parquet('" + process.argv[2] + "', hive_partitioning = true)";
  const schema = await con.runAndReadAll('DESCRIBE SELECT * FROM ' + src);
  const rows = await con.runAndReadAll(
    "SELECT CAST(dt AS VARCHAR) AS dt, CAST(hour AS INTEGER) AS hour, " +
    "strftime(min(window_start) AT TIME ZONE 'UTC', '%Y-%m-%dT%H:%M:%SZ') AS window_start, " +
    "CAST(sum(calls) AS DOUBLE) AS calls, CAST(sum(duration_total_s) AS DOUBLE) AS duration_total_s, " +
    "CAST(sum(coalesce(redactions['PERSON'], 0)) AS DOUBLE) AS person_redactions, " +
    "CAST(count(*) AS DOUBLE) AS n_rows, CAST(min(octet_length(external_numbers_hll)) AS DOUBLE) AS min_hll_len " +
    "FROM " + src + " GROUP BY ALL ORDER BY 1, 2");
  console.log(JSON.stringify({ schema: schema.getRowObjectsJson(), rows: rows.getRowObjectsJson() }));
})().catch((e) => { console.error(String(e)); process.exit(1); });
`

func TestDuckDBReadsTheParquet(t *testing.T) {
	nodePath := os.Getenv("CALLVEIL_DUCKDB_NODE_PATH")
	node, err := exec.LookPath("node")
	if nodePath == "" || err != nil {
		t.Skip("DuckDB for node not installed: run `source .ci/duckdb.sh` (CI does); needs node and npm")
	}
	cfg := dirConfig(t)
	cfg.K = 2
	s, err := objectstore.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	calls := aggtest.Calls(12, 900, t0, 3*time.Hour, 0)
	writeBatches(t, s, calls, 100)
	if err := s.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	script := filepath.Join(t.TempDir(), "read.cjs")
	if err := os.WriteFile(script, []byte(duckdbScript), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, script, filepath.Join(cfg.Dir, "aggregates", "v1", "*", "*", "*.parquet"))
	cmd.Env = append(os.Environ(), "NODE_PATH="+nodePath)
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("duckdb: %v: %s", err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var res struct {
		Schema []struct {
			Name string `json:"column_name"`
			Type string `json:"column_type"`
		}
		Rows []struct {
			DT              string  `json:"dt"`
			Hour            int     `json:"hour"`
			WindowStart     string  `json:"window_start"`
			Calls           float64 `json:"calls"`
			DurationTotal   float64 `json:"duration_total_s"`
			PersonRedaction float64 `json:"person_redactions"`
			NRows           float64 `json:"n_rows"`
			MinHLLLen       float64 `json:"min_hll_len"`
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("duckdb output %q: %v", out, err)
	}
	types := map[string]string{}
	for _, c := range res.Schema {
		types[c.Name] = c.Type
	}
	wantTypes := map[string]string{
		"window_start": "TIMESTAMP WITH TIME ZONE", "direction": "VARCHAR", "caller_country": "VARCHAR",
		"is_other": "BOOLEAN", "calls": "BIGINT", "duration_mean_s": "DOUBLE", "duration_p99_s": "DOUBLE",
		"duration_ddsketch": "BLOB", "external_numbers_hll": "BLOB", "distinct_external_numbers": "BIGINT",
		"redactions": "MAP(VARCHAR, BIGINT)", "dt": "DATE", "hour": "BIGINT",
	}
	for name, want := range wantTypes {
		if types[name] != want {
			t.Errorf("column %s: duckdb type %q, want %q", name, types[name], want)
		}
	}
	// Values, against the same windows computed from the Go reader's rows.
	goRows := readDir(t, cfg.Dir)
	if len(res.Rows) != len(goRows) || len(res.Rows) != 3 {
		t.Fatalf("duckdb saw %d windows, go reader %d", len(res.Rows), len(goRows))
	}
	truth := windowTruth(calls, time.Hour)
	for _, r := range res.Rows {
		start, err := time.Parse(time.RFC3339, r.WindowStart)
		if err != nil {
			t.Fatal(err)
		}
		if r.DT != start.Format("2006-01-02") || r.Hour != start.Hour() {
			t.Errorf("hive partition dt=%s hour=%d for window %s", r.DT, r.Hour, r.WindowStart)
		}
		var calls, dur, person int64
		rows := goRows[aggregates.ObjectKey("", start, time.Hour, "demo")]
		for _, g := range rows {
			calls += g.Calls
			dur += g.DurationTotalSeconds
			person += g.Redactions["PERSON"]
		}
		if int64(r.Calls) != calls || int64(r.DurationTotal) != dur || int64(r.PersonRedaction) != person || int(r.NRows) != len(rows) || r.MinHLLLen < 1 {
			t.Errorf("window %s: duckdb %+v; go reader calls %d duration %d person %d rows %d", r.WindowStart, r, calls, dur, person, len(rows))
		}
		if calls > truth[start] || calls < truth[start]-1 {
			t.Errorf("window %s: %d calls in rows, %d in the window", r.WindowStart, calls, truth[start])
		}
	}
	if !strings.Contains(string(out), "duration_ddsketch") {
		t.Error("schema lacks duration_ddsketch")
	}
}
