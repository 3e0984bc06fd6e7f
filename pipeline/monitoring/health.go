package monitoring

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/sinks"
)

// Pinger is implemented by sinks that can tell whether their backend is
// reachable right now, cheaply and without writing anything. Readiness asks
// every sink that implements it; a sink that does not is taken as ready.
type Pinger interface {
	Ping(ctx context.Context) error
}

// ReadinessConfig configures a Readiness.
type ReadinessConfig struct {
	// Brokers are asked for metadata of Topics; both required.
	Brokers []string
	Topics  []string
	// Sinks are pinged when they implement Pinger.
	Sinks []sinks.Sink
	// Timeout bounds one whole check. Default 3s.
	Timeout time.Duration
	// CacheFor reuses a check's result for this long, so that frequent
	// probes do not spend a rate-limited sink's request budget (HubSpot
	// counts every request). Default 5s; negative disables the cache.
	CacheFor time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// Readiness answers /readyz: Kafka reachable (a metadata request that
// names the input topics succeeds and finds them) and every pinging sink
// reachable. It is safe for concurrent use and runs no goroutine.
type Readiness struct {
	cfg ReadinessConfig

	mu      sync.Mutex
	last    ReadinessReport
	lastAt  time.Time
	checked bool
}

// ReadinessReport is the outcome of one check. Problems are fixed,
// value-free texts keyed by component ("kafka", a sink name).
type ReadinessReport struct {
	Ready    bool              `json:"ready"`
	Problems map[string]string `json:"problems,omitempty"`
}

// NewReadiness validates cfg.
func NewReadiness(cfg ReadinessConfig) (*Readiness, error) {
	if len(cfg.Brokers) == 0 {
		return nil, errors.New("readiness: brokers: at least one broker address is required")
	}
	if len(cfg.Topics) == 0 {
		return nil, errors.New("readiness: topics: at least one topic is required")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.CacheFor == 0 {
		cfg.CacheFor = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Topics = slices.Clone(cfg.Topics)
	cfg.Brokers = slices.Clone(cfg.Brokers)
	return &Readiness{cfg: cfg}, nil
}

// Check returns the current readiness, from the cache when it is fresh.
func (r *Readiness) Check(ctx context.Context) ReadinessReport {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.cfg.Now()
	if r.checked && r.cfg.CacheFor > 0 && now.Sub(r.lastAt) < r.cfg.CacheFor {
		return r.last
	}
	ctx, cancel := context.WithTimeout(ctx, r.cfg.Timeout)
	defer cancel()
	rep := ReadinessReport{Ready: true, Problems: map[string]string{}}
	if problem := r.checkKafka(ctx); problem != "" {
		rep.Problems["kafka"] = problem
	}
	for _, s := range r.cfg.Sinks {
		if p, ok := s.(Pinger); ok {
			if err := p.Ping(ctx); err != nil {
				// The sink's error text is its own fixed description; we
				// still do not expose it, only that the sink is down.
				rep.Problems["sink:"+s.Name()] = "unreachable"
			}
		}
	}
	rep.Ready = len(rep.Problems) == 0
	r.last, r.lastAt, r.checked = rep, now, true
	return rep
}

func (r *Readiness) checkKafka(ctx context.Context) string {
	// A fresh connection per check, not kafka.Client: its transport answers
	// metadata requests from a cache and would report a dead broker as
	// fine. Any one bootstrap broker answering is enough.
	d := &kafka.Dialer{Timeout: r.cfg.Timeout}
	problem := "unreachable"
	for _, addr := range r.cfg.Brokers {
		conn, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			continue
		}
		conn.SetDeadline(time.Now().Add(r.cfg.Timeout))
		// Metadata of all topics: naming them would let a broker with
		// auto-creation on create a missing one instead of reporting it.
		parts, err := conn.ReadPartitions()
		conn.Close()
		if err != nil {
			continue
		}
		found := map[string]bool{}
		for _, p := range parts {
			found[p.Topic] = true
		}
		for _, t := range r.cfg.Topics {
			if !found[t] {
				return "topic missing"
			}
		}
		return ""
	}
	return problem
}

// Close releases the readiness check's resources.
func (r *Readiness) Close() {}

// Handler serves /readyz: 200 with {"ready":true} or 503 with the problems.
func (r *Readiness) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rep := r.Check(req.Context())
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if !rep.Ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(rep)
	})
}

// LivenessHandler serves /healthz: the process is alive and serving HTTP.
func LivenessHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
}

// OpsMux serves /metrics, /healthz and /readyz. readiness may be nil
// (then /readyz is always ready: nothing to check).
func OpsMux(m *Metrics, readiness *Readiness) *http.ServeMux {
	mux := http.NewServeMux()
	if m != nil {
		mux.Handle("GET /metrics", m.Handler())
	}
	mux.Handle("GET /healthz", LivenessHandler())
	if readiness != nil {
		mux.Handle("GET /readyz", readiness.Handler())
	} else {
		mux.Handle("GET /readyz", LivenessHandler())
	}
	return mux
}
