package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"github.com/callveil/callveil/sinks"
	"github.com/callveil/callveil/sinks/hubspot"
)

// SinkFlags chooses where redacted calls go. `run` and `reprocess` share
// them, so both write to the same places in the same idempotent way.
type SinkFlags struct {
	OutDir string `name:"out-dir" env:"CALLVEIL_OUT_DIR" help:"Write redacted calls as JSON lines to DIR/calls.jsonl."`

	HubSpotURL          string `name:"hubspot-url" env:"CALLVEIL_HUBSPOT_URL" default:"https://api.hubapi.com" help:"HubSpot API base URL."`
	HubSpotTokenFile    string `name:"hubspot-token-file" env:"CALLVEIL_HUBSPOT_TOKEN_FILE" type:"path" help:"File holding the HubSpot private app token (or set HUBSPOT_TOKEN). With a token, calls go to HubSpot."`
	HubSpotKeyProperty  string `name:"hubspot-key-property" env:"CALLVEIL_HUBSPOT_KEY_PROPERTY" default:"callveil_call_key" help:"Unique call property holding the call key (upsert id)."`
	HubSpotSkipProperty bool   `name:"hubspot-skip-property-check" env:"CALLVEIL_HUBSPOT_SKIP_PROPERTY_CHECK" help:"Do not check or create the key property at start."`
	HubSpotNoAssociate  bool   `name:"hubspot-no-associate" env:"CALLVEIL_HUBSPOT_NO_ASSOCIATE" help:"Do not associate calls with the contact owning the external number."`
	HubSpotRate         int    `name:"hubspot-requests-per-10s" env:"CALLVEIL_HUBSPOT_REQUESTS_PER_10S" default:"100" help:"The account's HubSpot request budget per 10 seconds (100, 190 or 250)."`
}

// hubSpotConfig returns the HubSpot sink config, or ok=false when no token
// is configured (the sink is then off).
func (f *SinkFlags) hubSpotConfig(logger *slog.Logger) (cfg hubspot.Config, ok bool, err error) {
	if f.HubSpotTokenFile == "" && os.Getenv(hubspot.TokenEnv) == "" {
		return cfg, false, nil
	}
	token, err := hubspot.TokenFromEnvOrFile(f.HubSpotTokenFile)
	if err != nil {
		return cfg, false, err
	}
	cfg = hubspot.DefaultConfig()
	cfg.URL, cfg.Token, cfg.KeyProperty = f.HubSpotURL, token, f.HubSpotKeyProperty
	cfg.SkipPropertyCheck, cfg.Associate = f.HubSpotSkipProperty, !f.HubSpotNoAssociate
	cfg.RequestsPer10s, cfg.Logger = f.HubSpotRate, logger
	return cfg, true, nil
}

// Build opens every configured sink. The caller closes them.
func (f *SinkFlags) Build(ctx context.Context, logger *slog.Logger) ([]sinks.Sink, error) {
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
	if cfg, ok, err := f.hubSpotConfig(logger); err != nil {
		return fail(err)
	} else if ok {
		hs, err := hubspot.New(ctx, cfg)
		if err != nil {
			return fail(err)
		}
		ss = append(ss, hs)
	}
	if len(ss) == 0 {
		return nil, errors.New("no sink configured: set --out-dir, a HubSpot token (HUBSPOT_TOKEN or --hubspot-token-file), or an S3 endpoint")
	}
	return ss, nil
}
