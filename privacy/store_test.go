package privacy_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/callveil/callveil/privacy"
	"github.com/callveil/callveil/stages"
)

func TestNormalizerReadsNumbersLikeThePipeline(t *testing.T) {
	n, err := privacy.NewNormalizer("DE")
	if err != nil {
		t.Fatal(err)
	}
	minimize, err := stages.NewMinimizeMetadata(stages.MinimizeConfig{KeySecret: testSecret, DefaultRegion: "DE"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, want string
	}{
		{"+49 151 23456789", "+4915123456789"},
		{"0151 2345 6789", "+4915123456789"},
		{"0049 151 23456789", "+4915123456789"},
		{"+44 7700 900123", "+447700900123"},
		{"tel:+33612345678", "+33612345678"},
		{"anonymous", ""},
		{"sip:anna@example.com", ""},
		{"12", ""},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := n.E164(tc.in)
			if tc.want == "" {
				if !errors.Is(err, privacy.ErrNotANumber) {
					t.Fatalf("E164(%q) = %q, %v; want ErrNotANumber", tc.in, got, err)
				}
				if strings.Contains(err.Error(), tc.in) {
					t.Errorf("error repeats the input")
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("E164(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
			// The same raw number arriving in a call (Twilio, Aircall) is
			// minimised to the same E.164, so the hashes agree.
			call, err := minimize.Minimize(&stages.CallFacts{Provider: stages.ProviderAircall, CallID: "1", To: tc.in})
			if err != nil || call.To != got {
				t.Errorf("pipeline minimises %q to %q, normaliser to %q", tc.in, call.To, got)
			}
		})
	}
}

func TestNumberHashIsKeyedAndDistinct(t *testing.T) {
	a := privacy.NumberHash(testSecret, "+4915123456789")
	if a != privacy.NumberHash(testSecret, "+4915123456789") {
		t.Fatal("hash not deterministic")
	}
	if a == privacy.NumberHash([]byte("another-secret-0123456789abcdef"), "+4915123456789") {
		t.Error("hash does not depend on the secret")
	}
	if a == privacy.NumberHash(testSecret, "+4915123456788") {
		t.Error("different numbers hash alike")
	}
	if a == stages.CallKey(testSecret, "", "+4915123456789") {
		t.Error("number hash collides with the call-key domain")
	}
	if len(a) != 64 || strings.Contains(a, "4915123456789") {
		t.Errorf("hash %q is not a hex SHA-256", a)
	}
}

func TestStoreKeepsOnlyHashesInACompactedTopic(t *testing.T) {
	b := startBroker(t, 1)
	brokers := b.Addrs()
	s := openStore(t, brokers, nil)
	ctx := testCtx(t)
	const objA, objB, forgotten = "+4915123456789", "+447700900123", "+33612345678"
	for _, step := range []func() error{
		func() error { return s.Add(ctx, privacy.KindObjection, objA) },
		func() error { return s.Add(ctx, privacy.KindObjection, objB) },
		func() error { return s.Add(ctx, privacy.KindTombstone, forgotten) },
		func() error { return s.RemoveObjection(ctx, objA) },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	snap, err := s.Snapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{s.Hash(objB)}; !slices.Equal(snap.Objections, want) {
		t.Errorf("objections = %v, want %v", snap.Objections, want)
	}
	if _, ok := snap.Tombstones[s.Hash(forgotten)]; !ok || len(snap.Tombstones) != 1 {
		t.Errorf("tombstones = %v, want only the forgotten number's hash", snap.Tombstones)
	}
	if got := topicConfig(t, brokers, privacy.DefaultTopic, "cleanup.policy"); got != "compact" {
		t.Errorf("cleanup.policy = %q, want compact", got)
	}
	// Every byte written: keys are kind:hash, values tiny JSON, no number
	// in any form (with or without +, national).
	msgs := readTopic(t, brokers, privacy.DefaultTopic)
	if len(msgs) != 4 {
		t.Fatalf("%d records, want 4", len(msgs))
	}
	for _, m := range msgs {
		all := string(m.Key) + string(m.Value)
		for _, n := range []string{objA, objB, forgotten} {
			for _, form := range []string{n, n[1:], "0" + n[3:]} {
				if strings.Contains(all, form) {
					t.Errorf("record %d holds a number in clear", m.Offset)
				}
			}
		}
	}
	if last := msgs[3]; last.Value != nil || string(last.Key) != "objection:"+s.Hash(objA) {
		t.Errorf("removal is not a null-value record under the objection's key: key %q value %q", last.Key, last.Value)
	}
}

func TestOpenStoreRefusesATopicThatWouldExpireObjections(t *testing.T) {
	b := startBroker(t, 1)
	c := &kafka.Client{Addr: kafka.TCP(b.Addrs()...)}
	for _, policy := range []string{"delete", "compact,delete"} {
		topic := "privacy-" + strings.ReplaceAll(policy, ",", "-")
		if _, err := c.CreateTopics(testCtx(t), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{
			Topic: topic, NumPartitions: 1, ReplicationFactor: 1,
			ConfigEntries: []kafka.ConfigEntry{{ConfigName: "cleanup.policy", ConfigValue: policy}}}}}); err != nil {
			t.Fatal(err)
		}
		_, err := privacy.OpenStore(testCtx(t), privacy.Config{Brokers: b.Addrs(), Topic: topic, KeySecret: testSecret})
		if err == nil || !strings.Contains(err.Error(), topic) {
			t.Errorf("cleanup.policy=%s: err = %v, want an error naming the topic", policy, err)
		}
	}
}

func TestConfigValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  privacy.Config
	}{
		{"no brokers", privacy.Config{KeySecret: testSecret}},
		{"short secret", privacy.Config{Brokers: []string{"127.0.0.1:1"}, KeySecret: []byte("short")}},
		{"negative partitions", privacy.Config{Brokers: []string{"127.0.0.1:1"}, KeySecret: testSecret, Partitions: -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := privacy.OpenStore(testCtx(t), tc.cfg); err == nil {
				t.Error("OpenStore accepted an invalid config")
			}
			if _, err := privacy.OpenPolicy(testCtx(t), tc.cfg); err == nil {
				t.Error("OpenPolicy accepted an invalid config")
			}
		})
	}
}

func TestPolicyReadsEverythingBeforeItIsReady(t *testing.T) {
	b := startBroker(t, 1)
	s := openStore(t, b.Addrs(), nil)
	ctx := testCtx(t)
	// Many records, so "ready" cannot pass by luck on the first fetch.
	var numbers []string
	for i := range 300 {
		n := fmt.Sprintf("+49301%06d", i)
		numbers = append(numbers, n)
		if err := s.Add(ctx, privacy.KindObjection, n); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RemoveObjection(ctx, numbers[0]); err != nil {
		t.Fatal(err)
	}
	p := openPolicy(t, b.Addrs())
	// No waiting: OpenPolicy returns only once it has read to the end.
	if p.Objected(numbers[0]) {
		t.Error("a removed objection is in force")
	}
	for _, n := range numbers[1:] {
		if !p.Objected(n) {
			t.Fatalf("objection %s missing right after OpenPolicy", n)
		}
	}
	if o, ts := p.Counts(); o != 299 || ts != 0 {
		t.Errorf("counts = %d, %d; want 299, 0", o, ts)
	}
}

func TestPolicyPicksUpChangesWithoutRestart(t *testing.T) {
	b := startBroker(t, 1)
	p := openPolicy(t, b.Addrs())
	s := openStore(t, b.Addrs(), nil)
	ctx := testCtx(t)
	call := stages.Call{Key: "k", From: "+4915123456789", To: "+4930123456", Start: time.Date(2025, 3, 3, 8, 0, 0, 0, time.UTC)}
	if skip, _ := p.Skip(call); skip {
		t.Fatal("skipped before any objection")
	}
	if err := s.Add(ctx, privacy.KindObjection, call.From); err != nil {
		t.Fatal(err)
	}
	eventually(t, "objection in force", func() bool { skip, why := p.Skip(call); return skip && why == privacy.ReasonObjection })
	if err := s.RemoveObjection(ctx, call.From); err != nil {
		t.Fatal(err)
	}
	eventually(t, "objection withdrawn", func() bool { skip, _ := p.Skip(call); return !skip })
}

func TestPolicySkip(t *testing.T) {
	b := startBroker(t, 1)
	forgetAt := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := openStore(t, b.Addrs(), func() time.Time { return forgetAt })
	ctx := testCtx(t)
	const objected, forgotten, other, company = "+4915123456789", "+447700900123", "+33612345678", "+4930123456"
	if err := s.Add(ctx, privacy.KindObjection, objected); err != nil {
		t.Fatal(err)
	}
	if err := s.Add(ctx, privacy.KindTombstone, forgotten); err != nil {
		t.Fatal(err)
	}
	p := openPolicy(t, b.Addrs())
	before, after := forgetAt.Add(-time.Hour), forgetAt.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		call   stages.Call
		skip   bool
		reason string
	}{
		{"objected caller", stages.Call{From: objected, To: company, Start: after}, true, privacy.ReasonObjection},
		{"objected callee", stages.Call{From: company, To: objected, Start: before}, true, privacy.ReasonObjection},
		{"forgotten, call before the deletion", stages.Call{From: forgotten, To: company, Start: before}, true, privacy.ReasonTombstone},
		{"forgotten, call at the deletion second", stages.Call{From: company, To: forgotten, Start: forgetAt}, true, privacy.ReasonTombstone},
		{"forgotten, call without start", stages.Call{From: forgotten, To: company}, true, privacy.ReasonTombstone},
		{"forgotten, new call after the deletion", stages.Call{From: forgotten, To: company, Start: after}, false, ""},
		{"other numbers", stages.Call{From: other, To: company, Start: before}, false, ""},
		{"withheld caller", stages.Call{From: "", To: company, Start: before}, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			skip, reason := p.Skip(tc.call)
			if skip != tc.skip || reason != tc.reason {
				t.Errorf("Skip = %v, %q; want %v, %q", skip, reason, tc.skip, tc.reason)
			}
		})
	}
}
