package callgen

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers/v2"
)

// leafStrings returns every string a consumer can read out of a payload:
// form values, or JSON string values (and numbers' text) at any depth.
func leafStrings(t *testing.T, m Message) []string {
	t.Helper()
	var out []string
	switch m.Shape {
	case ShapeSipgateForm, ShapeTwilioCallback:
		vals, err := url.ParseQuery(string(m.Value))
		if err != nil {
			t.Fatal(err)
		}
		for _, vs := range vals {
			out = append(out, vs...)
		}
		return out
	}
	var v any
	d := json.NewDecoder(bytes.NewReader(m.Value))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case json.Number:
			out = append(out, x.String())
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// canaryAnywhere finds canaries inside longer strings (a URI that embeds a
// canary account id), lower-cased.
var canaryAnywhere = regexp.MustCompile(`canary-[a-z0-9_.,\[\]-]+-\d+|canary-\d+@canary\.example|https://canary\.example/\d+\.mp3`)

var canaryValue = regexp.MustCompile(`^(CANARY-[A-Za-z0-9_.,\[\]-]+-\d+|canary-\d+@canary\.example|https://canary\.example/\d+\.mp3)$`)

func TestCanariesAreDistinctListedAndPresent(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 31, Calls: 150, Canary: true})
	all := tr.Canaries()
	if len(all) < 150*5 {
		t.Fatalf("only %d canaries for 150 calls", len(all))
	}
	seen := map[string]bool{}
	for _, c := range all {
		if seen[c.Value] {
			t.Fatalf("canary %q used twice", c.Value)
		}
		seen[c.Value] = true
		if !canaryValue.MatchString(c.Value) {
			t.Fatalf("canary %q is not recognisable", c.Value)
		}
		call := tr.Calls[c.Call]
		tp := ""
		if call.Transcript != nil {
			tp = string(call.Transcript.Provider)
		}
		if !strings.HasPrefix(c.Field, string(call.Provider)+".") && (tp == "" || !strings.HasPrefix(c.Field, tp+".")) {
			t.Fatalf("canary field %q does not belong to call %d's providers", c.Field, c.Call)
		}
	}
	// Every canary is in a payload of its own call, and every canary-looking
	// value in any payload is listed.
	found := map[string]bool{}
	for c, msgs := range byCall(tr) {
		// Compared case-insensitively: Deepgram's "word" field lowercases
		// what was said, canaries included.
		mine := map[string]bool{}
		for _, cn := range c.Canaries {
			mine[strings.ToLower(cn.Value)] = true
		}
		for _, m := range msgs {
			for _, s := range leafStrings(t, m) {
				s = strings.ToLower(s)
				for _, w := range canaryAnywhere.FindAllString(s, -1) {
					if !mine[w] {
						t.Fatalf("call %d: %q in a payload is not one of its listed canaries", c.Index, w)
					}
					found[w] = true
				}
				if strings.Count(s, "canary") > len(canaryAnywhere.FindAllString(s, -1))*2 {
					t.Fatalf("call %d: unrecognised canary text in %q", c.Index, s)
				}
			}
		}
	}
	for _, c := range all {
		if !found[strings.ToLower(c.Value)] {
			t.Fatalf("canary %q (%s) appears in no payload", c.Value, c.Field)
		}
	}
}

// personalFields are the places in each payload that hold personal or
// dropped data; in canary mode every one of them must hold a canary (or
// be null/absent).
var personalFields = map[string][][]any{
	ShapeSipgateForm: {{"user[]"}, {"user"}, {"userId[]"}, {"userId"}, {"fullUserId[]"}, {"fullUserId"}},
	ShapeSipgateJSON: {{"user[]"}, {"user"}, {"userId[]"}, {"userId"}, {"fullUserId[]"}, {"fullUserId"}},
	ShapeTwilioCallback: {{"CallerName"}, {"FromCity"}, {"FromState"}, {"FromZip"}, {"ToCity"}, {"ToState"}, {"ToZip"},
		{"CallerCity"}, {"CallerState"}, {"CallerZip"}, {"CalledCity"}, {"CalledState"}, {"CalledZip"},
		{"AccountSid"}, {"RecordingUrl"}, {"RecordingSid"}},
	ShapeTwilioCallResource: {{"caller_name"}, {"account_sid"}, {"annotation"}},
	ShapeAircallWebhook: {{"token"}, {"data", "direct_link"}, {"data", "recording"}, {"data", "asset"}, {"data", "voicemail"},
		{"data", "user", "name"}, {"data", "user", "email"}, {"data", "user", "direct_link"},
		{"data", "contact", "first_name"}, {"data", "contact", "last_name"}, {"data", "contact", "company_name"},
		{"data", "contact", "information"}, {"data", "contact", "direct_link"}, {"data", "contact", "emails", 0, "value"},
		{"data", "number", "name"}, {"data", "number", "direct_link"}, {"data", "number", "messages", "welcome"},
		{"data", "number", "messages", "voicemail"}, {"data", "comments", 0, "content"}, {"data", "tags", 0, "name"},
		{"data", "teams", 0, "name"}},
	ShapeAWSTranscribe: {{"jobName"}, {"accountId"}},
	ShapeDeepgram:      {{"metadata", "request_id"}, {"metadata", "sha256"}, {"results", "summary", "short"}},
	ShapeAssemblyAI: {{"id"}, {"audio_url"}, {"summary"}, {"entities", 0, "text"}, {"chapters", 0, "summary"},
		{"chapters", 0, "headline"}, {"chapters", 0, "gist"}},
}

func TestCanaryModeFillsEveryPersonalField(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 32, Calls: 200, Canary: true})
	checked := map[string]int{}
	for _, m := range tr.Messages {
		paths := personalFields[m.Shape]
		for _, p := range paths {
			var vals []string
			switch m.Shape {
			case ShapeSipgateForm, ShapeSipgateJSON, ShapeTwilioCallback:
				vals = eventFields(t, m)[p[0].(string)]
			default:
				v := at(decodeJSON(t, m.Value), p...)
				if v == nil {
					continue
				}
				vals = []string{str(v)}
			}
			for _, v := range vals {
				if !canaryValue.MatchString(v) {
					t.Fatalf("%s %v holds %q in canary mode", m.Shape, p, v)
				}
				checked[m.Shape]++
			}
		}
	}
	for shape := range personalFields {
		if checked[shape] == 0 {
			t.Errorf("no personal field of %s checked", shape)
		}
	}
}

func TestNoCanariesByDefault(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 33, Calls: 100, Poison: 11})
	if n := len(tr.Canaries()); n != 0 {
		t.Fatalf("%d canaries without canary mode", n)
	}
	for _, m := range tr.Messages {
		if bytes.Contains(bytes.ToLower(m.Value), []byte("canary")) {
			t.Fatalf("%s payload mentions canary outside canary mode", m.Shape)
		}
	}
}

func luhnValid(digits string) bool {
	if len(digits) < 12 {
		return false
	}
	b := make([]byte, len(digits)-1)
	for i := range b {
		b[i] = digits[i] - '0'
	}
	return luhnCheckDigit(b) == digits[len(digits)-1]-'0'
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func TestTranscriptPIIIsVerbatimAndValid(t *testing.T) {
	for _, canary := range []bool{false, true} {
		tr := mustGenerate(t, Config{Seed: 34, Calls: 400, Canary: canary})
		packs := languagePacks()
		types := map[PIIType]int{}
		spoken := map[PIIType]int{}
		fromMeta := map[PIIType]int{}
		for c, msgs := range byCall(tr) {
			tt := c.Transcript
			if tt == nil {
				continue
			}
			var full string
			for _, m := range msgs {
				if m.Topic == KindTranscripts {
					full = transcriptText(t, m, tt)
				}
			}
			lp := packs[tt.Language]
			for _, p := range tt.PII {
				types[p.Type]++
				if p.Spoken {
					spoken[p.Type]++
				}
				if p.FromMetadata {
					fromMeta[p.Type]++
				}
				if !strings.Contains(tt.Utterances[p.Utterance].Text, p.Value) || !strings.Contains(full, p.Value) {
					t.Fatalf("call %d: PII %q not verbatim in utterance %d / payload text", c.Index, p.Value, p.Utterance)
				}
				switch p.Type {
				case PIICreditCard:
					if d := onlyDigits(p.Value); len(d) != 16 || !luhnValid(d) {
						t.Fatalf("card %q is not a Luhn-valid 16-digit number", p.Value)
					}
				case PIIIBAN:
					if !ibanValid(p.Value) || p.Value[:2] != c.Region {
						t.Fatalf("IBAN %q invalid or not of region %s", p.Value, c.Region)
					}
				case PIIPhoneNumber:
					if p.Spoken {
						words := map[string]bool{lp.plus: true}
						for _, d := range lp.digits {
							words[d] = true
						}
						for _, w := range strings.Fields(p.Value) {
							if !words[w] {
								t.Fatalf("spoken number %q has non-digit word %q", p.Value, w)
							}
						}
					} else {
						n, err := phonenumbers.Parse(p.Value, c.Region)
						if err != nil || !phonenumbers.IsValidNumber(n) {
							t.Fatalf("phone %q (region %s) is not a valid number", p.Value, c.Region)
						}
						if p.FromMetadata && phonenumbers.Format(n, phonenumbers.E164) != externalNumber(c) {
							t.Fatalf("phone %q said to be from metadata but is not the caller's number", p.Value)
						}
					}
				case PIIEmail:
					if p.Spoken {
						if !strings.Contains(p.Value, " "+lp.at+" ") || !strings.Contains(p.Value, " "+lp.dot+" ") || strings.Contains(p.Value, "@") {
							t.Fatalf("spoken email %q", p.Value)
						}
					} else if !regexp.MustCompile(`^[a-z0-9.]+@[a-z0-9-]+(\.[a-z]+)+$`).MatchString(p.Value) {
						t.Fatalf("email %q", p.Value)
					}
				case PIIPerson:
					if p.FromMetadata {
						ok := false
						for _, n := range c.MetadataNames {
							ok = ok || strings.Contains(n, p.Value) || strings.Contains(p.Value, n)
						}
						if !ok {
							t.Fatalf("name %q said to be from metadata, metadata has %q", p.Value, c.MetadataNames)
						}
					}
					if canary && p.FromMetadata && !strings.Contains(p.Value, "CANARY-") {
						t.Fatalf("canary mode: metadata name %q in the transcript is not the canary", p.Value)
					}
				case PIIDateOfBirth, PIIAddress:
					if onlyDigits(p.Value) == "" {
						t.Fatalf("%s %q has no digits", p.Type, p.Value)
					}
				}
			}
			for _, h := range tt.Harmless {
				if !strings.Contains(tt.Utterances[h.Utterance].Text, h.Value) {
					t.Fatalf("harmless %q not in utterance %d", h.Value, h.Utterance)
				}
			}
		}
		for _, ty := range []PIIType{PIIPerson, PIIPhoneNumber, PIIEmail, PIICreditCard, PIIIBAN, PIIDateOfBirth, PIIAddress} {
			if types[ty] == 0 {
				t.Errorf("canary=%v: no %s in 400 calls", canary, ty)
			}
		}
		if spoken[PIIPhoneNumber] == 0 || spoken[PIIEmail] == 0 || fromMeta[PIIPerson] == 0 || fromMeta[PIIPhoneNumber] == 0 {
			t.Errorf("canary=%v: spoken %v, from metadata %v; want spoken phones/emails and metadata names/numbers", canary, spoken, fromMeta)
		}
	}
}

// In canary mode no real name from the language packs may appear in any
// call event: every name field holds a canary.
func TestCanaryModeEventsCarryNoRealNames(t *testing.T) {
	tr := mustGenerate(t, Config{Seed: 35, Calls: 200, Canary: true, TranscriptShare: -1})
	var names []string
	for _, lp := range languagePacks() {
		names = append(names, lp.firstNames...)
		names = append(names, lp.lastNames...)
	}
	nameRE := regexp.MustCompile(`(?i)\b(` + strings.Join(names, "|") + `)\b`)
	for _, m := range tr.Messages {
		if m.Topic != KindEvents {
			continue
		}
		for _, s := range leafStrings(t, m) {
			if canaryValue.MatchString(s) {
				continue
			}
			if hit := nameRE.FindString(s); hit != "" {
				t.Fatalf("%s (%s) carries a real name %q in canary mode", m.Shape, m.Call.Provider, hit)
			}
		}
	}
}

func TestIBANAndLuhnHelpers(t *testing.T) {
	tests := []struct {
		iban string
		ok   bool
	}{
		{"DE89 3704 0044 0532 0130 00", true}, // the well-known example IBAN
		{"GB82 WEST 1234 5698 7654 32", true},
		{"DE89 3704 0044 0532 0130 01", false},
		{"NL91ABNA0417164300", true},
		{"NL91ABNA0417164301", false},
	}
	for _, tc := range tests {
		if got := ibanValid(tc.iban); got != tc.ok {
			t.Errorf("ibanValid(%q) = %v, want %v", tc.iban, got, tc.ok)
		}
	}
	if !luhnValid("4539148803436467") || luhnValid("4539148803436468") {
		t.Error("Luhn check wrong on known numbers")
	}
	g, _ := New(Config{Seed: 1})
	for _, region := range []string{"DE", "AT", "FR", "ES", "IT", "NL", "PT", "GB"} {
		for range 50 {
			iban := ibanFor(g.r, region)
			if !ibanValid(iban) || len(iban) != 4+len(bbanLayout(region)) {
				t.Fatalf("ibanFor(%s) = %q invalid", region, iban)
			}
		}
	}
	if ibanFor(g.r, "US") != "" {
		t.Fatal("US has no IBANs")
	}
}

func TestEveryNumberPlanGivesValidNumbers(t *testing.T) {
	g, _ := New(Config{Seed: 2})
	for _, region := range []string{"DE", "AT", "FR", "ES", "IT", "NL", "PT", "GB", "US"} {
		for _, plan := range plansByRegion(region) {
			for range 300 {
				n := drawNumber(g.r, plan)
				for _, written := range []string{n.international, n.E164()} {
					if got := e164Of(t, written, ""); got != n.E164() {
						t.Fatalf("%s %q parses to %s, want %s", region, written, got, n.E164())
					}
				}
				if got := e164Of(t, n.national, region); got != n.E164() {
					t.Fatalf("%s national %q parses to %s, want %s", region, n.national, got, n.E164())
				}
				pn, _ := phonenumbers.Parse(n.E164(), "")
				isMobile := phonenumbers.GetNumberType(pn) == phonenumbers.MOBILE || phonenumbers.GetNumberType(pn) == phonenumbers.FIXED_LINE_OR_MOBILE
				if plan.mobile && !isMobile {
					t.Fatalf("%s %s is not a mobile number", region, n.E164())
				}
			}
		}
	}
}
