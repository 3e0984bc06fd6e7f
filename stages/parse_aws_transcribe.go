package stages

import (
	"strings"
)

// awsTranscribeOutput lists the only fields read from an Amazon Transcribe
// batch output. jobName and accountId are never decoded (the job is not
// the call; the Kafka key names the call).
type awsTranscribeOutput struct {
	Status  payloadString `json:"status"`
	Results *struct {
		Transcripts []struct {
			Transcript payloadString `json:"transcript"`
		} `json:"transcripts"`
		Items         []awsTranscribeItem `json:"items"`
		SpeakerLabels *struct {
			Segments []struct {
				SpeakerLabel payloadString `json:"speaker_label"`
				Items        []struct {
					StartTime    payloadNumber `json:"start_time"`
					SpeakerLabel payloadString `json:"speaker_label"`
				} `json:"items"`
			} `json:"segments"`
		} `json:"speaker_labels"`
		ChannelLabels *struct {
			Channels []struct {
				ChannelLabel payloadString       `json:"channel_label"`
				Items        []awsTranscribeItem `json:"items"`
			} `json:"channels"`
		} `json:"channel_labels"`
		LanguageCode           payloadString `json:"language_code"`
		LanguageIdentification []struct {
			Code  payloadString `json:"code"`
			Score payloadNumber `json:"score"`
		} `json:"language_identification"`
	} `json:"results"`
}

type awsTranscribeItem struct {
	StartTime    payloadNumber `json:"start_time"`
	EndTime      payloadNumber `json:"end_time"`
	SpeakerLabel payloadString `json:"speaker_label"`
	Type         payloadString `json:"type"`
	Alternatives []struct {
		Content payloadString `json:"content"`
	} `json:"alternatives"`
}

// parseAWSTranscribe builds segments from speaker-labelled items (labels on
// the items, or, in older outputs, only in speaker_labels.segments), from
// channel-identified items, or else one segment with the full transcript.
func parseAWSTranscribe(rec Record, body []byte) (*Transcript, error) {
	const p = ProviderAWSTranscribe
	var out awsTranscribeOutput
	degraded, err := decodeProviderJSON(p, body, &out, "status", "results")
	if err != nil {
		return nil, err
	}
	if out.Status.Set && !strings.EqualFold(out.Status.S, "COMPLETED") {
		return nil, NewError(ReasonUnsupportedEvent, p, "status", "transcription job is not completed")
	}
	if out.Results == nil {
		return nil, NewError(ReasonMissingField, p, "results", "output has no results")
	}
	tr, err := newTranscript(rec, p, degraded)
	if err != nil {
		return nil, err
	}
	r := out.Results

	tr.Language = normalizeLanguageCode(r.LanguageCode.S)
	if tr.Language == "" {
		best := -1.0
		for _, li := range r.LanguageIdentification {
			if li.Score.F > best && li.Code.S != "" {
				best, tr.Language = li.Score.F, normalizeLanguageCode(li.Code.S)
			}
		}
	}

	var full strings.Builder
	for _, t := range r.Transcripts {
		if full.Len() > 0 && t.Transcript.S != "" {
			full.WriteByte(' ')
		}
		full.WriteString(t.Transcript.S)
	}

	// Older outputs label speakers only in speaker_labels.segments, keyed
	// by the item's start time.
	speakerAt := map[float64]string{}
	if r.SpeakerLabels != nil {
		for _, seg := range r.SpeakerLabels.Segments {
			for _, it := range seg.Items {
				label := firstNonEmpty(it.SpeakerLabel.S, seg.SpeakerLabel.S)
				if it.StartTime.Set && label != "" {
					speakerAt[it.StartTime.F] = label
				}
			}
		}
	}
	words, err := awsItemsToWords(r.Items, "", speakerAt, &tr.Degraded)
	if err != nil {
		return nil, err
	}
	if !wordsHaveSpeakers(words) && r.ChannelLabels != nil && len(r.ChannelLabels.Channels) > 0 {
		var chWords []sttWord
		for _, ch := range r.ChannelLabels.Channels {
			w, err := awsItemsToWords(ch.Items, strings.TrimSpace(ch.ChannelLabel.S), nil, &tr.Degraded)
			if err != nil {
				return nil, err
			}
			chWords = append(chWords, w...)
		}
		sortWordsByStart(chWords)
		if wordsHaveSpeakers(chWords) {
			words = chWords
		}
	}
	if wordsHaveSpeakers(words) {
		tr.Segments = groupWordsBySpeaker(words)
	} else {
		tr.Segments = wholeTranscriptSegment(full.String(), words, 0)
	}
	return tr, nil
}

// awsItemsToWords turns items into timed words. Punctuation items have no
// times; they attach to the word before them.
func awsItemsToWords(items []awsTranscribeItem, speaker string, speakerAt map[float64]string, deg *[]string) ([]sttWord, error) {
	const p = ProviderAWSTranscribe
	words := make([]sttWord, 0, len(items))
	for _, it := range items {
		content := ""
		if len(it.Alternatives) > 0 {
			content = it.Alternatives[0].Content.S
		}
		if content == "" {
			continue
		}
		if strings.EqualFold(it.Type.S, "punctuation") || !it.StartTime.Set && !it.StartTime.Bad {
			if len(words) > 0 {
				words[len(words)-1].Text += content
			}
			continue
		}
		start := it.StartTime.seconds(deg, "results.items.start_time", 1)
		end := it.EndTime.seconds(deg, "results.items.end_time", 1)
		label := strings.TrimSpace(it.SpeakerLabel.S)
		if label == "" {
			label = speaker
		}
		if label == "" && speakerAt != nil {
			label = speakerAt[it.StartTime.F]
		}
		words = append(words, sttWord{Speaker: label, Start: start, End: max(end, start), Text: content})
	}
	return words, nil
}
