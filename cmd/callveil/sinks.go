package main

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
	"github.com/callveil/callveil/sinks/objectstore"
)

// SinkFlags chooses where redacted calls go. `run` and `reprocess` share
// them, so both write to the same places in the same idempotent way. The
// groups are declared once and embedded: `forget` and `retention` embed
// only the access part of each (hubSpotAccessFlags, objectStoreFlags), so
// their help lists only flags they use.
type SinkFlags struct {
	OutDir string `name:"out-dir" env:"CALLVEIL_OUT_DIR" help:"Write redacted calls as JSON lines to DIR/calls.jsonl."`

	HubSpotFlags    `embed:""`
	AggregatesFlags `embed:""`
}

// hubSpotAccessFlags reach the HubSpot account and find callveil's calls
// there.
type hubSpotAccessFlags struct {
	HubSpotURL         string `name:"hubspot-url" env:"CALLVEIL_HUBSPOT_URL" default:"https://api.hubapi.com" help:"HubSpot API base URL."`
	HubSpotTokenFile   string `name:"hubspot-token-file" env:"CALLVEIL_HUBSPOT_TOKEN_FILE" type:"path" help:"File holding the HubSpot private app token (or set HUBSPOT_TOKEN). With a token, calls go to HubSpot."`
	HubSpotKeyProperty string `name:"hubspot-key-property" env:"CALLVEIL_HUBSPOT_KEY_PROPERTY" default:"callveil_call_key" help:"Unique call property holding the call key (upsert id)."`
	HubSpotRate        int    `name:"hubspot-requests-per-10s" env:"CALLVEIL_HUBSPOT_REQUESTS_PER_10S" default:"100" help:"The account's HubSpot request budget per 10 seconds (100, 190 or 250)."`
}

// HubSpotFlags configure the HubSpot sink.
type HubSpotFlags struct {
	hubSpotAccessFlags  `embed:""`
	HubSpotSkipProperty bool `name:"hubspot-skip-property-check" env:"CALLVEIL_HUBSPOT_SKIP_PROPERTY_CHECK" help:"Do not check or create the key property at start."`
	HubSpotNoAssociate  bool `name:"hubspot-no-associate" env:"CALLVEIL_HUBSPOT_NO_ASSOCIATE" help:"Do not associate calls with the contact owning the external number."`
}

// objectStoreFlags reach where aggregates are stored and say how long they
// are kept.
type objectStoreFlags struct {
	S3Endpoint    string `name:"s3-endpoint" env:"CALLVEIL_S3_ENDPOINT" help:"S3-compatible endpoint (host:port) for anonymised aggregates; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY."`
	S3Bucket      string `name:"s3-bucket" env:"CALLVEIL_S3_BUCKET" default:"callveil-aggregates" help:"Bucket for aggregates (created when missing)."`
	S3Prefix      string `name:"s3-prefix" env:"CALLVEIL_S3_PREFIX" help:"Key prefix for aggregates."`
	S3Region      string `name:"s3-region" env:"CALLVEIL_S3_REGION" help:"Bucket region (empty: discover)."`
	S3Insecure    bool   `name:"s3-insecure" env:"CALLVEIL_S3_INSECURE" help:"Talk plain HTTP to the endpoint (local test servers only; TLS is on by default)."`
	AggregatesDir string `name:"aggregates-dir" env:"CALLVEIL_AGGREGATES_DIR" help:"Write aggregates as Parquet under DIR instead of a bucket."`
	RetentionDays int    `name:"retention-days" env:"CALLVEIL_RETENTION_DAYS" default:"365" help:"Aggregates expire after this many days (bucket lifecycle rule)."`
}

// AggregatesFlags configure the aggregates sink.
type AggregatesFlags struct {
	objectStoreFlags `embed:""`
	WriterID         string        `name:"writer-id" env:"CALLVEIL_WRITER_ID" default:"w0" help:"This instance's aggregates writer id: unique per instance, stable across restarts."`
	Window           time.Duration `name:"aggregate-window" env:"CALLVEIL_AGGREGATE_WINDOW" default:"1h" help:"Aggregation window by call start time."`
	Lateness         time.Duration `name:"aggregate-lateness" env:"CALLVEIL_AGGREGATE_LATENESS" default:"2h" help:"How late a call may arrive for its window; at least --join-ttl plus your longest calls."`
	KAnonymity       int           `name:"k-anonymity" env:"CALLVEIL_K_ANONYMITY" default:"5" help:"Cells with fewer calls are merged into an other row or dropped."`
}

// objectStoreConfig returns the object store's config for listing and
// expiring aggregates, or ok=false when neither an endpoint nor a
// directory is set.
func (f *objectStoreFlags) objectStoreConfig() (cfg objectstore.Config, ok bool) {
	if f.S3Endpoint == "" && f.AggregatesDir == "" {
		return cfg, false
	}
	cfg = objectstore.Config{
		Endpoint: f.S3Endpoint, Insecure: f.S3Insecure, Region: f.S3Region, Bucket: f.S3Bucket, Prefix: f.S3Prefix,
		Credentials: objectstore.CredentialsFromEnv(), Dir: f.AggregatesDir, RetentionDays: f.RetentionDays,
	}
	if f.S3Endpoint != "" {
		cfg.Dir = ""
	}
	return cfg, true
}

// sinkConfig returns the aggregates sink config, or ok=false when neither
// an endpoint nor a directory is set (the sink is then off).
func (f *AggregatesFlags) sinkConfig(secret []byte) (cfg objectstore.Config, ok bool) {
	cfg, ok = f.objectStoreConfig()
	cfg.WriterID, cfg.Window, cfg.Lateness, cfg.K, cfg.HashSecret = f.WriterID, f.Window, f.Lateness, f.KAnonymity, secret
	return cfg, ok
}

// hubSpotConfig returns the HubSpot config, or ok=false when no token is
// configured (the sink is then off).
func (f *hubSpotAccessFlags) hubSpotConfig(logger *slog.Logger) (cfg hubspot.Config, ok bool, err error) {
	if f.HubSpotTokenFile == "" && os.Getenv(hubspot.TokenEnv) == "" {
		return cfg, false, nil
	}
	token, err := hubspot.TokenFromEnvOrFile(f.HubSpotTokenFile)
	if err != nil {
		return cfg, false, err
	}
	cfg = hubspot.DefaultConfig()
	cfg.URL, cfg.Token, cfg.KeyProperty = f.HubSpotURL, token, f.HubSpotKeyProperty
	cfg.RequestsPer10s, cfg.Logger = f.HubSpotRate, logger
	return cfg, true, nil
}

// sinkConfig is hubSpotConfig with the sink's own settings.
func (f *HubSpotFlags) sinkConfig(logger *slog.Logger) (cfg hubspot.Config, ok bool, err error) {
	cfg, ok, err = f.hubSpotConfig(logger)
	cfg.SkipPropertyCheck, cfg.Associate = f.HubSpotSkipProperty, !f.HubSpotNoAssociate
	return cfg, ok, err
}

// Build opens every configured sink without the aggregates sink's key;
// prefer BuildKeyed.
func (f *SinkFlags) Build(ctx context.Context, logger *slog.Logger) ([]sinks.Sink, error) {
	return f.BuildKeyed(ctx, logger, nil)
}

// BuildKeyed opens every configured sink; secret keys the aggregates'
// number and call-key hashes. The caller closes the sinks.
func (f *SinkFlags) BuildKeyed(ctx context.Context, logger *slog.Logger, secret []byte) ([]sinks.Sink, error) {
	var ss []sinks.Sink
	fail := func(err error) ([]sinks.Sink, error) {
		closeSinks(ss)
		return nil, err
	}
	if f.OutDir != "" {
		fs, err := sinks.NewFileSink(sinks.FileSinkConfig{Dir: f.OutDir})
		if err != nil {
			return fail(err)
		}
		ss = append(ss, fs)
	}
	if cfg, ok, err := f.HubSpotFlags.sinkConfig(logger); err != nil {
		return fail(err)
	} else if ok {
		hs, err := hubspot.New(ctx, cfg)
		if err != nil {
			return fail(err)
		}
		ss = append(ss, hs)
	}
	if cfg, ok := f.AggregatesFlags.sinkConfig(secret); ok {
		agg, err := objectstore.New(ctx, cfg)
		if err != nil {
			return fail(err)
		}
		ss = append(ss, agg)
	}
	if len(ss) == 0 {
		return nil, errors.New("no sink configured: set --out-dir, a HubSpot token (HUBSPOT_TOKEN or --hubspot-token-file), or an S3 endpoint")
	}
	return ss, nil
}
