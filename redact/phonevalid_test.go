package redact

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/nyaruka/phonenumbers/v2"
)

// TestPhoneValidatorMatchesLibphonenumber checks that the precompiled
// validator answers exactly what phonenumbers.IsValidNumber answers, on
// the example numbers of every type of every region the redactor uses
// (valid by construction), on those examples with digits changed, and on
// random digit strings.
func TestPhoneValidatorMatchesLibphonenumber(t *testing.T) {
	r := newTestRedactor(t)
	rng := rand.New(rand.NewPCG(7, 11))
	var nums []*phonenumbers.PhoneNumber
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.SHARED_COST, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER,
		phonenumbers.PAGER, phonenumbers.UAN, phonenumbers.VOICEMAIL}
	valid := 0
	for _, regs := range regionsByLanguage {
		for _, region := range regs {
			for _, typ := range types {
				ex := phonenumbers.GetExampleNumberForTypeInRegion(region, typ)
				if ex == nil {
					continue
				}
				nums = append(nums, ex)
				nsn := phonenumbers.GetNationalSignificantNumber(ex)
				for k := 0; k < 20; k++ {
					b := []byte(nsn)
					b[rng.IntN(len(b))] = byte('0' + rng.IntN(10))
					if n := r.nationalNumber(string(b), region); n != nil {
						nums = append(nums, n)
					}
				}
			}
			for k := 0; k < 300; k++ {
				l := 6 + rng.IntN(8)
				d := strconv.Itoa(1 + rng.IntN(9))
				for len(d) < l {
					d += strconv.Itoa(rng.IntN(10))
				}
				if rng.IntN(2) == 0 {
					d = "0" + d
				}
				if n := r.nationalNumber(d, region); n != nil {
					nums = append(nums, n)
				}
				if n := internationalNumber(d); n != nil {
					nums = append(nums, n)
				}
			}
		}
	}
	for _, n := range nums {
		want := phonenumbers.IsValidNumber(n)
		if want {
			valid++
		}
		if got := r.phones.valid(n); got != want {
			t.Errorf("+%d %s: valid %v, libphonenumber says %v", n.GetCountryCode(), phonenumbers.GetNationalSignificantNumber(n), got, want)
		}
	}
	if valid < 100 || valid == len(nums) {
		t.Fatalf("weak sample: %d of %d valid", valid, len(nums))
	}
	t.Logf("%d numbers compared, %d valid", len(nums), valid)
}
