package hubspot

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"
)

// Defaults. RequestsPer10s is HubSpot's Free/Starter burst limit; raise it to
// the account's tier (190 Professional/Enterprise, 250 with the API add-on).
const (
	DefaultURL              = "https://api.hubapi.com"
	DefaultKeyProperty      = "callveil_call_key"
	DefaultRequestsPer10s   = 100
	DefaultSearchPerSecond  = 4
	DefaultMaxRetries       = 5
	DefaultRetryBaseDelay   = 500 * time.Millisecond
	DefaultRetryMaxDelay    = 30 * time.Second
	DefaultTimeout          = 30 * time.Second
	DefaultContactCacheTTL  = 10 * time.Minute
	DefaultContactCacheSize = 10_000

	// TokenEnv is the environment variable TokenFromEnvOrFile reads.
	TokenEnv = "HUBSPOT_TOKEN"
)

// Config configures a HubSpotSink. Start from DefaultConfig: the booleans
// CreateProperty and Associate are true there, false in a zero Config.
type Config struct {
	// URL is HubSpot's API base URL; tests point it at hubspottest. Plain
	// http is allowed only for loopback hosts so the token never crosses a
	// network in clear text.
	URL string
	// Token is the private app's access token. It is never logged, printed
	// or put in an error; String, GoString and LogValue mask it.
	Token string
	// KeyProperty is the custom unique-valued call property that holds the
	// call key and serves as upsert idProperty.
	KeyProperty string
	// CreateProperty lets New create KeyProperty when it is missing.
	CreateProperty bool
	// SkipPropertyCheck skips the start-up check of KeyProperty entirely.
	SkipPropertyCheck bool
	// Associate links each call to the contact owning the external number.
	Associate bool
	// RequestsPer10s is the account's request budget per RateWindow.
	RequestsPer10s int
	// RateWindow is the window RequestsPer10s counts over: 10 s, HubSpot's.
	// Only tests scale it down.
	RateWindow time.Duration
	// SearchPerSecond is the separate budget of the CRM search endpoints.
	SearchPerSecond int
	// MaxRetries is how often one request is retried after 429, 5xx,
	// network errors and timeouts before Write gives up with a transient
	// error. 0 means DefaultMaxRetries.
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay bound the exponential backoff.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// Timeout bounds one HTTP attempt.
	Timeout time.Duration
	// ContactCacheTTL and ContactCacheSize bound the in-memory cache of
	// number → contact id lookups (negative answers included).
	ContactCacheTTL  time.Duration
	ContactCacheSize int
	// HTTPClient defaults to a client of its own. Its Timeout, if any, adds
	// to Timeout.
	HTTPClient *http.Client
	// Logger gets value-free diagnostics; nil discards them.
	Logger *slog.Logger
}

// DefaultConfig returns the defaults; set Token (and URL in tests).
func DefaultConfig() Config {
	return Config{
		URL:              DefaultURL,
		KeyProperty:      DefaultKeyProperty,
		CreateProperty:   true,
		Associate:        true,
		RequestsPer10s:   DefaultRequestsPer10s,
		RateWindow:       10 * time.Second,
		SearchPerSecond:  DefaultSearchPerSecond,
		MaxRetries:       DefaultMaxRetries,
		RetryBaseDelay:   DefaultRetryBaseDelay,
		RetryMaxDelay:    DefaultRetryMaxDelay,
		Timeout:          DefaultTimeout,
		ContactCacheTTL:  DefaultContactCacheTTL,
		ContactCacheSize: DefaultContactCacheSize,
	}
}

var keyPropertyName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,99}$`)

// withDefaults fills zero numeric fields and validates. Errors name fields,
// never values (a mistyped token must not end up in a log).
func (c Config) withDefaults() (Config, error) {
	// cmp.Or keeps a field that is set and fills a zero one.
	c.URL = cmp.Or(c.URL, DefaultURL)
	c.KeyProperty = cmp.Or(c.KeyProperty, DefaultKeyProperty)
	c.RequestsPer10s = cmp.Or(c.RequestsPer10s, DefaultRequestsPer10s)
	c.RateWindow = cmp.Or(c.RateWindow, 10*time.Second)
	c.SearchPerSecond = cmp.Or(c.SearchPerSecond, DefaultSearchPerSecond)
	c.MaxRetries = cmp.Or(c.MaxRetries, DefaultMaxRetries)
	c.RetryBaseDelay = cmp.Or(c.RetryBaseDelay, DefaultRetryBaseDelay)
	c.RetryMaxDelay = cmp.Or(c.RetryMaxDelay, DefaultRetryMaxDelay)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	c.ContactCacheTTL = cmp.Or(c.ContactCacheTTL, DefaultContactCacheTTL)
	c.ContactCacheSize = cmp.Or(c.ContactCacheSize, DefaultContactCacheSize)
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}

	var errs []error
	u, err := url.Parse(c.URL)
	switch {
	case err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		errs = append(errs, errors.New("hubspot: URL must be an absolute http(s) URL"))
	case u.Scheme == "http" && !isLoopback(u.Hostname()):
		errs = append(errs, errors.New("hubspot: URL must use https unless the host is loopback"))
	case u.User != nil || u.RawQuery != "" || u.Fragment != "":
		errs = append(errs, errors.New("hubspot: URL must not carry credentials, a query or a fragment"))
	}
	c.URL = strings.TrimRight(c.URL, "/")
	if c.Token == "" {
		errs = append(errs, errors.New("hubspot: Token is required (HUBSPOT_TOKEN or --hubspot-token-file)"))
	} else if strings.ContainsAny(c.Token, " \t\r\n") {
		errs = append(errs, errors.New("hubspot: Token must not contain whitespace"))
	}
	if !keyPropertyName.MatchString(c.KeyProperty) {
		errs = append(errs, errors.New("hubspot: KeyProperty must be a HubSpot internal name (a-z, 0-9, _)"))
	}
	if c.RequestsPer10s < 10 {
		// HubSpot's smallest budget is 100; below 10 a token bucket cannot
		// pace usefully under a rolling window.
		errs = append(errs, errors.New("hubspot: RequestsPer10s must be at least 10"))
	}
	if c.RateWindow < time.Millisecond {
		errs = append(errs, errors.New("hubspot: RateWindow must be at least 1ms"))
	}
	if c.SearchPerSecond < 1 {
		errs = append(errs, errors.New("hubspot: SearchPerSecond must be positive"))
	}
	if c.MaxRetries < 0 {
		errs = append(errs, errors.New("hubspot: MaxRetries must not be negative"))
	}
	if c.RetryBaseDelay < 0 || c.RetryMaxDelay < c.RetryBaseDelay {
		errs = append(errs, errors.New("hubspot: need 0 <= RetryBaseDelay <= RetryMaxDelay"))
	}
	if c.Timeout < 0 || c.ContactCacheTTL < 0 || c.ContactCacheSize < 0 {
		errs = append(errs, errors.New("hubspot: Timeout, ContactCacheTTL and ContactCacheSize must not be negative"))
	}
	return c, errors.Join(errs...)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func maskToken(tok string) string {
	if tok == "" {
		return "unset"
	}
	return "[REDACTED]"
}

// String describes the config with the token masked.
func (c Config) String() string {
	return fmt.Sprintf("hubspot.Config{URL:%q Token:%s KeyProperty:%q CreateProperty:%t SkipPropertyCheck:%t "+
		"Associate:%t RequestsPer10s:%d RateWindow:%s SearchPerSecond:%d MaxRetries:%d Timeout:%s}",
		c.URL, maskToken(c.Token), c.KeyProperty, c.CreateProperty, c.SkipPropertyCheck,
		c.Associate, c.RequestsPer10s, c.RateWindow, c.SearchPerSecond, c.MaxRetries, c.Timeout)
}

// GoString keeps %#v from printing the token.
func (c Config) GoString() string { return c.String() }

// Format makes every verb, %+v included, go through String: without it
// %+v would print the struct fields and with them the token.
func (c Config) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", c.String())
		return
	}
	_, _ = f.Write([]byte(c.String()))
}

// LogValue masks the token for slog.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("url", c.URL),
		slog.String("token", maskToken(c.Token)),
		slog.String("key_property", c.KeyProperty),
		slog.Bool("create_property", c.CreateProperty),
		slog.Bool("skip_property_check", c.SkipPropertyCheck),
		slog.Bool("associate", c.Associate),
		slog.Int("requests_per_10s", c.RequestsPer10s),
		slog.Duration("rate_window", c.RateWindow),
		slog.Int("search_per_second", c.SearchPerSecond),
		slog.Int("max_retries", c.MaxRetries),
		slog.Duration("timeout", c.Timeout),
	)
}

// TokenFromEnvOrFile returns the HubSpot token from file when file is not
// empty (an explicit --hubspot-token-file wins), else from HUBSPOT_TOKEN.
// Surrounding whitespace (a trailing newline) is dropped. Errors never
// contain the token.
func TokenFromEnvOrFile(file string) (string, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return "", fmt.Errorf("hubspot: reading token file: %w", pe.Err)
			}
			return "", errors.New("hubspot: reading token file failed")
		}
		tok := strings.TrimSpace(string(b))
		if tok == "" {
			return "", errors.New("hubspot: token file is empty")
		}
		if strings.ContainsAny(tok, " \t\r\n") {
			return "", errors.New("hubspot: token file must hold one token on one line")
		}
		return tok, nil
	}
	tok := strings.TrimSpace(os.Getenv(TokenEnv))
	if tok == "" {
		return "", errors.New("hubspot: no token: set " + TokenEnv + " or --hubspot-token-file")
	}
	return tok, nil
}
