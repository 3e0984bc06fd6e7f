package callgen

import (
	"math/rand/v2"
	"strings"
)

// numberPlan describes one range of real, dialable numbers of a region: the
// national significant number (NSN) pattern and how people write it. The
// ranges were picked so that libphonenumber accepts every number drawn from
// them (the tests check this), which keeps parsers honest: a generated
// number that a validator rejects would be a generator bug, not a pipeline
// one.
type numberPlan struct {
	region      string // ISO 3166 alpha-2
	countryCode string // without '+'
	// nsn is the national significant number: digits are literal, '#' is a
	// random digit, 'N' a random digit 2-9.
	nsn string
	// national and international are layouts: each '#' takes the next NSN
	// digit; everything else is literal.
	national      string
	international string
	mobile        bool
}

// plansByRegion lists, per region, the ranges numbers are drawn from. The
// first entries are mobiles (what customers call from), the last landlines
// (what company lines usually are).
func plansByRegion(region string) []numberPlan {
	switch region {
	case "DE":
		return []numberPlan{
			{"DE", "49", "151########", "0### ########", "+49 ### ########", true},
			{"DE", "49", "176########", "0### ########", "+49 ### ########", true},
			{"DE", "49", "30N#######", "0## ########", "+49 ## ########", false},
			{"DE", "49", "89N######", "0## #######", "+49 ## #######", false},
		}
	case "AT":
		return []numberPlan{
			{"AT", "43", "664#######", "0### #######", "+43 ### #######", true},
			{"AT", "43", "1N######", "0# #######", "+43 # #######", false},
		}
	case "FR":
		return []numberPlan{
			{"FR", "33", "6[1-2]#######", "0# ## ## ## ##", "+33 # ## ## ## ##", true},
			{"FR", "33", "7[5-8]#######", "0# ## ## ## ##", "+33 # ## ## ## ##", true},
			{"FR", "33", "14#######", "0# ## ## ## ##", "+33 # ## ## ## ##", false},
		}
	case "ES":
		return []numberPlan{
			{"ES", "34", "6[0-4]#######", "### ## ## ##", "+34 ### ## ## ##", true},
			{"ES", "34", "91N######", "### ## ## ##", "+34 ### ## ## ##", false},
		}
	case "IT":
		return []numberPlan{
			{"IT", "39", "3[2-4]########", "### ### ####", "+39 ### ### ####", true},
			{"IT", "39", "02N#######", "## #### ####", "+39 ## #### ####", false},
		}
	case "NL":
		return []numberPlan{
			{"NL", "31", "6[1-5]#######", "0# ########", "+31 # ########", true},
			{"NL", "31", "20N######", "0## ### ####", "+31 ## ### ####", false},
		}
	case "PT":
		return []numberPlan{
			{"PT", "351", "9[1236]#######", "### ### ###", "+351 ### ### ###", true},
			{"PT", "351", "21N######", "### ### ###", "+351 ### ### ###", false},
		}
	case "GB":
		return []numberPlan{
			{"GB", "44", "7[4-5]########", "0#### ######", "+44 #### ######", true},
			{"GB", "44", "20[378]#######", "0## #### ####", "+44 ## #### ####", false},
		}
	default: // US
		return []numberPlan{
			{"US", "1", "[2367]12N######", "(###) ###-####", "+1 ###-###-####", true},
			{"US", "1", "503N######", "(###) ###-####", "+1 ###-###-####", true},
			{"US", "1", "415N######", "(###) ###-####", "+1 ###-###-####", false},
		}
	}
}

// phoneNumber is one drawn number in the forms the providers and people use.
type phoneNumber struct {
	region        string
	countryCode   string
	nsn           string
	national      string // as written nationally, e.g. "0151 23456789"
	international string // "+49 151 23456789" (Aircall raw_digits style)
}

// E164 is "+<cc><nsn>".
func (p phoneNumber) E164() string { return "+" + p.countryCode + p.nsn }

// Digits is E.164 without '+', the way Sipgate writes numbers.
func (p phoneNumber) Digits() string { return p.countryCode + p.nsn }

func drawNumber(r *rand.Rand, plan numberPlan) phoneNumber {
	nsn := expandDigits(r, plan.nsn)
	return phoneNumber{
		region:        plan.region,
		countryCode:   plan.countryCode,
		nsn:           nsn,
		national:      layout(plan.national, nsn),
		international: layout(plan.international, nsn),
	}
}

// expandDigits fills a digit pattern: '#' any digit, 'N' 2-9, "[a-b]" a
// digit in that range; other characters are copied.
func expandDigits(r *rand.Rand, pattern string) string {
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		c := pattern[i]
		switch c {
		case '#':
			b.WriteByte(byte('0' + r.IntN(10)))
		case 'N':
			b.WriteByte(byte('2' + r.IntN(8)))
		case '[':
			// "[a-b]" or "[abcd]"
			end := strings.IndexByte(pattern[i:], ']') + i
			set := pattern[i+1 : end]
			if len(set) == 3 && set[1] == '-' {
				b.WriteByte(set[0] + byte(r.IntN(int(set[2]-set[0])+1)))
			} else {
				b.WriteByte(set[r.IntN(len(set))])
			}
			i = end
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// layout writes digits into a layout, one per '#'.
func layout(format, digits string) string {
	var b strings.Builder
	b.Grow(len(format))
	j := 0
	for i := 0; i < len(format); i++ {
		if format[i] == '#' && j < len(digits) {
			b.WriteByte(digits[j])
			j++
			continue
		}
		b.WriteByte(format[i])
	}
	return b.String()
}

// spokenDigits reads every digit of s as a word ("null eins fünf eins") and
// a leading '+' as the language's word for plus. Everything else (spaces,
// brackets, dashes) is a pause and is not spoken.
func spokenDigits(lp *langPack, s string) string {
	words := make([]string, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			words = append(words, lp.digits[c-'0'])
		case c == '+':
			words = append(words, lp.plus)
		}
	}
	return strings.Join(words, " ")
}
