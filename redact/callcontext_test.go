package redact

import (
	"fmt"
	"strings"
	"testing"
)

// A cue at the end of one utterance arms the detectors for the start of
// the next, whoever speaks it: the question and its answer are usually
// two segments of the transcript.
func TestCuesCarryIntoNextUtterance(t *testing.T) {
	tests := []struct {
		name  string
		call  []string
		utt   int
		value string
		typ   EntityType
	}{
		{"en birth date", []string{"For security, can you confirm your date of birth?", "It's October 19, 1998."}, 1, "October 19, 1998", DateOfBirth},
		{"it birth date", []string{"Per sicurezza, mi può confermare la sua data di nascita?", "La data è il 13/11/1995."}, 1, "13/11/1995", DateOfBirth},
		{"de birth date", []string{"Wie ist Ihr Geburtsdatum, bitte?", "Der 4. Mai 1979."}, 1, "4. Mai 1979", DateOfBirth},
		{"fr birth date", []string{"Quelle est votre date de naissance ?", "Le 12 mars 1985."}, 1, "12 mars 1985", DateOfBirth},
		{"birth date after a word of thanks", []string{"And your date of birth please?", "Sure, 3rd of May 1990."}, 1, "3rd of May 1990", DateOfBirth},
		{"name cut by the segment end", []string{"yes hello my name is", "priya kowalski and i am calling about my bill"}, 1, "priya kowalski", Person},
		{"nl postcode", []string{"Wat is uw postcode?", "Dat is 1234 AB."}, 1, "1234 AB", Address},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.RedactCall(tc.call, "auto", Hints{})
			text := tc.call[tc.utt]
			expectSpan(t, Result{Text: res.Texts[tc.utt], Spans: res.Spans[tc.utt]}, text, tc.value, tc.typ)
		})
	}
}

// A carried cue reaches only the next utterance, only from the last few
// words of its own, and only for cues that ask for a value.
func TestCarriedCuesAreBounded(t *testing.T) {
	tests := []struct {
		name string
		call []string
		utt  int
	}{
		{"not two utterances on", []string{"Can you confirm your date of birth?", "Yes.", "The renewal was on 12 March 2025."}, 2},
		{"not when the utterance goes on", []string{"Your date of birth is on file so we can skip that step today.", "The invoice date is 12 March 2025."}, 1},
		{"not from a greeting", []string{"Thanks.", "Will do, bye."}, 1},
		{"not from a name cue followed by words", []string{"my name is on the account", "smith said it was fine"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := testRedactor.RedactCall(tc.call, "en", Hints{})
			if got := res.Texts[tc.utt]; got != tc.call[tc.utt] {
				t.Errorf("utterance %d redacted: %q -> %q (spans %v)", tc.utt, tc.call[tc.utt], got, res.Spans[tc.utt])
			}
		})
	}
}

// A segment longer than one detection window is read in overlapping
// windows: values that cross a window boundary are found whole, as on
// their own.
func TestLongSegmentWindows(t *testing.T) {
	pieces := []struct{ text, value string }{
		{"my phone number is 020 7946 0958 thanks", "020 7946 0958"},
		{"my email is john dot smith at gmail dot com", "john dot smith at gmail dot com"},
		{"the card number is 4111 1111 1111 1111", "4111 1111 1111 1111"},
		{"my iban is DE89 3704 0044 0532 0130 00", "DE89 3704 0044 0532 0130 00"},
		{"i was born on the third of march nineteen eighty five", "third of march nineteen eighty five"},
		{"my name is priya kowalski", "priya kowalski"},
		{"i live at 42 Baker Street London", "42 Baker Street"},
		{"my postcode is SW1A 1AA", "SW1A 1AA"},
	}
	filler := strings.Fields("so that was about the invoice from last month and the plan we talked about")
	var b strings.Builder
	type occurrence struct{ piece, start, end int }
	var occ []occurrence
	for i := 0; b.Len() < 60_000; i++ {
		p := pieces[i%len(pieces)]
		at := b.Len() + strings.Index(p.text, p.value)
		occ = append(occ, occurrence{i % len(pieces), at, at + len(p.value)})
		// Fillers of varying length move the values across every
		// position relative to the window boundaries.
		fmt.Fprintf(&b, "%s %s . ", p.text, strings.Join(filler[:i%len(filler)], " "))
	}
	text := b.String()
	toks := tokenize(text, nil)
	if len(toks) < 4*chunkTokens {
		t.Fatalf("test bug: %d tokens, want several windows", len(toks))
	}
	// Values cross the boundaries between windows.
	crossed := 0
	for k := chunkTokens; k < len(toks); k += chunkTokens {
		at := toks[k].start
		for _, o := range occ {
			if o.start < at && o.end > at {
				crossed++
			}
		}
	}
	if crossed < 2 {
		t.Fatalf("test bug: only %d values cross a window boundary", crossed)
	}
	res := testRedactor.RedactCall([]string{text}, "en", Hints{})
	checkInvariants(t, text, Result{Text: res.Texts[0], Spans: res.Spans[0]})
	for _, p := range pieces {
		if strings.Contains(res.Texts[0], p.value) {
			t.Errorf("%q left in a long segment", p.value)
		}
	}
	// The same values on their own give the same kinds of spans.
	want := map[EntityType]int{}
	for _, o := range occ {
		one := testRedactor.Redact(pieces[o.piece].text, "en", Hints{})
		for _, s := range one.Spans {
			want[s.Type]++
		}
	}
	got := map[EntityType]int{}
	for _, s := range res.Spans[0] {
		got[s.Type]++
	}
	for typ, n := range want {
		if got[typ] < n {
			t.Errorf("%s: %d spans in the long segment, %d when its pieces are redacted alone", typ, got[typ], n)
		}
	}
}
