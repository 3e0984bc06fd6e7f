// Package embeddedkafka runs an in-process broker that speaks the Kafka
// wire protocol, for `callveil demo` and the tests.
package embeddedkafka

import (
	"fmt"
	"strconv"

	"github.com/twmb/franz-go/pkg/kfake"
)

// Broker is an in-process broker that speaks the Kafka wire
// protocol (franz-go's kfake) on 127.0.0.1. It backs `callveil demo` and
// the tests: the pipeline talks to it exactly as to a real cluster.
type Broker struct {
	cluster *kfake.Cluster
}

// Config configures a Broker.
type Config struct {
	// Topics are created at start with Partitions partitions each (default 3).
	Topics     []string
	Partitions int
	// MaxMessageBytes raises the broker's record size limit (default 16 MiB)
	// so oversized poison records reach the pipeline, as they can from a
	// real cluster configured for large messages.
	MaxMessageBytes int
	// Ports to listen on; default one random port.
	Ports []int
}

// Start starts the broker; Close stops it.
func Start(cfg Config) (*Broker, error) {
	if cfg.Partitions == 0 {
		cfg.Partitions = 3
	}
	if cfg.MaxMessageBytes == 0 {
		cfg.MaxMessageBytes = 16 << 20
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(1),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(cfg.Partitions),
		kfake.BrokerConfigs(map[string]string{"message.max.bytes": strconv.Itoa(cfg.MaxMessageBytes)}),
	}
	if len(cfg.Topics) > 0 {
		opts = append(opts, kfake.SeedTopics(int32(cfg.Partitions), cfg.Topics...))
	}
	if len(cfg.Ports) > 0 {
		opts = append(opts, kfake.Ports(cfg.Ports...))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("embedded broker: %w", err)
	}
	return &Broker{cluster: c}, nil
}

// Addrs are the broker's listen addresses.
func (b *Broker) Addrs() []string { return b.cluster.ListenAddrs() }

// Cluster exposes the kfake cluster for fault injection in tests.
func (b *Broker) Cluster() *kfake.Cluster { return b.cluster }

// Close stops the broker.
func (b *Broker) Close() { b.cluster.Close() }
