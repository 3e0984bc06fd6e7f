package stages

import (
	"strconv"
	"strings"
)

// deepgramResponse lists the only fields read from a pre-recorded
// response. metadata.request_id (the job, not the call), sha256, model
// info, results.summary, paragraphs, topics, intents and sentiments are
// never decoded.
type deepgramResponse struct {
	Metadata *struct {
		Duration payloadNumber `json:"duration"`
	} `json:"metadata"`
	Results *struct {
		Channels []struct {
			DetectedLanguage payloadString `json:"detected_language"`
			Alternatives     []struct {
				Transcript payloadString  `json:"transcript"`
				Words      []deepgramWord `json:"words"`
				Languages  []string       `json:"languages"`
			} `json:"alternatives"`
		} `json:"channels"`
		Utterances []struct {
			Start      payloadNumber `json:"start"`
			End        payloadNumber `json:"end"`
			Channel    payloadNumber `json:"channel"`
			Speaker    payloadNumber `json:"speaker"`
			Transcript payloadString `json:"transcript"`
		} `json:"utterances"`
	} `json:"results"`
}

type deepgramWord struct {
	Word           payloadString `json:"word"`
	PunctuatedWord payloadString `json:"punctuated_word"`
	Start          payloadNumber `json:"start"`
	End            payloadNumber `json:"end"`
	Speaker        payloadNumber `json:"speaker"`
}

// parseDeepgram prefers utterances (already grouped by speaker), then words
// grouped by diarized speaker or by channel, then one segment per channel
// transcript.
func parseDeepgram(rec Record, body []byte) (*Transcript, error) {
	const p = ProviderDeepgram
	var resp deepgramResponse
	degraded, err := decodeProviderJSON(p, body, &resp, "results", "results.channels")
	if err != nil {
		return nil, err
	}
	if resp.Results == nil {
		return nil, NewError(ReasonMissingField, p, "results", "response has no results")
	}
	tr, err := newTranscript(rec, p, degraded)
	if err != nil {
		return nil, err
	}
	r := resp.Results
	multiChannel := len(r.Channels) > 1
	for _, ch := range r.Channels {
		if tr.Language != "" {
			break
		}
		tr.Language = normalizeLanguageCode(ch.DetectedLanguage.S)
		if tr.Language == "" && len(ch.Alternatives) > 0 && len(ch.Alternatives[0].Languages) > 0 {
			tr.Language = normalizeLanguageCode(ch.Alternatives[0].Languages[0])
		}
	}

	if len(r.Utterances) > 0 {
		for _, u := range r.Utterances {
			start := u.Start.seconds(&tr.Degraded, "results.utterances.start", 1)
			end := u.End.seconds(&tr.Degraded, "results.utterances.end", 1)
			text := strings.TrimSpace(u.Transcript.S)
			if text == "" {
				continue
			}
			tr.Segments = append(tr.Segments, Segment{
				Speaker: deepgramSpeaker(multiChannel, u.Channel, u.Speaker, 0),
				Start:   start, End: max(end, start), Text: text,
			})
		}
		return tr, nil
	}

	var words []sttWord
	var texts []string
	for ci, ch := range r.Channels {
		if len(ch.Alternatives) == 0 {
			continue
		}
		alt := ch.Alternatives[0]
		if t := strings.TrimSpace(alt.Transcript.S); t != "" {
			texts = append(texts, t)
		}
		for _, w := range alt.Words {
			start := w.Start.seconds(&tr.Degraded, "results.channels.alternatives.words.start", 1)
			end := w.End.seconds(&tr.Degraded, "results.channels.alternatives.words.end", 1)
			text := firstNonEmpty(w.PunctuatedWord.S, w.Word.S)
			if text == "" {
				continue
			}
			speaker := ""
			if w.Speaker.Set || multiChannel {
				speaker = deepgramSpeaker(multiChannel, payloadNumber{}, w.Speaker, ci)
			}
			words = append(words, sttWord{Speaker: speaker, Start: start, End: max(end, start), Text: text})
		}
	}
	if multiChannel {
		sortWordsByStart(words)
	}
	if wordsHaveSpeakers(words) {
		tr.Segments = groupWordsBySpeaker(words)
		return tr, nil
	}
	end := 0.0
	if resp.Metadata != nil && resp.Metadata.Duration.Set && resp.Metadata.Duration.F > 0 {
		end = resp.Metadata.Duration.F
	}
	tr.Segments = wholeTranscriptSegment(strings.Join(texts, " "), words, end)
	return tr, nil
}

// deepgramSpeaker labels a speaker like "spk_0"; with several channels the
// channel leads ("ch_1" or "ch_1_spk_0") since speaker numbers restart per
// channel.
func deepgramSpeaker(multiChannel bool, channel, speaker payloadNumber, channelIndex int) string {
	label := ""
	if speaker.Set && speaker.F >= 0 && speaker.F < 1e6 {
		label = "spk_" + strconv.Itoa(int(speaker.F))
	}
	if !multiChannel {
		return label
	}
	ch := channelIndex
	if channel.Set && channel.F >= 0 && channel.F < 1e6 {
		ch = int(channel.F)
	}
	if label == "" {
		return "ch_" + strconv.Itoa(ch)
	}
	return "ch_" + strconv.Itoa(ch) + "_" + label
}
