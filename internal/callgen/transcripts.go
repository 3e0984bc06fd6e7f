package callgen

import (
	"math"
	"strconv"
	"strings"

	"github.com/callveil/callveil/stages"
)

// timedWord is one token of an utterance with its timing. A token is what
// the speech engines print between spaces: lead (Spanish "¿"), core, and
// trailing punctuation ("." "," "?").
type timedWord struct {
	lead, core, trail string
	start, end        float64
	confidence        float64
}

type timedUtterance struct {
	speaker    int // 0 agent, 1 customer
	text       string
	words      []timedWord
	start, end float64
}

func splitToken(tok string) (lead, core, trail string) {
	core = tok
	for len(core) > 0 {
		if strings.HasPrefix(core, "¿") || strings.HasPrefix(core, "¡") {
			lead += core[:2]
			core = core[2:]
			continue
		}
		break
	}
	for len(core) > 0 && strings.ContainsRune(".,?!;:", rune(core[len(core)-1])) {
		trail = core[len(core)-1:] + trail
		core = core[:len(core)-1]
	}
	if core == "" { // a token of punctuation only: keep it as a word
		return "", lead + trail, ""
	}
	return lead, core, trail
}

// round3 keeps millisecond precision, which is what the engines report.
func round3(x float64) float64 { return math.Round(x*1000) / 1000 }

// timeDialogue lays the dialogue out in time: about 0.12 s plus 55 ms per
// letter for each word, short gaps between words, longer ones between
// turns. It returns the utterances and the audio length in seconds.
func (g *Generator) timeDialogue(d dialogue) ([]timedUtterance, float64) {
	t := 0.5 + g.r.Float64()*1.5
	out := make([]timedUtterance, 0, len(d.utterances))
	for _, u := range d.utterances {
		tu := timedUtterance{text: u.Text, start: round3(t)}
		if u.Speaker == RoleCustomer {
			tu.speaker = 1
		}
		for _, tok := range strings.Fields(u.Text) {
			lead, core, trail := splitToken(tok)
			dur := min(0.12+0.055*float64(len([]rune(core))), 0.95)
			w := timedWord{lead: lead, core: core, trail: trail, start: round3(t), end: round3(t + dur),
				confidence: round3(0.82 + g.r.Float64()*0.18)}
			tu.words = append(tu.words, w)
			t += dur + 0.02 + g.r.Float64()*0.1
			if trail != "" {
				t += 0.15
			}
		}
		tu.end = tu.words[len(tu.words)-1].end
		out = append(out, tu)
		t += 0.4 + g.r.Float64()*1.1
	}
	return out, round3(t)
}

// transcriptMessage writes the call's transcript in its provider's format
// and records the transcript truth.
func (g *Generator) transcriptMessage(p *callPlan) Message {
	c := p.truth
	tt := &TranscriptTruth{
		Provider:   p.transcriptProvider,
		Language:   p.lp.code,
		Utterances: p.dialogue.utterances,
		PII:        emptyIfNil(p.dialogue.pii),
		Harmless:   emptyIfNil(p.dialogue.harmless),
		Time:       p.transcriptAt,
	}
	c.Transcript = tt
	var (
		value []byte
		shape string
	)
	switch p.transcriptProvider {
	case stages.ProviderAWSTranscribe:
		value, tt.ProviderLanguage = g.awsTranscribe(p)
		shape = ShapeAWSTranscribe
	case stages.ProviderDeepgram:
		value, tt.ProviderLanguage = g.deepgram(p)
		shape = ShapeDeepgram
	default:
		value, tt.ProviderLanguage = g.assemblyAI(p)
		shape = ShapeAssemblyAI
	}
	return Message{Value: value, Time: p.transcriptAt, Shape: shape}
}

func fullText(p *callPlan) string {
	texts := make([]string, len(p.timed))
	for i, u := range p.timed {
		texts[i] = u.text
	}
	return strings.Join(texts, " ")
}

// summaryText is what a provider's English summarisation writes: it names
// the customer, which is why callveil must drop it.
func summaryText(p *callPlan) string {
	name := p.customer.full()
	if p.callerNameMeta != "" {
		name = p.callerNameMeta
	} else if p.hasContact {
		name = p.contactFirst + " " + p.contactLast
	}
	return "The customer, " + name + ", called " + p.companyName + " support about an order; the agent confirmed the details and resolved the request."
}

// --- AWS Transcribe ----------------------------------------------------

type awsOutput struct {
	JobName   string     `json:"jobName"`
	AccountID string     `json:"accountId"`
	Results   awsResults `json:"results"`
	Status    string     `json:"status"`
}

type awsResults struct {
	LanguageCode           string             `json:"language_code,omitempty"`
	LanguageIdentification []awsLanguageScore `json:"language_identification,omitempty"`
	Transcripts            []awsTranscript    `json:"transcripts"`
	SpeakerLabels          awsSpeakerLabels   `json:"speaker_labels"`
	Items                  []awsItem          `json:"items"`
	AudioSegments          []awsAudioSegment  `json:"audio_segments,omitempty"`
}

type awsLanguageScore struct {
	Score string `json:"score"`
	Code  string `json:"code"`
}

type awsTranscript struct {
	Transcript string `json:"transcript"`
}

type awsSpeakerLabels struct {
	ChannelLabel string       `json:"channel_label"`
	Speakers     int          `json:"speakers"`
	Segments     []awsSegment `json:"segments"`
}

type awsSegment struct {
	StartTime    string           `json:"start_time"`
	SpeakerLabel string           `json:"speaker_label"`
	EndTime      string           `json:"end_time"`
	Items        []awsSegmentItem `json:"items"`
}

type awsSegmentItem struct {
	StartTime    string `json:"start_time"`
	SpeakerLabel string `json:"speaker_label"`
	EndTime      string `json:"end_time"`
}

type awsItem struct {
	ID           *int             `json:"id,omitempty"`
	StartTime    string           `json:"start_time,omitempty"`
	SpeakerLabel string           `json:"speaker_label,omitempty"`
	EndTime      string           `json:"end_time,omitempty"`
	Alternatives []awsAlternative `json:"alternatives"`
	Type         string           `json:"type"`
}

type awsAlternative struct {
	Confidence string `json:"confidence"`
	Content    string `json:"content"`
}

type awsAudioSegment struct {
	ID           int    `json:"id"`
	Transcript   string `json:"transcript"`
	StartTime    string `json:"start_time"`
	EndTime      string `json:"end_time"`
	SpeakerLabel string `json:"speaker_label"`
	Items        []int  `json:"items"`
}

// awsSeconds writes seconds the way Transcribe does: a string with up to
// three decimals ("4.87", "12.0").
func awsSeconds(x float64) string {
	s := strconv.FormatFloat(round3(x), 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

func (g *Generator) awsTranscribe(p *callPlan) ([]byte, string) {
	c := p.truth
	code := p.lp.awsCode[p.region]
	out := awsOutput{
		JobName:   g.personal(c, "aws-transcribe.jobName", "call-"+g.hex(8)+"-"+strconv.Itoa(c.Index)),
		AccountID: g.personal(c, "aws-transcribe.accountId", strconv.FormatInt(100000000000+g.r.Int64N(899999999999), 10)),
		Status:    "COMPLETED",
	}
	res := &out.Results
	res.Transcripts = []awsTranscript{{Transcript: fullText(p)}}
	declared := ""
	if g.chance(0.5) {
		// Language identification was on: the job names the language.
		res.LanguageCode = code
		other := pick(g.r, []string{"en-US", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-PT"})
		if other == code {
			other = "en-GB"
		}
		res.LanguageIdentification = []awsLanguageScore{
			{Score: "0." + strconv.Itoa(9500+g.r.IntN(499)), Code: code},
			{Score: "0.0" + strconv.Itoa(100+g.r.IntN(300)), Code: other},
		}
		declared = code
	}
	withIDs := g.chance(0.5) // newer outputs number their items
	res.SpeakerLabels = awsSpeakerLabels{ChannelLabel: "ch_0", Speakers: 2}
	id := 0
	for _, u := range p.timed {
		label := "spk_" + strconv.Itoa(u.speaker)
		seg := awsSegment{StartTime: awsSeconds(u.start), SpeakerLabel: label, EndTime: awsSeconds(u.end)}
		var segIDs []int
		for _, w := range u.words {
			item := awsItem{StartTime: awsSeconds(w.start), SpeakerLabel: label, EndTime: awsSeconds(w.end),
				Alternatives: []awsAlternative{{Confidence: strconv.FormatFloat(w.confidence, 'f', -1, 64), Content: w.lead + w.core}},
				Type:         "pronunciation"}
			if withIDs {
				item.ID = intPtr(id)
				segIDs = append(segIDs, id)
				id++
			}
			res.Items = append(res.Items, item)
			seg.Items = append(seg.Items, awsSegmentItem{StartTime: item.StartTime, SpeakerLabel: label, EndTime: item.EndTime})
			if w.trail != "" {
				punct := awsItem{SpeakerLabel: label, Alternatives: []awsAlternative{{Confidence: "0.0", Content: w.trail}}, Type: "punctuation"}
				if withIDs {
					punct.ID = intPtr(id)
					segIDs = append(segIDs, id)
					id++
				}
				res.Items = append(res.Items, punct)
			}
		}
		res.SpeakerLabels.Segments = append(res.SpeakerLabels.Segments, seg)
		if withIDs {
			res.AudioSegments = append(res.AudioSegments, awsAudioSegment{
				ID: len(res.AudioSegments), Transcript: u.text, StartTime: seg.StartTime, EndTime: seg.EndTime,
				SpeakerLabel: label, Items: segIDs,
			})
		}
	}
	return mustJSON(out), declared
}

func intPtr(i int) *int { return &i }

// --- Deepgram ----------------------------------------------------------

type dgResponse struct {
	Metadata dgMetadata `json:"metadata"`
	Results  dgResults  `json:"results"`
}

type dgMetadata struct {
	TransactionKey string                 `json:"transaction_key"`
	RequestID      string                 `json:"request_id"`
	SHA256         string                 `json:"sha256"`
	Created        string                 `json:"created"`
	Duration       float64                `json:"duration"`
	Channels       int                    `json:"channels"`
	Models         []string               `json:"models"`
	ModelInfo      map[string]dgModelInfo `json:"model_info"`
	SummaryInfo    *dgSummaryInfo         `json:"summary_info,omitempty"`
}

type dgModelInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Arch    string `json:"arch"`
}

type dgSummaryInfo struct {
	ModelUUID    string `json:"model_uuid"`
	InputTokens  int    `json:"input_tokens"`
	OutputTokens int    `json:"output_tokens"`
}

type dgResults struct {
	Channels   []dgChannel   `json:"channels"`
	Utterances []dgUtterance `json:"utterances,omitempty"`
	Summary    *dgSummary    `json:"summary,omitempty"`
}

type dgChannel struct {
	Alternatives       []dgAlternative `json:"alternatives"`
	DetectedLanguage   string          `json:"detected_language,omitempty"`
	LanguageConfidence float64         `json:"language_confidence,omitempty"`
}

type dgAlternative struct {
	Transcript string   `json:"transcript"`
	Confidence float64  `json:"confidence"`
	Words      []dgWord `json:"words"`
}

type dgWord struct {
	Word              string  `json:"word"`
	Start             float64 `json:"start"`
	End               float64 `json:"end"`
	Confidence        float64 `json:"confidence"`
	Speaker           int     `json:"speaker"`
	SpeakerConfidence float64 `json:"speaker_confidence"`
	PunctuatedWord    string  `json:"punctuated_word"`
}

type dgUtterance struct {
	Start      float64  `json:"start"`
	End        float64  `json:"end"`
	Confidence float64  `json:"confidence"`
	Channel    int      `json:"channel"`
	Transcript string   `json:"transcript"`
	Words      []dgWord `json:"words"`
	Speaker    int      `json:"speaker"`
	ID         string   `json:"id"`
}

type dgSummary struct {
	Result string `json:"result"`
	Short  string `json:"short"`
}

func (g *Generator) deepgram(p *callPlan) ([]byte, string) {
	c := p.truth
	model := g.uuid()
	resp := dgResponse{Metadata: dgMetadata{
		TransactionKey: "deprecated",
		RequestID:      g.personal(c, "deepgram.metadata.request_id", g.uuid()),
		SHA256:         g.personal(c, "deepgram.metadata.sha256", g.hex(64)),
		Created:        p.transcriptAt.UTC().Format("2006-01-02T15:04:05.000Z"),
		Duration:       p.audioSeconds,
		Channels:       1,
		Models:         []string{model},
		ModelInfo:      map[string]dgModelInfo{model: {Name: "2-general-nova", Version: "2024-01-06.5664", Arch: "nova-2"}},
	}}
	var words []dgWord
	var utterances []dgUtterance
	sum, n := 0.0, 0
	for _, u := range p.timed {
		uw := make([]dgWord, 0, len(u.words))
		for _, w := range u.words {
			uw = append(uw, dgWord{
				Word: strings.ToLower(w.core), Start: w.start, End: w.end, Confidence: w.confidence,
				Speaker: u.speaker, SpeakerConfidence: round3(0.5 + g.r.Float64()*0.5),
				PunctuatedWord: w.lead + w.core + w.trail,
			})
			sum += w.confidence
			n++
		}
		words = append(words, uw...)
		utterances = append(utterances, dgUtterance{
			Start: u.start, End: u.end, Confidence: round3(meanConfidence(u.words)), Channel: 0,
			Transcript: u.text, Words: uw, Speaker: u.speaker, ID: g.uuid(),
		})
	}
	ch := dgChannel{Alternatives: []dgAlternative{{Transcript: fullText(p), Confidence: round3(sum / float64(max(n, 1))), Words: words}}}
	declared := ""
	if g.chance(0.6) {
		ch.DetectedLanguage = p.lp.code
		ch.LanguageConfidence = round3(0.9 + g.r.Float64()*0.1)
		declared = p.lp.code
	}
	resp.Results.Channels = []dgChannel{ch}
	if g.chance(0.8) { // utterances=true
		resp.Results.Utterances = utterances
	}
	if p.lp.code == "en" && g.chance(0.4) { // summarize=v2, English only
		resp.Results.Summary = &dgSummary{Result: "success", Short: g.personal(c, "deepgram.results.summary.short", summaryText(p))}
		resp.Metadata.SummaryInfo = &dgSummaryInfo{ModelUUID: g.uuid(), InputTokens: 40 * len(p.timed), OutputTokens: 30}
	}
	return mustJSON(resp), declared
}

func meanConfidence(ws []timedWord) float64 {
	s := 0.0
	for _, w := range ws {
		s += w.confidence
	}
	return s / float64(max(len(ws), 1))
}

// --- AssemblyAI --------------------------------------------------------

type aaiTranscript struct {
	ID                 string         `json:"id"`
	LanguageModel      string         `json:"language_model"`
	AcousticModel      string         `json:"acoustic_model"`
	LanguageCode       string         `json:"language_code"`
	Status             string         `json:"status"`
	AudioURL           string         `json:"audio_url"`
	Text               string         `json:"text"`
	Words              []aaiWord      `json:"words"`
	Utterances         []aaiUtterance `json:"utterances"`
	Confidence         float64        `json:"confidence"`
	AudioDuration      int            `json:"audio_duration"`
	Punctuate          bool           `json:"punctuate"`
	FormatText         bool           `json:"format_text"`
	WebhookURL         *string        `json:"webhook_url"`
	SpeakerLabels      bool           `json:"speaker_labels"`
	LanguageDetection  bool           `json:"language_detection"`
	LanguageConfidence *float64       `json:"language_confidence"`
	RedactPII          bool           `json:"redact_pii"`
	AutoChapters       bool           `json:"auto_chapters"`
	Summarization      bool           `json:"summarization"`
	SummaryType        *string        `json:"summary_type"`
	EntityDetection    bool           `json:"entity_detection"`
	Chapters           []aaiChapter   `json:"chapters"`
	Entities           []aaiEntity    `json:"entities"`
	Summary            *string        `json:"summary"`
	SpeakersExpected   *int           `json:"speakers_expected"`
}

type aaiWord struct {
	Text       string  `json:"text"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Confidence float64 `json:"confidence"`
	Speaker    string  `json:"speaker"`
}

type aaiUtterance struct {
	Confidence float64   `json:"confidence"`
	End        int       `json:"end"`
	Speaker    string    `json:"speaker"`
	Start      int       `json:"start"`
	Text       string    `json:"text"`
	Words      []aaiWord `json:"words"`
}

type aaiChapter struct {
	Summary  string `json:"summary"`
	Headline string `json:"headline"`
	Gist     string `json:"gist"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

type aaiEntity struct {
	EntityType string `json:"entity_type"`
	Text       string `json:"text"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
}

func ms(x float64) int { return int(math.Round(x * 1000)) }

func (g *Generator) assemblyAI(p *callPlan) ([]byte, string) {
	c := p.truth
	code := p.lp.assemblyCode[p.region]
	t := aaiTranscript{
		ID:            g.personal(c, "assemblyai.id", g.uuid()),
		LanguageModel: "assemblyai_default", AcousticModel: "assemblyai_default",
		LanguageCode:  code,
		Status:        "completed",
		AudioURL:      g.personalURL(c, "assemblyai.audio_url", "https://cdn.assemblyai.com/upload/"+g.uuid()),
		Text:          fullText(p),
		AudioDuration: int(math.Ceil(p.audioSeconds)),
		Punctuate:     true, FormatText: true, SpeakerLabels: true,
	}
	sum, n := 0.0, 0
	for _, u := range p.timed {
		speaker := string(rune('A' + u.speaker))
		uw := make([]aaiWord, 0, len(u.words))
		for _, w := range u.words {
			uw = append(uw, aaiWord{Text: w.lead + w.core + w.trail, Start: ms(w.start), End: ms(w.end), Confidence: w.confidence, Speaker: speaker})
			sum += w.confidence
			n++
		}
		t.Words = append(t.Words, uw...)
		t.Utterances = append(t.Utterances, aaiUtterance{
			Confidence: round3(meanConfidence(u.words)), End: ms(u.end), Speaker: speaker, Start: ms(u.start), Text: u.text, Words: uw,
		})
	}
	t.Confidence = round3(sum / float64(max(n, 1)))
	if g.chance(0.5) {
		t.LanguageDetection = true
		lc := round3(0.9 + g.r.Float64()*0.1)
		t.LanguageConfidence = &lc
	}
	if g.chance(0.5) {
		t.EntityDetection = true
		t.Entities = []aaiEntity{}
		for _, pii := range p.dialogue.pii {
			u := p.timed[pii.Utterance]
			t.Entities = append(t.Entities, aaiEntity{
				EntityType: aaiEntityType(pii.Type),
				Text:       g.personal(c, "assemblyai.entities[].text", pii.Value),
				Start:      ms(u.start), End: ms(u.end),
			})
		}
	}
	if p.lp.code == "en" && g.chance(0.4) {
		t.Summarization = true
		st := "bullets"
		t.SummaryType = &st
		s := g.personal(c, "assemblyai.summary", "- "+summaryText(p))
		t.Summary = &s
	}
	if g.chance(0.2) {
		t.AutoChapters = true
		last := p.timed[len(p.timed)-1]
		t.Chapters = []aaiChapter{{
			Summary:  g.personal(c, "assemblyai.chapters[].summary", summaryText(p)),
			Headline: g.personal(c, "assemblyai.chapters[].headline", "Customer call with "+p.companyName),
			Gist:     g.personal(c, "assemblyai.chapters[].gist", "Support call"),
			Start:    ms(p.timed[0].start), End: ms(last.end),
		}}
	}
	return mustJSON(t), code
}

func aaiEntityType(t PIIType) string {
	switch t {
	case PIIPerson:
		return "person_name"
	case PIIPhoneNumber:
		return "phone_number"
	case PIIEmail:
		return "email_address"
	case PIICreditCard:
		return "credit_card_number"
	case PIIIBAN:
		return "banking_information"
	case PIIDateOfBirth:
		return "date_of_birth"
	default:
		return "location"
	}
}
