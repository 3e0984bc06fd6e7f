package stages

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/mail"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// containsBase64AudioReference is the straightforward scan that
// containsBase64Audio replaced: every byte, every run, in order. The
// skipping scan must agree with it on every input.
func containsBase64AudioReference(b []byte) bool {
	for i := 0; i < len(b); {
		if base64Value(b[i]) < 0 {
			i++
			continue
		}
		var head [16]byte
		n, run := 0, 0
		j := i
		for j < len(b) {
			c := b[j]
			if c == '\\' && j+1 < len(b) && b[j+1] == '/' {
				j++
				continue
			}
			if base64Value(c) < 0 {
				break
			}
			if n < len(head) {
				head[n] = c
				n++
			}
			run++
			j++
		}
		if run >= audioBase64MinRun && n == len(head) {
			var dec [12]byte
			for k := 0; k < 4; k++ {
				v := uint32(base64Value(head[4*k]))<<18 | uint32(base64Value(head[4*k+1]))<<12 |
					uint32(base64Value(head[4*k+2]))<<6 | uint32(base64Value(head[4*k+3]))
				dec[3*k], dec[3*k+1], dec[3*k+2] = byte(v>>16), byte(v>>8), byte(v)
			}
			if hasAudioMagic(dec[:]) {
				return true
			}
		}
		i = j + 1
	}
	return false
}

// audioScanCases are inputs around the skipping scan's edges: runs of
// exactly the minimum length at every offset, runs broken or joined by
// "\/" escapes and escaped backslashes, audio after long innocent runs.
func audioScanCases() [][]byte {
	wav := base64.StdEncoding.EncodeToString(append([]byte("RIFF\x24\x08\x00\x00WAVEfmt "), bytes.Repeat([]byte{0}, 200)...))
	ogg := base64.URLEncoding.EncodeToString(append([]byte("OggS\x00\x02"), bytes.Repeat([]byte{7}, 200)...))
	escaped := strings.ReplaceAll(base64.StdEncoding.EncodeToString(append([]byte("ID3\x03\x00\x00"), bytes.Repeat([]byte{0xff}, 200)...)), "/", `\/`)
	var cases [][]byte
	for _, audio := range []string{wav, ogg, escaped} {
		for _, n := range []int{audioBase64MinRun - 1, audioBase64MinRun, audioBase64MinRun + 1} {
			if n > len(audio) {
				continue
			}
			for pad := 0; pad < 140; pad += 7 {
				cases = append(cases,
					[]byte(strings.Repeat(" ", pad)+audio[:n]),
					[]byte(strings.Repeat("a", pad)+" "+audio[:n]+`"`),
					[]byte(strings.Repeat("Zz9", pad)+`\\`+audio[:n]),
					[]byte(`{"x":"`+strings.Repeat("q", pad)+`\/`+audio[:n]+`"}`),
					[]byte(strings.Repeat("x", 200)+`\`+strings.Repeat(" ", pad)+audio[:n]),
				)
			}
		}
	}
	return cases
}

func TestContainsBase64AudioMatchesReference(t *testing.T) {
	cases := audioScanCases()
	for _, fx := range jsonFixtures(t) {
		cases = append(cases, fx.body)
	}
	flagged := 0
	for i, c := range cases {
		want := containsBase64AudioReference(c)
		if got := containsBase64Audio(c); got != want {
			t.Fatalf("case %d (%q): got %v, reference %v", i, c, got, want)
		}
		if got := containsBase64Audio(string(c)); got != want {
			t.Fatalf("case %d as string: got %v, reference %v", i, got, want)
		}
		if want {
			flagged++
		}
	}
	// Both outcomes must be exercised.
	if flagged == 0 || flagged == len(cases) {
		t.Fatalf("%d of %d cases flagged", flagged, len(cases))
	}
}

// FuzzContainsBase64Audio: the skipping scan agrees with the reference.
//
//	go test -run '^$' -fuzz FuzzContainsBase64Audio -fuzztime 20s ./stages
func FuzzContainsBase64Audio(f *testing.F) {
	for _, c := range audioScanCases() {
		f.Add(c)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := containsBase64Audio(b), containsBase64AudioReference(b); got != want {
			t.Fatalf("got %v, reference %v", got, want)
		}
	})
}

// formBodies are bodies for holding parseFormPairs against url.ParseQuery.
var formBodies = []string{
	"", "a", "a=", "=b", "a=1&a=2&b=3", "a=1&&b=2&", "&&&", "user%5B%5D=A&user%5B%5D=B&user[]=C",
	"a=%zz&b=1", "a=1;b=2", "a=1&b=2;c", "k=v+w%20x%2B", "%=1", "a=%E2%82%AC", "a=b=c", "a=1&a=1&a=1&b",
}

func TestParseFormPairsMatchesParseQuery(t *testing.T) {
	bodies := append([]string(nil), formBodies...)
	for _, name := range []string{"callback_completed.form", "callback_completed_client_identity.form", "canary_callback.form"} {
		bodies = append(bodies, string(readProviderFixture(t, "twilio", name)))
	}
	for _, name := range []string{"push_newCall_in.form", "canary_push_newCall.form", "push_dtmf.form"} {
		bodies = append(bodies, string(readProviderFixture(t, "sipgate", name)))
	}
	for _, body := range bodies {
		requireSameFormPairs(t, body)
	}
}

func requireSameFormPairs(t *testing.T, body string) {
	t.Helper()
	want, err := url.ParseQuery(body)
	got, ok := parseFormPairs(body, strings.Count(body, "&")+1)
	if ok != (err == nil) {
		t.Fatalf("%q: ok %v, ParseQuery error %v", body, ok, err)
	}
	if ok && !reflect.DeepEqual(got, want) {
		t.Fatalf("%q: got %v, ParseQuery %v", body, got, want)
	}
}

// FuzzParseFormPairs: parseFormPairs reads what url.ParseQuery reads, and
// appending to a repeated key never disturbs another key's value.
//
//	go test -run '^$' -fuzz FuzzParseFormPairs -fuzztime 20s ./stages
func FuzzParseFormPairs(f *testing.F) {
	for _, b := range formBodies {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if strings.Count(body, "&") >= maxFormFields {
			return
		}
		requireSameFormPairs(t, body)
	})
}

// TestParseProviderTimeReadsWhatMailParseDateReads: the lenient time
// parser, with its RFC 1123 shortcut, reads every date mail.ParseDate
// reads, to the same instant.
func TestParseProviderTimeReadsWhatMailParseDateReads(t *testing.T) {
	inputs := []string{
		"Tue, 05 Mar 2024 09:15:00 +0000", "Tue, 5 Mar 2024 09:15:00 +0000", "Tue, 05 Mar 2024 09:15:00 -0530",
		"Tue, 05 Mar 2024 09:15:00.250 +0100", "Tue, 05 Mar 2024 09:15:00 GMT", "Tue, 05 Mar 2024 09:15:00 +0000 (UTC)",
		"05 Mar 2024 09:15:00 +0000", "Tue, 05 Mar 24 09:15:00 +0000", "Tue, 05 Mar 2024 9:15:00 +0000",
		"Tue, 05 Mar 2024 09:15 +0000", "Sat, 31 Dec 2005 23:59:60 +0000", "Mon, 30 Feb 2024 10:00:00 +0000",
		"Xyz, 05 Mar 2024 09:15:00 +0000", "Tue, 05 Mar 2024 09:15:00 +2400", "", "garbage",
	}
	// Every second of a day and many days, in the layout Twilio writes.
	start := time.Date(2023, 12, 30, 23, 0, 0, 0, time.UTC)
	for i := 0; i < 400; i++ {
		at := start.Add(time.Duration(i) * 7919 * time.Second)
		inputs = append(inputs, at.Format(time.RFC1123Z), at.In(time.FixedZone("", -8*3600)).Format(time.RFC1123Z))
	}
	for _, in := range inputs {
		got, ok := parseProviderTime(in)
		want, wantErr := mail.ParseDate(strings.TrimSpace(in))
		if wantErr != nil {
			continue
		}
		if !ok || !got.Equal(want) {
			t.Fatalf("%q: %v, mail.ParseDate %v", in, got, want)
		}
	}
}

// TestMinimizeCacheMatchesNormalizeE164: cached answers are those of
// normalizeE164, on first sight and on every later hit, across generation
// turnovers, and the cache stays bounded.
func TestMinimizeCacheMatchesNormalizeE164(t *testing.T) {
	raws := []string{"492111234567", "+43 720 880079", "01579-9912345", "0049 30 901820", "2025550143",
		"tel:+4930901820;ext=1", "anonymous", "sip:1@x", "+++", "12", "+12025550143", "00441234"}
	for i := 0; i < 300; i++ {
		raws = append(raws, fmt.Sprintf("+49 30 %07d", i*7919), fmt.Sprintf("0%d", 1500000000+i*31), fmt.Sprintf("%d", 12025550000+i))
	}
	c := e164Cache{max: 64}
	for pass := 0; pass < 3; pass++ {
		for _, raw := range raws {
			for _, region := range []string{"", "DE", "US", "GB"} {
				for _, bare := range []bool{false, true} {
					want := normalizeE164(raw, region, bare)
					if got := c.normalize(raw, region, bare); got != want {
						t.Fatalf("pass %d: normalize(%q, %q, %v) = %q, want %q", pass, raw, region, bare, got, want)
					}
				}
			}
		}
		if len(c.cur) > c.max || len(c.prev) > c.max {
			t.Fatalf("cache grew to %d + %d entries, bound %d each", len(c.cur), len(c.prev), c.max)
		}
	}
}

func TestMinimizeCacheKeepsNumbersInUse(t *testing.T) {
	c := e164Cache{max: 8}
	c.normalize("+4930901820", "", false)
	for i := 0; i < 100; i++ {
		// The company line recurs between ever new callers.
		c.normalize(fmt.Sprintf("+4915%08d", i), "", false)
		c.normalize("+4930901820", "", false)
	}
	k := e164Key{raw: "+4930901820"}
	if _, ok := c.cur[k]; !ok {
		if _, ok := c.prev[k]; !ok {
			t.Fatal("a number in steady use fell out of the cache")
		}
	}
}

// TestMinimizeConcurrentMatchesSerial runs one MinimizeMetadata from many
// goroutines (go test -race checks the cache and the HMAC pool) and
// compares with a fresh one per call.
func TestMinimizeConcurrentMatchesSerial(t *testing.T) {
	shared := newTestMinimizer(t, "DE")
	var facts []*CallFacts
	for i := 0; i < 200; i++ {
		facts = append(facts, &CallFacts{Provider: []Provider{ProviderSipgate, ProviderTwilio, ProviderAircall}[i%3],
			CallID: fmt.Sprintf("call-%d", i), From: fmt.Sprintf("+49 30 %07d", i%17), To: fmt.Sprintf("0151%08d", i),
			Start: testRecordTime, Answered: testRecordTime, End: testRecordTime.Add(time.Duration(i) * time.Second), Complete: true})
	}
	var wg sync.WaitGroup
	got := make([][]Call, 4)
	for w := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, f := range facts {
				c, err := shared.Minimize(f)
				if err != nil {
					t.Error(err)
					return
				}
				got[w] = append(got[w], c)
			}
		}()
	}
	wg.Wait()
	for i, f := range facts {
		want, err := newTestMinimizer(t, "DE").Minimize(f)
		if err != nil {
			t.Fatal(err)
		}
		if want.Key != CallKey(testKeySecret, f.Provider, f.CallID) {
			t.Fatalf("call %d: key is not CallKey", i)
		}
		for w := range got {
			if got[w][i] != want {
				t.Fatalf("worker %d call %d: %+v, want %+v", w, i, got[w][i], want)
			}
		}
	}
}
