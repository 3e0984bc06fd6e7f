package stages

import (
	"errors"

	"github.com/callveil/callveil/redact"
)

// RedactConfig configures the redaction stage.
type RedactConfig struct {
	// Redactor is built once (it holds the language models and lexicons).
	Redactor *redact.Redactor
	// Language forces one language for every call; "" or "auto" detects it
	// per call on the whole transcript.
	Language string
}

// RedactTranscript turns a minimised call and its raw transcript into the
// RedactedCall sinks receive. The raw transcript text and the hints go no
// further than this stage.
type RedactTranscript struct {
	redactor *redact.Redactor
	language string
}

// NewRedactTranscript validates cfg and returns the stage.
func NewRedactTranscript(cfg RedactConfig) (*RedactTranscript, error) {
	if cfg.Redactor == nil {
		return nil, errors.New("redact stage: a redactor is required")
	}
	if cfg.Language == "" {
		cfg.Language = "auto"
	}
	return &RedactTranscript{redactor: cfg.Redactor, language: cfg.Language}, nil
}

// Apply redacts tr (which may be nil) for call. Safe for concurrent use.
func (s *RedactTranscript) Apply(call Call, tr *Transcript, hints Hints) RedactedCall {
	out := RedactedCall{Call: call}
	if tr == nil || len(tr.Segments) == 0 {
		return out
	}
	texts := make([]string, len(tr.Segments))
	for i, seg := range tr.Segments {
		texts[i] = seg.Text
	}
	numbers := append([]string{call.From, call.To}, hints.Numbers...)
	res := s.redactor.RedactCall(texts, s.language, redact.Hints{Names: hints.Names, Numbers: numbers})
	out.Language = res.Language
	out.Transcript = make([]Segment, len(tr.Segments))
	for i, seg := range tr.Segments {
		seg.Text = res.Texts[i]
		out.Transcript[i] = seg
	}
	if len(res.Counts) > 0 {
		out.Redactions = make(map[string]int, len(res.Counts))
		for t, n := range res.Counts {
			out.Redactions[string(t)] = n
		}
	}
	return out
}
