// Package privacy makes callveil's promises to the people on the calls
// enforceable: objections ("don't process my calls"), deletion with
// tombstones ("forget me"), retention bounds on every store callveil owns,
// and a log handler that lets no personal value through.
//
// Numbers are never stored: the objection list and the deletion tombstones
// hold keyed hashes (HMAC-SHA256 with the deployment's key secret) of E.164
// numbers, normalised exactly as the pipeline's MinimizeMetadata stage
// normalises them, so the hash of a number typed by an operator and the hash
// of the same number seen in a call always agree.
package privacy

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"

	"github.com/callveil/callveil/stages"
)

// ErrNotANumber is returned for input that is not a phone number callveil
// can place. The input is not repeated: it is a phone number, or a typo of
// one.
var ErrNotANumber = errors.New("privacy: not a phone number that can be read as E.164 (give it with + and country code, or set the default region)")

// numberDomain separates number hashes from every other HMAC keyed with the
// same secret (call keys hash provider NUL call id; no provider is named
// like this).
const numberDomain = "callveil/privacy/number/v1"

// Normalizer turns phone numbers into E.164 the way the pipeline does.
type Normalizer struct {
	min *stages.MinimizeMetadata
}

// NewNormalizer builds a Normalizer reading national formats with
// defaultRegion (ISO 3166, e.g. "DE"; "" accepts only international
// formats). The secret is only needed because MinimizeMetadata requires
// one; nothing is hashed with it here.
func NewNormalizer(defaultRegion string) (*Normalizer, error) {
	m, err := stages.NewMinimizeMetadata(stages.MinimizeConfig{
		KeySecret: []byte("privacy-normalizer-unused-secret"), DefaultRegion: defaultRegion,
	})
	if err != nil {
		return nil, err
	}
	return &Normalizer{min: m}, nil
}

// E164 returns raw as E.164 or ErrNotANumber. It goes through
// MinimizeMetadata itself (as a call from a provider that writes numbers
// with '+' or in national format, i.e. not Sipgate's bare digits) so that
// an operator's input and a call's number can never be normalised
// differently.
func (n *Normalizer) E164(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	call, err := n.min.Minimize(&stages.CallFacts{Provider: stages.ProviderTwilio, CallID: "privacy", From: raw})
	if err != nil || call.From == "" {
		return "", ErrNotANumber
	}
	return call.From, nil
}

// NumberHash is the keyed hash of an E.164 number as hex. It is what the
// privacy topic stores and what `objection list` prints.
func NumberHash(secret []byte, e164 string) string {
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(numberDomain))
	mac.Write([]byte{0})
	mac.Write([]byte(e164))
	return hex.EncodeToString(mac.Sum(nil))
}
