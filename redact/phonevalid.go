package redact

import (
	"regexp"
	"sync"

	"github.com/nyaruka/phonenumbers/v2"
)

// phoneMetadata is libphonenumber's embedded metadata, parsed once; the
// library caches it without a lock, so the first read is serialised here.
var phoneMetadata = sync.OnceValues(phonenumbers.MetadataCollection)

// phoneValidator answers phonenumbers.IsValidNumber for the country codes
// of the redactor's regions with the same metadata and the same algorithm,
// but with every pattern compiled once when the Redactor is built.
// libphonenumber looks its patterns up in a locked cache on each test and
// tests each number type's pattern twice; on spoken transcripts, where
// every run of digits is a candidate, that lookup was most of the cost.
type phoneValidator struct {
	byCC map[int32][]*regionPatterns // regions of each country code, in libphonenumber's order
}

// regionPatterns are one region's compiled number patterns.
type regionPatterns struct {
	leading *regexp.Regexp // leading digits that say the region at once (NANPA)
	// leadingDFA is leading as an automaton (nil: use leading).
	leadingDFA *digitDFA
	general    numberPattern
	// types are the number types' patterns, fixed line and mobile first
	// (the most frequent); validity only asks whether one matches.
	types []numberPattern
}

type numberPattern struct {
	re      *regexp.Regexp
	lengths []int32
	// dfa is re as an automaton (nil where the pattern has none): the
	// same answers, without the regexp engine.
	dfa *digitDFA
}

func (p numberPattern) match(nsn string) bool {
	if p.re == nil {
		return false
	}
	if len(p.lengths) > 0 {
		ok := false
		for _, l := range p.lengths {
			if int(l) == len(nsn) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	if p.dfa != nil {
		if m, ok := p.dfa.match(nsn, false); ok {
			return m
		}
	}
	return p.re.MatchString(nsn)
}

func newPhoneValidator(regions []string) *phoneValidator {
	v := &phoneValidator{byCC: map[int32][]*regionPatterns{}}
	coll, err := phoneMetadata()
	if err != nil || coll == nil {
		return v // every check takes libphonenumber's own path
	}
	byID := map[string]*phonenumbers.PhoneMetadata{}
	for _, md := range coll.GetMetadata() {
		byID[md.GetId()] = md
	}
	compile := func(d *phonenumbers.PhoneNumberDesc) numberPattern {
		if d == nil || d.GetNationalNumberPattern() == "" {
			return numberPattern{}
		}
		re, err := regexp.Compile("^(?:" + d.GetNationalNumberPattern() + ")$")
		if err != nil {
			return numberPattern{}
		}
		return numberPattern{re: re, lengths: d.PossibleLength, dfa: compileDigitDFA(d.GetNationalNumberPattern())}
	}
	for _, region := range regions {
		cc := int32(phonenumbers.GetCountryCodeForRegion(region))
		if cc == 0 || v.byCC[cc] != nil {
			continue
		}
		var list []*regionPatterns
		for _, id := range phonenumbers.GetRegionCodesForCountryCode(int(cc)) {
			md := byID[id]
			if md == nil {
				list = nil
				break
			}
			p := &regionPatterns{general: compile(md.GetGeneralDesc())}
			if ld := md.GetLeadingDigits(); ld != "" {
				re, err := regexp.Compile("^(?:" + ld + ")")
				if err != nil {
					list = nil
					break
				}
				p.leading = re
				p.leadingDFA = compileDigitDFA(ld)
			}
			for _, d := range []*phonenumbers.PhoneNumberDesc{md.GetFixedLine(), md.GetMobile(), md.GetTollFree(),
				md.GetPremiumRate(), md.GetSharedCost(), md.GetVoip(), md.GetPersonalNumber(), md.GetPager(),
				md.GetUan(), md.GetVoicemail()} {
				if np := compile(d); np.re != nil {
					p.types = append(p.types, np)
				}
			}
			list = append(list, p)
		}
		if list != nil {
			v.byCC[cc] = list
		}
	}
	return v
}

// known reports whether nsn is a number of some type in the region.
func (p *regionPatterns) known(nsn string) bool {
	if !p.general.match(nsn) {
		return false
	}
	for _, t := range p.types {
		if t.match(nsn) {
			return true
		}
	}
	return false
}

// valid reports phonenumbers.IsValidNumber(num): the region is the only
// one of the country code, or the first whose leading digits match or,
// without leading digits, whose patterns know the number; the number is
// valid when that region's patterns know it.
func (v *phoneValidator) valid(num *phonenumbers.PhoneNumber) bool {
	list := v.byCC[num.GetCountryCode()]
	if list == nil {
		return phonenumbers.IsValidNumber(num)
	}
	nsn := phonenumbers.GetNationalSignificantNumber(num)
	if len(list) == 1 {
		return list[0].known(nsn)
	}
	for _, p := range list {
		if p.leading != nil {
			if p.leadsWith(nsn) {
				return p.known(nsn)
			}
			continue
		}
		if p.known(nsn) {
			return true
		}
	}
	return false
}

// leadsWith reports leading.MatchString(nsn).
func (p *regionPatterns) leadsWith(nsn string) bool {
	if p.leadingDFA != nil {
		if m, ok := p.leadingDFA.match(nsn, true); ok {
			return m
		}
	}
	return p.leading.MatchString(nsn)
}
