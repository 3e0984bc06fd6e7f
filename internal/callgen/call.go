package callgen

import (
	"math"
	"time"

	"github.com/callveil/callveil/stages"
)

// callPlan is everything decided about one call before its payloads are
// written. Payload builders only read it (and draw ids/noise from the rng).
type callPlan struct {
	truth   *CallTruth
	lp      *langPack
	region  string
	inbound bool
	// ext is the external party's number, company the company's line.
	ext, company phoneNumber
	withheld     bool
	agent        person
	customer     person
	colleague    person
	companyName  string
	extCity      city
	extZip       string
	companyCity  city
	companyZip   string

	// Values put into the metadata, already replaced by canaries in canary
	// mode.
	agentMeta, colleagueMeta    string
	callerNameMeta              string // Twilio CNAM, "" when absent
	contactFirst, contactLast   string // Aircall contact, "" when absent
	hasContact                  bool
	twilioCallResource          bool
	sipgateJSON                 bool
	start, answer, end, finalAt time.Time
	transcriptAt                time.Time
	transcriptProvider          stages.Provider
	dialogue                    dialogue
	timed                       []timedUtterance
	audioSeconds                float64
	status                      stages.Status
	twilioOutboundDirection     string
}

func (g *Generator) chance(p float64) bool { return g.r.Float64() < p }

func (g *Generator) addCall() {
	idx := g.callsMade
	g.callsMade++
	start := g.nextCallAt
	gap := time.Duration(math.Round(g.r.ExpFloat64()*g.meanGap.Seconds())) * time.Second
	g.nextCallAt = start.Add(gap)

	provider := g.telephonyCycle.next(g.r)
	lang := g.languageCycle.next(g.r)
	lp := g.packs[lang]
	region := lp.regions[0]
	if len(lp.regions) > 1 && g.chance(0.3) {
		region = pick(g.r, lp.regions[1:])
	}
	c := &CallTruth{Index: idx, Provider: provider, Language: lang, Region: region}
	p := &callPlan{truth: c, lp: lp, region: region, start: start}
	p.inbound = g.chance(0.65)
	if p.inbound {
		c.Direction = stages.DirectionInbound
	} else {
		c.Direction = stages.DirectionOutbound
	}

	// Outcome. Sipgate has no "failed" cause in the push events we emit,
	// and Aircall only knows answered or missed.
	u := g.r.Float64()
	switch {
	case u < 0.76:
		p.status = stages.StatusCompleted
	case u < 0.86:
		p.status = stages.StatusNoAnswer
	case u < 0.92:
		p.status = stages.StatusBusy
	case u < 0.98:
		p.status = stages.StatusCanceled
	default:
		p.status = stages.StatusFailed
	}
	if provider == stages.ProviderSipgate && p.status == stages.StatusFailed {
		p.status = stages.StatusNoAnswer
	}
	// Aircall only says answered or missed, with a missed_call_reason on
	// inbound calls: callers who gave up (abandoned) canceled, everything
	// else was not answered.
	if provider == stages.ProviderAircall && p.status != stages.StatusCompleted &&
		(p.status != stages.StatusCanceled || !p.inbound) {
		p.status = stages.StatusNoAnswer
	}
	c.Status = p.status
	c.Answered = p.status == stages.StatusCompleted

	plans := plansByRegion(region)
	var mobiles []numberPlan
	for _, pl := range plans {
		if pl.mobile {
			mobiles = append(mobiles, pl)
		}
	}
	p.ext = drawNumber(g.r, pick(g.r, mobiles))
	p.company = drawNumber(g.r, plans[len(plans)-1])
	p.withheld = provider == stages.ProviderSipgate && p.inbound && g.chance(0.12)
	p.agent = drawPerson(g.r, lp)
	p.customer = drawPerson(g.r, lp)
	p.colleague = drawPerson(g.r, lp)
	p.companyName = pick(g.r, lp.companies)
	_, p.extCity, p.extZip = addressFor(g.r, lp, region)
	_, p.companyCity, p.companyZip = addressFor(g.r, lp, region)

	if p.inbound {
		c.From, c.To = p.ext.E164(), p.company.E164()
	} else {
		c.From, c.To = p.company.E164(), p.ext.E164()
	}
	if p.withheld {
		c.From, c.Withheld = "", true
	}

	// Metadata names, which the dialogue reuses so that redaction hints
	// matter.
	agentFromMeta, customerFromMeta := false, false
	switch provider {
	case stages.ProviderSipgate:
		p.agentMeta = g.personal(c, "sipgate.user[]", p.agent.full())
		c.MetadataNames = append(c.MetadataNames, p.agentMeta)
		if g.chance(0.4) {
			p.colleagueMeta = g.personal(c, "sipgate.user[]", p.colleague.full())
			c.MetadataNames = append(c.MetadataNames, p.colleagueMeta)
		}
		agentFromMeta = true
		p.sipgateJSON = g.chance(0.2)
	case stages.ProviderTwilio:
		if p.inbound && g.chance(0.5) {
			p.callerNameMeta = g.personal(c, "twilio.CallerName,caller_name", p.customer.full())
			c.MetadataNames = append(c.MetadataNames, p.callerNameMeta)
			customerFromMeta = true
		}
		p.twilioCallResource = g.chance(0.25)
		p.twilioOutboundDirection = "outbound-api"
		if g.chance(0.3) {
			p.twilioOutboundDirection = "outbound-dial"
		}
	case stages.ProviderAircall:
		// A missed inbound call never reaches a user: its webhooks carry
		// "user": null.
		if c.Answered || !p.inbound {
			p.agentMeta = g.personal(c, "aircall.data.user.name", p.agent.full())
			c.MetadataNames = append(c.MetadataNames, p.agentMeta)
			agentFromMeta = true
		}
		if g.chance(0.7) {
			p.hasContact = true
			p.contactFirst = g.personal(c, "aircall.data.contact.first_name", p.customer.first)
			p.contactLast = g.personal(c, "aircall.data.contact.last_name", p.customer.last)
			c.MetadataNames = append(c.MetadataNames, p.contactFirst+" "+p.contactLast)
			customerFromMeta = true
		}
	}

	// Timing. Unanswered calls ring for a while; answered ones last as
	// long as their dialogue (plus a tail) or a random talk time.
	hasTranscript := c.Answered && len(g.transcribers) > 0 && g.share > 0 && g.chance(g.share)
	switch p.status {
	case stages.StatusCompleted:
		p.answer = start.Add(g.seconds(3, 25))
		talk := g.seconds(10, 900)
		if hasTranscript {
			agentName := p.agent.first
			if g.chance(0.5) {
				agentName = p.agent.full()
			}
			customerName := p.customer.full()
			if g.cfg.Canary && agentFromMeta {
				// Say the metadata's canary so that only hint-based
				// redaction can remove it.
				agentName = p.agentMeta
			}
			if customerFromMeta {
				if provider == stages.ProviderAircall {
					customerName = p.contactFirst + " " + p.contactLast
				} else {
					customerName = p.callerNameMeta
				}
			}
			p.dialogue = buildDialogue(g.r, dialogueInput{
				lp: lp, region: region, company: p.companyName,
				agentName: agentName, customerName: customerName,
				agentFromMetadata: agentFromMeta, customerFromMetadata: customerFromMeta,
				customer: p.customer, callerNumber: p.ext, withheld: p.withheld,
			})
			p.timed, p.audioSeconds = g.timeDialogue(p.dialogue)
			talk = time.Duration(math.Ceil(p.audioSeconds))*time.Second + g.seconds(2, 20)
		}
		p.end = p.answer.Add(talk)
		c.TalkSeconds = int64(talk / time.Second)
	case stages.StatusNoAnswer:
		p.end = start.Add(g.seconds(15, 30))
	case stages.StatusBusy:
		p.end = start.Add(g.seconds(1, 3))
	case stages.StatusCanceled:
		p.end = start.Add(g.seconds(3, 15))
	default:
		p.end = start.Add(g.seconds(0, 2))
	}
	p.finalAt = p.end
	if hasTranscript {
		p.transcriptProvider = g.transcriberCycle.next(g.r)
		if g.chance(0.12) {
			// The telephony webhook is late (retried): the transcript gets
			// to Kafka before the call's final event.
			delay := g.seconds(60, 300)
			p.finalAt = p.end.Add(delay)
			p.transcriptAt = p.end.Add(g.seconds(5, int(delay/time.Second)-1))
		} else {
			p.transcriptAt = p.end.Add(g.seconds(20, 240))
		}
	}

	c.Start = start
	var events []Message
	switch provider {
	case stages.ProviderSipgate:
		events = g.sipgateEvents(p)
		if c.Answered {
			c.DurationSeconds = int64(p.finalAt.Sub(p.answer) / time.Second)
		}
	case stages.ProviderTwilio:
		events = g.twilioEvents(p)
		c.DurationSeconds = c.TalkSeconds
	case stages.ProviderAircall:
		events = g.aircallEvents(p)
		c.DurationSeconds = c.TalkSeconds
	}
	c.CallID = string(events[0].Key)
	c.Events = len(events)
	for i := range events {
		events[i].Topic = KindEvents
		events[i].Call = c
		events[i].Headers = g.headers(provider, "")
		c.Shapes = append(c.Shapes, events[i].Shape)
		g.push(events[i])
	}
	if hasTranscript {
		m := g.transcriptMessage(p)
		m.Topic = KindTranscripts
		m.Key = events[0].Key
		m.Call = c
		m.Headers = g.headers(p.transcriptProvider, provider)
		c.Transcript.ProviderHeader = m.Headers[HeaderProvider] != ""
		c.Transcript.ArrivesBeforeEnd = p.transcriptAt.Before(p.finalAt)
		c.Shapes = append(c.Shapes, m.Shape)
		g.push(m)
	}
}

// headers builds a record's headers; one record in ten lacks "provider" so
// that consumers must recognise the payload by its shape.
func (g *Generator) headers(provider, callProvider stages.Provider) map[string]string {
	h := map[string]string{}
	if !g.chance(0.1) {
		h[HeaderProvider] = string(provider)
	}
	if callProvider != "" {
		h[HeaderCallProvider] = string(callProvider)
	}
	return h
}
