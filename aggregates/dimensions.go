package aggregates

import (
	"strings"

	"github.com/callveil/callveil/stages"
	"github.com/nyaruka/phonenumbers/v2"
)

// Dimension values that are not taken from a call.
const (
	// Unknown stands for a missing or unusable value (no number, a number
	// that is not E.164, no transcript language).
	Unknown = "unknown"
	// Other is the value of every dimension on the row that merges the
	// cells smaller than K.
	Other = "other"
	// NonGeographic is libphonenumber's region for global numbers (+800,
	// +882, …): they have a calling code but no country.
	NonGeographic = "001"
)

// Dimensions is one cell of a window. Every value comes from a fixed, small
// vocabulary (see the normalising functions below), never from free text.
type Dimensions struct {
	Direction     string `json:"direction"`
	Status        string `json:"status"`
	Language      string `json:"language"`
	CallerCountry string `json:"caller_country"`
	CalleeCountry string `json:"callee_country"`
}

// otherDimensions is the cell that merges all cells smaller than K.
func otherDimensions() Dimensions {
	return Dimensions{Direction: Other, Status: Other, Language: Other, CallerCountry: Other, CalleeCountry: Other}
}

func (d Dimensions) less(o Dimensions) bool {
	if d.Direction != o.Direction {
		return d.Direction < o.Direction
	}
	if d.Status != o.Status {
		return d.Status < o.Status
	}
	if d.Language != o.Language {
		return d.Language < o.Language
	}
	if d.CallerCountry != o.CallerCountry {
		return d.CallerCountry < o.CallerCountry
	}
	return d.CalleeCountry < o.CalleeCountry
}

// dimensionsOf derives a call's cell. Nothing of the numbers survives but
// the region their calling code points to.
func dimensionsOf(c *stages.RedactedCall) Dimensions {
	return Dimensions{
		Direction:     direction(c.Direction),
		Status:        status(c.Status),
		Language:      language(c.Language),
		CallerCountry: Country(c.From),
		CalleeCountry: Country(c.To),
	}
}

func direction(d stages.Direction) string {
	switch d {
	case stages.DirectionInbound, stages.DirectionOutbound:
		return string(d)
	}
	return Unknown
}

func status(s stages.Status) string {
	switch s {
	case stages.StatusInProgress, stages.StatusCompleted, stages.StatusNoAnswer,
		stages.StatusBusy, stages.StatusFailed, stages.StatusCanceled:
		return string(s)
	}
	return Unknown
}

// language keeps the primary subtag of a BCP 47 tag ("de-DE" -> "de") when
// it is two or three ASCII letters; anything else is Unknown, so a
// malformed value can never smuggle text into a column.
func language(tag string) string {
	primary, _, _ := strings.Cut(tag, "-")
	primary, _, _ = strings.Cut(primary, "_")
	if len(primary) < 2 || len(primary) > 3 {
		return Unknown
	}
	b := []byte(primary)
	for i, ch := range b {
		switch {
		case ch >= 'a' && ch <= 'z':
		case ch >= 'A' && ch <= 'Z':
			b[i] = ch + 'a' - 'A'
		default:
			return Unknown
		}
	}
	return string(b)
}

// Country is the ISO 3166 region of an E.164 number as libphonenumber's
// metadata derives it from the calling code and, where a code is shared
// (+1, +7, +44…), from the leading digits of the national number. It is
// NonGeographic for global numbers and Unknown for "" or anything that is
// not "+" followed by digits.
//
// It reads the calling code straight off the digits (codes are
// prefix-free) instead of calling phonenumbers.Parse, whose regular
// expressions cost more than all the rest of folding a call in.
func Country(e164 string) string {
	if len(e164) < 4 || len(e164) > 16 || e164[0] != '+' {
		return Unknown
	}
	digits := e164[1:]
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return Unknown
		}
	}
	cc := 0
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc = cc*10 + int(digits[l-1]-'0')
		regions := phonenumbers.GetRegionCodesForCountryCode(cc)
		if len(regions) == 0 {
			continue
		}
		if len(regions) == 1 {
			return regions[0]
		}
		return sharedCodeRegion(int32(cc), digits[l:], regions)
	}
	return Unknown
}

// sharedCodeRegion picks the region of a number under a calling code that
// several regions share, falling back to the code's main region (listed
// first) when the number matches none.
func sharedCodeRegion(cc int32, national string, regions []string) string {
	var nn uint64
	for i := 0; i < len(national); i++ {
		nn = nn*10 + uint64(national[i]-'0')
	}
	num := &phonenumbers.PhoneNumber{CountryCode: &cc, NationalNumber: &nn}
	if zeros := int32(len(national) - len(strings.TrimLeft(national, "0"))); zeros > 0 && nn != 0 {
		lead := true
		num.ItalianLeadingZero = &lead
		num.NumberOfLeadingZeros = &zeros
	}
	if r := phonenumbers.GetRegionCodeForNumber(num); r != "" && r != "ZZ" {
		return r
	}
	return regions[0]
}

// redactionType keeps a redaction type name when it looks like one
// ("PHONE_NUMBER"); anything else is counted under "OTHER" so that a bug
// upstream cannot write free text into the map keys.
func redactionType(t string) string {
	if t == "" || len(t) > 40 {
		return "OTHER"
	}
	for i := 0; i < len(t); i++ {
		ch := t[i]
		if !(ch >= 'A' && ch <= 'Z' || ch == '_' || i > 0 && ch >= '0' && ch <= '9') {
			return "OTHER"
		}
	}
	return t
}
