package callgen

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/callveil/callveil/stages"
)

// Payload shapes, as reported in Message.Shape and CallTruth.Shapes.
const (
	ShapeSipgateForm        = "sipgate/push-form"
	ShapeSipgateJSON        = "sipgate/push-json"
	ShapeTwilioCallback     = "twilio/status-callback"
	ShapeTwilioCallResource = "twilio/call-resource"
	ShapeAircallWebhook     = "aircall/webhook"
	ShapeAWSTranscribe      = "aws-transcribe/batch"
	ShapeDeepgram           = "deepgram/prerecorded"
	ShapeAssemblyAI         = "assemblyai/transcript"
)

// formBody is an application/x-www-form-urlencoded body built in the order
// the provider sends its keys (url.Values would sort them). Keys are
// written as they are, so "user[]" keeps its brackets like Sipgate's own
// requests; values are query-escaped.
type formBody []string

func (f *formBody) add(k, v string) { *f = append(*f, k, v) }

func (f formBody) bytes() []byte {
	var b strings.Builder
	for i := 0; i < len(f); i += 2 {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(f[i])
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(f[i+1]))
	}
	return []byte(b.String())
}

// mustJSON marshals values built from Go types that cannot fail to
// marshal (no channels, funcs or cyclic data).
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("callgen: marshal generated payload: " + err.Error())
	}
	return b
}

// --- Sipgate -----------------------------------------------------------

// sipgateEvents writes newCall, answer (when answered) and hangup push
// events. Push events carry no times: the record time is the event time.
func (g *Generator) sipgateEvents(p *callPlan) []Message {
	c := p.truth
	callID := strings.ToUpper(g.hex(16))
	xcid := g.hex(12)
	from, to := p.ext.Digits(), p.company.Digits()
	if !p.inbound {
		from, to = p.company.Digits(), p.ext.Digits()
	}
	if p.withheld {
		from = "anonymous"
	}
	direction := "in"
	if !p.inbound {
		direction = "out"
	}
	account := strconv.Itoa(1000000 + g.r.IntN(9000000))
	users := []string{p.agentMeta}
	if p.colleagueMeta != "" {
		users = append(users, p.colleagueMeta)
	}
	userIDs := make([]string, len(users))
	fullUserIDs := make([]string, len(users))
	for i := range users {
		userIDs[i] = g.personal(c, "sipgate.userId[]", "w"+strconv.Itoa(i))
		fullUserIDs[i] = g.personal(c, "sipgate.fullUserId[]", account+"w"+strconv.Itoa(i))
	}
	withIDs := g.chance(0.5)

	// Each event is built as ordered key/value pairs, then written as a
	// form body or (SDK-relayed calls) as the JSON object form.
	type kv struct {
		k string
		v any // string or []string
	}
	write := func(pairs []kv) ([]byte, string) {
		if p.sipgateJSON {
			obj := map[string]any{} // encoding/json sorts keys, like the SDK sample
			for _, e := range pairs {
				obj[e.k] = e.v
			}
			return mustJSON(obj), ShapeSipgateJSON
		}
		var f formBody
		for _, e := range pairs {
			switch v := e.v.(type) {
			case string:
				f.add(e.k, v)
			case []string:
				for _, s := range v {
					f.add(e.k, s)
				}
			}
		}
		return f.bytes(), ShapeSipgateForm
	}
	msg := func(at time.Time, pairs []kv) Message {
		v, shape := write(pairs)
		return Message{Key: []byte(callID), Value: v, Time: at, Shape: shape}
	}

	newCall := []kv{{"event", "newCall"}, {"from", from}, {"to", to}, {"direction", direction}, {"callId", callID}}
	if withIDs || p.sipgateJSON {
		newCall = append(newCall, kv{"originalCallId", callID}, kv{"xcid", xcid})
	}
	newCall = append(newCall, kv{"user[]", users}, kv{"userId[]", userIDs}, kv{"fullUserId[]", fullUserIDs})
	out := []Message{msg(p.start, newCall)}

	if c.Answered {
		answer := []kv{{"event", "answer"}, {"callId", callID}, {"user", users[0]}, {"userId", userIDs[0]},
			{"fullUserId", fullUserIDs[0]}, {"from", from}, {"to", to}, {"direction", direction}, {"answeringNumber", p.company.Digits()}}
		out = append(out, msg(p.answer, answer))
	}
	cause := map[stages.Status]string{
		stages.StatusCompleted: "normalClearing", stages.StatusNoAnswer: "noAnswer",
		stages.StatusBusy: "busy", stages.StatusCanceled: "cancel",
	}[p.status]
	hangup := []kv{{"event", "hangup"}, {"cause", cause}, {"callId", callID}, {"from", from}, {"to", to}, {"direction", direction}}
	if c.Answered {
		hangup = append(hangup, kv{"answeringNumber", p.company.Digits()})
	}
	return append(out, msg(p.finalAt, hangup))
}

// --- Twilio ------------------------------------------------------------

// twilioTimestamp is RFC 2822 as Twilio writes it: "Tue, 31 Aug 2010
// 20:36:28 +0000".
func twilioTimestamp(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }

// twilioEvents writes status callbacks (ringing, in-progress, final) and,
// for some calls, the Call resource JSON instead of the final callback (as
// an integration that fetches the call after it ends produces it).
func (g *Generator) twilioEvents(p *callPlan) []Message {
	c := p.truth
	sid := "CA" + g.hex(32)
	accountSid := g.personal(c, "twilio.AccountSid,account_sid", "AC"+g.hex(32))
	direction := "inbound"
	if !p.inbound {
		direction = p.twilioOutboundDirection
	}
	from, to := p.ext, p.company
	fromCity, fromZip, toCity, toZip := p.extCity, p.extZip, p.companyCity, p.companyZip
	if !p.inbound {
		from, to = p.company, p.ext
		fromCity, fromZip, toCity, toZip = p.companyCity, p.companyZip, p.extCity, p.extZip
	}
	// Twilio fills City/State/Zip from number lookups; outside the US it
	// mostly knows only the country.
	geo := func(side string, ct city, zip string) (cityName, state, zipCode string) {
		if p.region == "US" {
			cityName, state, zipCode = strings.ToUpper(ct.name), ct.state, zip
		} else if g.chance(0.5) {
			cityName = strings.ToUpper(ct.name)
		}
		cityName = g.personalIfSet(c, "twilio."+side+"City", cityName)
		state = g.personalIfSet(c, "twilio."+side+"State", state)
		zipCode = g.personalIfSet(c, "twilio."+side+"Zip", zipCode)
		return
	}
	fCity, fState, fZip := geo("From,Caller", fromCity, fromZip)
	tCity, tState, tZip := geo("To,Called", toCity, toZip)
	status := map[stages.Status]string{
		stages.StatusCompleted: "completed", stages.StatusNoAnswer: "no-answer", stages.StatusBusy: "busy",
		stages.StatusCanceled: "canceled", stages.StatusFailed: "failed",
	}[p.status]
	// Recording parameters ride on the final status callback only.
	recorded := c.Answered && !p.twilioCallResource && g.chance(0.4)
	recordingSid := "RE" + g.hex(32)
	recordingURL := g.personalURLIf(recorded, c, "twilio.RecordingUrl",
		"https://api.twilio.com/2010-04-01/Accounts/"+accountSid+"/Recordings/"+recordingSid)
	if recorded && g.cfg.Canary {
		recordingSid = g.canary(c, "twilio.RecordingSid")
	}

	callback := func(seq int, at time.Time, callStatus string, final bool) Message {
		var f formBody
		f.add("Called", to.E164())
		f.add("ToState", tState)
		f.add("CallerCountry", from.region)
		f.add("Direction", direction)
		f.add("Timestamp", twilioTimestamp(at))
		f.add("CallbackSource", "call-progress-events")
		f.add("CallerState", fState)
		f.add("ToZip", tZip)
		f.add("SequenceNumber", strconv.Itoa(seq))
		f.add("CallSid", sid)
		f.add("To", to.E164())
		f.add("CallerZip", fZip)
		f.add("ToCountry", to.region)
		f.add("CalledZip", tZip)
		f.add("ApiVersion", "2010-04-01")
		f.add("CalledCity", tCity)
		f.add("CallStatus", callStatus)
		if final {
			secs := c.TalkSeconds
			f.add("CallDuration", strconv.FormatInt(secs, 10))
			// Duration is billed minutes, not seconds.
			f.add("Duration", strconv.FormatInt((secs+59)/60, 10))
			sip := map[string]string{"completed": "200", "busy": "486", "no-answer": "487", "canceled": "487", "failed": "503"}[callStatus]
			f.add("SipResponseCode", sip)
			if recorded {
				f.add("RecordingUrl", recordingURL)
				f.add("RecordingSid", recordingSid)
				f.add("RecordingDuration", strconv.FormatInt(secs, 10))
			}
		}
		f.add("From", from.E164())
		f.add("AccountSid", accountSid)
		f.add("CalledCountry", to.region)
		f.add("CallerCity", fCity)
		f.add("ToCity", tCity)
		f.add("FromCountry", from.region)
		f.add("Caller", from.E164())
		f.add("FromCity", fCity)
		f.add("CalledState", tState)
		f.add("FromZip", fZip)
		f.add("FromState", fState)
		if p.callerNameMeta != "" {
			f.add("CallerName", p.callerNameMeta)
		}
		return Message{Key: []byte(sid), Value: f.bytes(), Time: at, Shape: ShapeTwilioCallback}
	}

	out := []Message{callback(0, p.start, "ringing", false)}
	if c.Answered {
		out = append(out, callback(1, p.answer, "in-progress", false))
	}
	if !p.twilioCallResource {
		return append(out, callback(len(out), p.finalAt, status, true))
	}

	var callerName, annotation *string
	if p.callerNameMeta != "" {
		callerName = &p.callerNameMeta
	}
	if g.chance(0.3) {
		a := g.personal(c, "twilio.annotation", "ticket-"+strconv.Itoa(10000+g.r.IntN(90000)))
		annotation = &a
	}
	uri := "/2010-04-01/Accounts/" + accountSid + "/Calls/" + sid
	sub := func(name string) string { return uri + "/" + name + ".json" }
	resource := twilioCall{
		AccountSid: accountSid, Annotation: annotation, APIVersion: "2010-04-01", CallerName: callerName,
		DateCreated: twilioTimestamp(p.start), DateUpdated: twilioTimestamp(p.finalAt.Add(time.Second)),
		Direction: direction, Duration: strconv.FormatInt(c.TalkSeconds, 10), EndTime: twilioTimestamp(p.end),
		From: from.E164(), FromFormatted: from.national, PhoneNumberSid: "PN" + g.hex(32),
		Price: "-0.0" + strconv.Itoa(100+g.r.IntN(900)) + "0", PriceUnit: "USD", Sid: sid,
		StartTime: twilioTimestamp(p.start), Status: status,
		SubresourceURIs: map[string]string{
			"notifications": sub("Notifications"), "recordings": sub("Recordings"), "events": sub("Events"),
			"payments": sub("Payments"), "siprec": sub("Siprec"), "streams": sub("Streams"),
			"user_defined_message_subscriptions": sub("UserDefinedMessageSubscriptions"),
			"user_defined_messages":              sub("UserDefinedMessages"),
		},
		To: to.E164(), ToFormatted: to.national, URI: uri + ".json", QueueTime: "0",
	}
	if c.Answered && g.chance(0.3) {
		ab := "human"
		resource.AnsweredBy = &ab
	}
	return append(out, Message{Key: []byte(sid), Value: mustJSON(resource), Time: p.finalAt, Shape: ShapeTwilioCallResource})
}

// twilioCall is the Call resource (GET /2010-04-01/Accounts/{sid}/Calls/{sid}.json),
// field for field as in twilio-python's fixture.
type twilioCall struct {
	AccountSid      string            `json:"account_sid"`
	Annotation      *string           `json:"annotation"`
	AnsweredBy      *string           `json:"answered_by"`
	APIVersion      string            `json:"api_version"`
	CallerName      *string           `json:"caller_name"`
	DateCreated     string            `json:"date_created"`
	DateUpdated     string            `json:"date_updated"`
	Direction       string            `json:"direction"`
	Duration        string            `json:"duration"`
	EndTime         string            `json:"end_time"`
	ForwardedFrom   *string           `json:"forwarded_from"`
	From            string            `json:"from"`
	FromFormatted   string            `json:"from_formatted"`
	GroupSid        *string           `json:"group_sid"`
	ParentCallSid   *string           `json:"parent_call_sid"`
	PhoneNumberSid  string            `json:"phone_number_sid"`
	Price           string            `json:"price"`
	PriceUnit       string            `json:"price_unit"`
	Sid             string            `json:"sid"`
	StartTime       string            `json:"start_time"`
	Status          string            `json:"status"`
	SubresourceURIs map[string]string `json:"subresource_uris"`
	To              string            `json:"to"`
	ToFormatted     string            `json:"to_formatted"`
	TrunkSid        *string           `json:"trunk_sid"`
	URI             string            `json:"uri"`
	QueueTime       string            `json:"queue_time"`
}

// personalIfSet canaries a field only where the provider would fill it, so
// that canary mode keeps the shape of real payloads (empty stays empty).
func (g *Generator) personalIfSet(c *CallTruth, field, real string) string {
	if real == "" && !g.cfg.Canary {
		return ""
	}
	return g.personal(c, field, real)
}

func (g *Generator) personalURLIf(set bool, c *CallTruth, field, real string) string {
	if !set {
		return ""
	}
	return g.personalURL(c, field, real)
}

// --- Aircall -----------------------------------------------------------

type aircallEnvelope struct {
	Resource  string      `json:"resource"`
	Event     string      `json:"event"`
	Timestamp int64       `json:"timestamp"`
	Token     string      `json:"token"`
	Data      aircallCall `json:"data"`
}

type aircallCall struct {
	ID               int64            `json:"id"`
	CallUUID         string           `json:"call_uuid"`
	DirectLink       string           `json:"direct_link"`
	Direction        string           `json:"direction"`
	Status           string           `json:"status"`
	MissedCallReason *string          `json:"missed_call_reason"`
	StartedAt        int64            `json:"started_at"`
	AnsweredAt       *int64           `json:"answered_at"`
	EndedAt          *int64           `json:"ended_at"`
	Duration         int64            `json:"duration"`
	Cost             string           `json:"cost"`
	HangupCause      *string          `json:"hangup_cause"`
	Voicemail        *string          `json:"voicemail"`
	Recording        *string          `json:"recording"`
	Asset            *string          `json:"asset"`
	RawDigits        string           `json:"raw_digits"`
	User             *aircallUser     `json:"user"`
	Contact          *aircallContact  `json:"contact"`
	Number           aircallNumber    `json:"number"`
	Archived         bool             `json:"archived"`
	Teams            []aircallTeam    `json:"teams"`
	Comments         []aircallComment `json:"comments"`
	Tags             []aircallTag     `json:"tags"`
	TransferredBy    *aircallUser     `json:"transferred_by"`
	TransferredTo    *aircallUser     `json:"transferred_to"`
}

type aircallUser struct {
	ID                 int64  `json:"id"`
	DirectLink         string `json:"direct_link"`
	Name               string `json:"name"`
	Email              string `json:"email"`
	Available          bool   `json:"available"`
	AvailabilityStatus string `json:"availability_status"`
	Language           string `json:"language"`
	WrapUpTime         int    `json:"wrap_up_time"`
}

type aircallNumber struct {
	ID                     int64             `json:"id"`
	DirectLink             string            `json:"direct_link"`
	Name                   string            `json:"name"`
	Digits                 string            `json:"digits"`
	Country                string            `json:"country"`
	TimeZone               string            `json:"time_zone"`
	Open                   bool              `json:"open"`
	AvailabilityStatus     string            `json:"availability_status"`
	IsIVR                  bool              `json:"is_ivr"`
	LiveRecordingActivated bool              `json:"live_recording_activated"`
	Messages               map[string]string `json:"messages"`
}

type aircallContact struct {
	ID           int64          `json:"id"`
	DirectLink   string         `json:"direct_link"`
	FirstName    string         `json:"first_name"`
	LastName     string         `json:"last_name"`
	CompanyName  string         `json:"company_name"`
	Information  string         `json:"information"`
	IsShared     bool           `json:"is_shared"`
	PhoneNumbers []aircallValue `json:"phone_numbers"`
	Emails       []aircallValue `json:"emails"`
}

type aircallValue struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Value string `json:"value"`
}

type aircallTeam struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	DirectLink string `json:"direct_link"`
	CreatedAt  string `json:"created_at"`
}

type aircallComment struct {
	ID       int64        `json:"id"`
	Content  string       `json:"content"`
	PostedAt int64        `json:"posted_at"`
	PostedBy *aircallUser `json:"posted_by"`
}

type aircallTag struct {
	ID       int64        `json:"id"`
	Name     string       `json:"name"`
	TaggedAt int64        `json:"tagged_at"`
	TaggedBy *aircallUser `json:"tagged_by"`
}

func timeZoneOf(region string) string {
	return map[string]string{
		"DE": "Europe/Berlin", "AT": "Europe/Vienna", "FR": "Europe/Paris", "ES": "Europe/Madrid",
		"IT": "Europe/Rome", "NL": "Europe/Amsterdam", "PT": "Europe/Lisbon", "GB": "Europe/London",
		"US": "America/New_York",
	}[region]
}

// aircallEvents writes call.created, call.answered (when answered) and
// call.ended webhooks. Personal and dropped fields are filled as a real
// account fills them: user, contact, comments, tags, recording, asset.
func (g *Generator) aircallEvents(p *callPlan) []Message {
	c := p.truth
	g.aircallID += 1 + int64(g.r.IntN(40))
	id := g.aircallID
	api := "https://api.aircall.io/v1/"
	token := g.personal(c, "aircall.token", g.hex(32))
	userID := 700000 + int64(g.r.IntN(99999))
	var user *aircallUser
	if p.agentMeta != "" {
		user = &aircallUser{
			ID:                 userID,
			DirectLink:         g.personalURL(c, "aircall.data.user.direct_link", api+"users/"+strconv.FormatInt(userID, 10)),
			Name:               p.agentMeta,
			Email:              g.personalEmail(c, "aircall.data.user.email", asciiFold(p.agent.first)+"."+asciiFold(p.agent.last)+"@"+strings.ToLower(strings.ReplaceAll(asciiFold(p.companyName), " ", ""))+".com"),
			Available:          false,
			AvailabilityStatus: "in_call",
			Language:           map[string]string{"en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT", "nl": "nl-NL", "pt": "pt-PT"}[p.lp.code],
		}
	}
	numberID := 400000 + int64(g.r.IntN(99999))
	media := "https://media-web.aircall.io/tracks/"
	number := aircallNumber{
		ID:                 numberID,
		DirectLink:         g.personalURL(c, "aircall.data.number.direct_link", api+"numbers/"+strconv.FormatInt(numberID, 10)),
		Name:               g.personal(c, "aircall.data.number.name", p.companyName+" "+p.companyCity.name),
		Digits:             p.company.international,
		Country:            p.region,
		TimeZone:           timeZoneOf(p.region),
		Open:               true,
		AvailabilityStatus: "open",
		Messages:           map[string]string{},
	}
	for _, m := range []string{"welcome", "waiting", "ivr", "voicemail", "closed", "callback_later"} {
		number.Messages[m] = g.personalURL(c, "aircall.data.number.messages."+m, media+m+"/"+g.hex(40)+".mp3")
	}
	var contact *aircallContact
	if p.hasContact {
		contactID := 9000000 + int64(g.r.IntN(999999))
		email, _ := emailFor(g.r, p.lp, p.customer)
		contact = &aircallContact{
			ID:          contactID,
			DirectLink:  g.personalURL(c, "aircall.data.contact.direct_link", api+"contacts/"+strconv.FormatInt(contactID, 10)),
			FirstName:   p.contactFirst,
			LastName:    p.contactLast,
			CompanyName: g.personal(c, "aircall.data.contact.company_name", ""),
			Information: g.personal(c, "aircall.data.contact.information", "Prefers calls after 4pm"),
			PhoneNumbers: []aircallValue{{
				ID: contactID + 1, Label: "Mobile", Value: p.ext.international,
			}},
			Emails: []aircallValue{{
				ID: contactID + 2, Label: "Work", Value: g.personalEmail(c, "aircall.data.contact.emails[].value", email),
			}},
		}
	}
	var teams []aircallTeam
	if g.chance(0.3) {
		teamID := int64(10000 + g.r.IntN(9999))
		teams = append(teams, aircallTeam{
			ID: teamID, Name: g.personal(c, "aircall.data.teams[].name", "Support "+p.region),
			DirectLink: g.personalURL(c, "aircall.data.teams[].direct_link", api+"teams/"+strconv.FormatInt(teamID, 10)),
			CreatedAt:  "2021-06-01T09:00:00.000Z",
		})
	}
	direction := "inbound"
	if !p.inbound {
		direction = "outbound"
	}
	base := aircallCall{
		ID: id, CallUUID: g.uuid(),
		DirectLink: g.personalURL(c, "aircall.data.direct_link", api+"calls/"+strconv.FormatInt(id, 10)),
		Direction:  direction, StartedAt: p.start.Unix(), Cost: "0.0", RawDigits: p.ext.international,
		Contact: contact, Number: number, Teams: emptyIfNil(teams),
		Comments: []aircallComment{}, Tags: []aircallTag{},
	}
	msg := func(event string, at time.Time, d aircallCall) Message {
		env := aircallEnvelope{Resource: "call", Event: event, Timestamp: at.Unix(), Token: token, Data: d}
		return Message{Key: []byte(strconv.FormatInt(id, 10)), Value: mustJSON(env), Time: at, Shape: ShapeAircallWebhook}
	}

	created := base
	created.Status = "initial"
	if !p.inbound {
		created.User = user
	}
	out := []Message{msg("call.created", p.start, created)}

	answeredAt := p.answer.Unix()
	if c.Answered {
		answered := base
		answered.Status = "answered"
		answered.AnsweredAt = &answeredAt
		answered.User = user
		out = append(out, msg("call.answered", p.answer, answered))
	}

	ended := base
	ended.Status = "done"
	endedAt := p.end.Unix()
	ended.EndedAt = &endedAt
	ended.Duration = p.end.Unix() - p.start.Unix()
	ended.User = user
	if c.Answered {
		ended.AnsweredAt = &answeredAt
		if g.chance(0.6) {
			rec := g.personalURL(c, "aircall.data.recording",
				"https://aircall-recordings.s3.amazonaws.com/calls/"+strconv.FormatInt(id, 10)+"/recording.mp3?X-Amz-Expires=600&X-Amz-Signature="+g.hex(64))
			asset := g.personalURL(c, "aircall.data.asset", "https://assets.aircall.io/calls/"+strconv.FormatInt(id, 10)+"/recording")
			ended.Recording, ended.Asset = &rec, &asset
		}
	} else {
		if p.inbound {
			reason := pick(g.r, []string{"agents_did_not_answer", "no_available_agent", "out_of_opening_hours"})
			if p.status == stages.StatusCanceled {
				reason = pick(g.r, []string{"short_abandoned", "abandoned_in_ivr"})
			}
			ended.MissedCallReason = &reason
			if g.chance(0.3) {
				vm := g.personalURL(c, "aircall.data.voicemail",
					"https://aircall-voicemails.s3.amazonaws.com/calls/"+strconv.FormatInt(id, 10)+"/voicemail.mp3?X-Amz-Signature="+g.hex(64))
				ended.Voicemail = &vm
			}
		}
	}
	if g.chance(0.3) {
		ended.Comments = []aircallComment{{
			ID:       int64(30000000 + g.r.IntN(999999)),
			Content:  g.personal(c, "aircall.data.comments[].content", "Call back "+p.customer.first+" tomorrow about the invoice"),
			PostedAt: p.end.Unix(), PostedBy: user,
		}}
	}
	if g.chance(0.3) {
		ended.Tags = []aircallTag{{
			ID:       int64(200000 + g.r.IntN(99999)),
			Name:     g.personal(c, "aircall.data.tags[].name", pick(g.r, []string{"VIP", "Billing", "Follow-up", "Churn risk"})),
			TaggedAt: p.end.Unix(), TaggedBy: user,
		}}
	}
	return append(out, msg("call.ended", p.finalAt, ended))
}

func emptyIfNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
