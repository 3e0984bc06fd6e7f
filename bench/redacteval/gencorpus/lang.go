package main

import (
	"fmt"
	"strings"
)

// language holds everything the generator needs to write one language:
// vocabulary for spoken entities, name and street lists, and templates.
// Templates are written in edited style (case, punctuation); two out of
// three utterances are turned into transcript style when rendered.
type language struct {
	code string

	firstF, firstM, last []string
	honF, honM           string
	streets              []string
	cities               []city
	companies            []string
	domains              []string
	tld                  string
	fillers              []string
	at                   []string // "at", "ät", "arobase", ...
	dot, dash            string
	underscore, slash    string
	phoneSep             string // written separator besides space and hyphen
	months               []string
	iban                 string   // country of the IBANs callers usually read
	foreignIBAN          []string // other countries, read less often

	positives []string
	negatives []string
}

// city is a place with the postcodes that belong to it.
type city struct {
	name    string
	region  string   // US state, for US-style addresses
	lo, hi  int      // numeric postcode range (the first part where there are two)
	outward []string // UK outward codes ("NW1")
}

func (c city) postcode(g *gen) string {
	n := c.lo + g.r.IntN(c.hi-c.lo+1)
	switch {
	case c.outward != nil:
		const inwardLetters = "ABDEFGHJLNPQRSTUWXYZ" // the letters a UK inward code may use
		return fmt.Sprintf("%s %d%c%c", g.pick(c.outward), g.r.IntN(10),
			inwardLetters[g.r.IntN(len(inwardLetters))], inwardLetters[g.r.IntN(len(inwardLetters))])
	case g.l.code == "nl":
		const letters = "ABCDEGHJKLMNPRTVWXZ"
		return fmt.Sprintf("%04d %c%c", n, letters[g.r.IntN(len(letters))], letters[g.r.IntN(len(letters))])
	case g.l.code == "pt":
		return fmt.Sprintf("%04d-%03d", n, g.r.IntN(1000))
	}
	return fmt.Sprintf("%05d", n)
}

func languages() []*language {
	return []*language{english(), german(), french(), spanish(), italian(), dutch(), portuguese()}
}

// slot renders one template slot.
func (g *gen) slot(name string) ([]part, error) {
	if alt, ok := strings.CutPrefix(name, "G:"); ok { // grammatical gender: {G:né|née}
		m, f, found := strings.Cut(alt, "|")
		if !found {
			return nil, fmt.Errorf("gender slot %q needs two forms", name)
		}
		if g.p.female {
			return []part{lit(f)}, nil
		}
		return []part{lit(m)}, nil
	}
	switch name {
	case "NAME", "FIRST", "LAST", "HON", "HONFULL", "AGENT", "SPELLLAST", "SPELLFIRST":
		return g.nameSlot(name), nil
	case "PHONE":
		return g.phoneSlot(), nil
	case "EMAIL":
		return g.emailSlot(), nil
	case "CARD":
		return g.cardSlot(), nil
	case "EXP":
		return g.expirySlot(), nil
	case "CVV":
		return g.cvvSlot(), nil
	case "IBAN":
		return g.ibanSlot(g.l.iban), nil
	case "IBANX":
		return g.ibanSlot(g.pick(g.l.foreignIBAN)), nil
	case "SSN":
		return g.ssnSlot(), nil
	case "NINO":
		return g.ninoSlot(), nil
	case "STID":
		return g.steuerIDSlot(), nil
	case "NIR":
		return g.nirSlot(), nil
	case "DNI":
		return g.dniSlot(false), nil
	case "NIE":
		return g.dniSlot(true), nil
	case "CF":
		return g.cfSlot(), nil
	case "BSN":
		return g.bsnSlot(), nil
	case "NIF":
		return g.nifSlot(), nil
	case "ADDR":
		return g.addressSlot(true), nil
	case "STREET":
		return g.addressSlot(false), nil
	case "DOB":
		return g.dobSlot(false), nil
	case "DOBN":
		return g.dobSlot(true), nil
	case "IP":
		return g.ipSlot(), nil
	case "URL":
		return g.urlSlot(), nil
	case "COMPANY":
		return val(g.pick(g.l.companies)), nil
	case "PRICE":
		return g.priceSlot(), nil
	case "TIME":
		return g.timeSlot(), nil
	case "QTY":
		return g.qtySlot(), nil
	case "DUR":
		return g.durationSlot(), nil
	case "YEAR":
		return g.yearSlot(), nil
	case "PCT":
		return g.percentSlot(), nil
	case "VER":
		return g.versionSlot(), nil
	case "ORDER":
		return g.orderSlot(), nil
	case "ROOM":
		return g.roomSlot(), nil
	case "DDATE":
		return g.deliverySlot(), nil
	case "PRODUCT":
		return g.productSlot(), nil
	}
	return nil, fmt.Errorf("unknown slot {%s}", name)
}

// render fills a template: literal text between {SLOT}s.
func (g *gen) render(tpl string) ([]part, error) {
	var parts []part
	for tpl != "" {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			parts = append(parts, lit(tpl))
			break
		}
		if i > 0 {
			parts = append(parts, lit(tpl[:i]))
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			return nil, fmt.Errorf("unclosed slot in %q", tpl)
		}
		ps, err := g.slot(tpl[i+1 : i+j])
		if err != nil {
			return nil, err
		}
		parts = append(parts, ps...)
		tpl = tpl[i+j+1:]
	}
	return parts, nil
}
