package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
)

// DefaultTopic is the compacted topic holding objections and tombstones.
const DefaultTopic = "calls.privacy"

// Kind says what a privacy record means.
type Kind string

const (
	// KindObjection: calls with this number are not processed beyond
	// minimisation, from now on, until the objection is removed.
	KindObjection Kind = "objection"
	// KindTombstone: everything callveil wrote for this number was deleted;
	// calls that started before At must not be written again (a replay or
	// reprocess of old traffic).
	KindTombstone Kind = "tombstone"
)

// Config configures a Store and a Policy.
type Config struct {
	// Brokers are Kafka bootstrap addresses. Required.
	Brokers []string
	// Topic is the compacted privacy topic. Default DefaultTopic.
	Topic string
	// KeySecret keys the number hashes: the pipeline's key secret (≥ 16
	// bytes). Required. Rotating it orphans every stored objection and
	// tombstone, since the numbers cannot be recovered to re-hash them.
	KeySecret []byte
	// Partitions and ReplicationFactor are used when the topic is created.
	// Defaults 1 (a small list; one partition keeps it in order) and -1
	// (the cluster's default replication).
	Partitions, ReplicationFactor int
	// ReadyTimeout bounds how long OpenPolicy waits to have read the topic
	// up to its end. Default 30s.
	ReadyTimeout time.Duration
	// Logger receives value-free events. Default: discard.
	Logger *slog.Logger
	// Now is the clock (tests). Default time.Now.
	Now func() time.Time
}

func (c *Config) validate() error {
	if c.Topic == "" {
		c.Topic = DefaultTopic
	}
	if c.Partitions == 0 {
		c.Partitions = 1
	}
	if c.ReplicationFactor == 0 {
		c.ReplicationFactor = -1
	}
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	switch {
	case len(c.Brokers) == 0:
		return errors.New("privacy: brokers: at least one broker address is required")
	case len(c.KeySecret) < 16:
		return errors.New("privacy: key-secret: must be at least 16 bytes")
	case c.Partitions < 0:
		return errors.New("privacy: partitions: must be positive")
	case c.ReadyTimeout < 0:
		return errors.New("privacy: ready-timeout: must not be negative")
	}
	return nil
}

// record is the value of a privacy record. It holds no number, only what
// kind of promise the key stands for and since when.
type record struct {
	Kind Kind      `json:"kind"`
	At   time.Time `json:"at"`
}

// recordKey is "<kind>:<number hash>". Objections and tombstones of one
// number have different keys so that compaction keeps both, and removing
// an objection (a null value under its key) cannot remove a tombstone.
func recordKey(kind Kind, hash string) string { return string(kind) + ":" + hash }

func parseKey(key []byte) (Kind, string, bool) {
	kind, hash, ok := strings.Cut(string(key), ":")
	if !ok || len(hash) != 64 {
		return "", "", false
	}
	switch Kind(kind) {
	case KindObjection, KindTombstone:
		return Kind(kind), hash, true
	}
	return "", "", false
}

// Store writes and reads the privacy topic.
//
// Why a compacted Kafka topic: every instance of callveil already reads
// Kafka, so the list needs no new datastore and no new credentials; a
// compacted topic keeps exactly the latest record per key forever (an
// objection stays until removed, a tombstone for good) while a removed
// objection's null record is itself compacted away, so what remains of a
// withdrawn objection is nothing; and instances learn of changes by
// tailing it, without polling or restarts.
type Store struct {
	cfg    Config
	client *kafka.Client
	w      *kafka.Writer
}

// OpenStore validates cfg and creates the topic (compacted) when missing.
// An existing topic that is not purely compacted is refused: its retention
// would silently drop objections.
func OpenStore(ctx context.Context, cfg Config) (*Store, error) {
	client, err := cfg.openTopic(ctx)
	if err != nil {
		return nil, err
	}
	return &Store{cfg: cfg, client: client, w: &kafka.Writer{
		Addr:  kafka.TCP(cfg.Brokers...),
		Topic: cfg.Topic,
		// The same key always lands in the same partition, so the order of
		// add and remove of one objection is kept.
		Balancer:     &kafka.Hash{},
		RequiredAcks: kafka.RequireAll,
		BatchTimeout: 5 * time.Millisecond,
	}}, nil
}

// Close releases the writer.
func (s *Store) Close() error { return s.w.Close() }

// Topic is the privacy topic's name.
func (s *Store) Topic() string { return s.cfg.Topic }

// Hash is NumberHash with the store's secret.
func (s *Store) Hash(e164 string) string { return NumberHash(s.cfg.KeySecret, e164) }

// Add durably records kind for the E.164 number. Adding twice is harmless:
// compaction keeps the latest.
func (s *Store) Add(ctx context.Context, kind Kind, e164 string) error {
	if _, _, ok := parseKey([]byte(recordKey(kind, s.Hash(e164)))); !ok {
		return errors.New("privacy: unknown record kind")
	}
	body, err := json.Marshal(record{Kind: kind, At: s.cfg.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return err
	}
	return s.write(ctx, kafka.Message{Key: []byte(recordKey(kind, s.Hash(e164))), Value: body})
}

// RemoveObjection writes a Kafka tombstone (null value) for the number's
// objection; compaction then drops both. Tombstones of deletions are never
// removed by callveil.
func (s *Store) RemoveObjection(ctx context.Context, e164 string) error {
	return s.write(ctx, kafka.Message{Key: []byte(recordKey(KindObjection, s.Hash(e164)))})
}

func (s *Store) write(ctx context.Context, m kafka.Message) error {
	if err := s.w.WriteMessages(ctx, m); err != nil {
		return fmt.Errorf("privacy: writing to topic %s: %w", s.cfg.Topic, err)
	}
	return nil
}

// Snapshot is the privacy list as read up to the topic's end.
type Snapshot struct {
	// Objections are number hashes, sorted.
	Objections []string
	// Tombstones maps number hashes to the time of the deletion.
	Tombstones map[string]time.Time
}

// Snapshot reads the whole topic once, up to the end offsets it finds at
// the start.
func (s *Store) Snapshot(ctx context.Context) (Snapshot, error) {
	st := newState()
	tl, err := newTailer(ctx, s.cfg, st)
	if err != nil {
		return Snapshot{}, err
	}
	defer tl.close()
	if err := tl.readToEnd(ctx); err != nil {
		return Snapshot{}, err
	}
	return st.snapshot(), nil
}

// state is the in-memory privacy list.
type state struct {
	mu         sync.RWMutex
	objections map[string]struct{}
	tombstones map[string]time.Time
}

func newState() *state {
	return &state{objections: map[string]struct{}{}, tombstones: map[string]time.Time{}}
}

// farFuture stands in for a tombstone whose time cannot be read: privacy by
// default treats it as covering every call.
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// apply folds one record into the state. Records it cannot read are
// ignored except that an unreadable tombstone time covers every call.
func (st *state) apply(m kafka.Message) {
	kind, hash, ok := parseKey(m.Key)
	if !ok {
		return
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if len(m.Value) == 0 { // a Kafka tombstone: the key's record is withdrawn
		switch kind {
		case KindObjection:
			delete(st.objections, hash)
		case KindTombstone:
			delete(st.tombstones, hash)
		}
		return
	}
	switch kind {
	case KindObjection:
		st.objections[hash] = struct{}{}
	case KindTombstone:
		var r record
		at := farFuture
		if json.Unmarshal(m.Value, &r) == nil && !r.At.IsZero() {
			at = r.At
		}
		// Several deletions of one number: the latest covers the others.
		if cur, ok := st.tombstones[hash]; !ok || at.After(cur) {
			st.tombstones[hash] = at
		}
	}
}

func (st *state) snapshot() Snapshot {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := Snapshot{Tombstones: make(map[string]time.Time, len(st.tombstones))}
	for h := range st.objections {
		out.Objections = append(out.Objections, h)
	}
	sort.Strings(out.Objections)
	for h, at := range st.tombstones {
		out.Tombstones[h] = at
	}
	return out
}

// ensureCompactedTopic creates topic with cleanup.policy=compact, or checks
// that an existing one is compacted and not also deleting by retention.
// openTopic validates c (filling its defaults) and creates the compacted
// topic when missing; the client it returns reaches c's brokers.
func (c *Config) openTopic(ctx context.Context) (*kafka.Client, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	client := &kafka.Client{Addr: kafka.TCP(c.Brokers...), Timeout: 30 * time.Second}
	if err := ensureCompactedTopic(ctx, client, c.Topic, c.Partitions, c.ReplicationFactor); err != nil {
		return nil, err
	}
	return client, nil
}

func ensureCompactedTopic(ctx context.Context, client *kafka.Client, topic string, partitions, rf int) error {
	resp, err := client.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
		Topic: topic, NumPartitions: partitions, ReplicationFactor: rf,
		ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: "compact"}},
	}}})
	if err != nil {
		return fmt.Errorf("privacy: creating topic %s: %w", topic, err)
	}
	err = resp.Errors[topic]
	if err == nil {
		return nil
	}
	if !errors.Is(err, kafka.TopicAlreadyExists) {
		return fmt.Errorf("privacy: creating topic %s: %w", topic, err)
	}
	cfgs, err := describeTopic(ctx, client, topic, "cleanup.policy")
	if err != nil {
		return err
	}
	if policy := cfgs["cleanup.policy"]; !strings.Contains(policy, "compact") || strings.Contains(policy, "delete") {
		return fmt.Errorf("privacy: topic %s has cleanup.policy=%q; it must be \"compact\" alone, or retention would drop objections and tombstones", topic, policy)
	}
	return nil
}

// describeTopic returns the named configs of topic.
func describeTopic(ctx context.Context, client *kafka.Client, topic string, names ...string) (map[string]string, error) {
	resp, err := client.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: []kafka.DescribeConfigRequestResource{{
		ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: names,
	}}})
	if err != nil {
		return nil, fmt.Errorf("privacy: describing topic %s: %w", topic, err)
	}
	out := map[string]string{}
	for _, r := range resp.Resources {
		if r.Error != nil {
			return nil, fmt.Errorf("privacy: describing topic %s: %w", topic, r.Error)
		}
		for _, e := range r.ConfigEntries {
			out[e.ConfigName] = e.ConfigValue
		}
	}
	return out, nil
}
