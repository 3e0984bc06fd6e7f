package stages

import (
	"strings"
)

// assemblyAITranscript lists the only fields read. id (the job, not the
// call), audio_url, entities, summary, chapters, auto_highlights_result,
// content safety and topic results are never decoded: AssemblyAI does not
// redact them.
type assemblyAITranscript struct {
	Status        payloadString    `json:"status"`
	Text          payloadString    `json:"text"`
	LanguageCode  payloadString    `json:"language_code"`
	AudioDuration payloadNumber    `json:"audio_duration"`
	Words         []assemblyAIWord `json:"words"`
	Utterances    []assemblyAIWord `json:"utterances"`
}

// assemblyAIWord serves words and utterances: both have text, start and end
// in milliseconds, and a speaker label (null without speaker labels).
type assemblyAIWord struct {
	Text    payloadString `json:"text"`
	Start   payloadNumber `json:"start"`
	End     payloadNumber `json:"end"`
	Speaker payloadString `json:"speaker"`
}

const assemblyAIMillis = 0.001

// parseAssemblyAI prefers utterances, then words grouped by speaker, then
// one segment with the full text. Only completed transcripts are accepted.
func parseAssemblyAI(rec Record, body []byte) (*Transcript, error) {
	const p = ProviderAssemblyAI
	var t assemblyAITranscript
	degraded, err := decodeProviderJSON(p, body, &t, "status")
	if err != nil {
		return nil, err
	}
	if t.Status.Set && t.Status.S != "completed" {
		return nil, NewError(ReasonUnsupportedEvent, p, "status", "transcript is not completed")
	}
	tr, err := newTranscript(rec, p, degraded)
	if err != nil {
		return nil, err
	}
	tr.Language = normalizeLanguageCode(t.LanguageCode.S)
	if len(t.Utterances) > 0 {
		words, err := assemblyAIToWords(t.Utterances, "utterances", &tr.Degraded)
		if err != nil {
			return nil, err
		}
		for _, w := range words {
			tr.Segments = append(tr.Segments, Segment{Speaker: w.Speaker, Start: w.Start, End: w.End, Text: strings.TrimSpace(w.Text)})
		}
		return tr, nil
	}
	words, err := assemblyAIToWords(t.Words, "words", &tr.Degraded)
	if err != nil {
		return nil, err
	}
	if wordsHaveSpeakers(words) {
		tr.Segments = groupWordsBySpeaker(words)
		return tr, nil
	}
	end := t.AudioDuration.seconds(&tr.Degraded, "audio_duration", 1)
	tr.Segments = wholeTranscriptSegment(t.Text.S, words, end)
	return tr, nil
}

func assemblyAIToWords(in []assemblyAIWord, field string, deg *[]string) ([]sttWord, error) {
	const p = ProviderAssemblyAI
	out := make([]sttWord, 0, len(in))
	for _, w := range in {
		start := w.Start.seconds(deg, field+".start", assemblyAIMillis)
		end := w.End.seconds(deg, field+".end", assemblyAIMillis)
		if strings.TrimSpace(w.Text.S) == "" {
			continue
		}
		out = append(out, sttWord{Speaker: strings.TrimSpace(w.Speaker.S), Start: start, End: max(end, start), Text: w.Text.S})
	}
	return out, nil
}
