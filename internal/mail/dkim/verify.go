package dkim

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	msgdkim "github.com/emersion/go-msgauth/dkim"
)

// MaxSignatures is how many DKIM-Signature fields Verify checks; more are
// reported as StatusPermError without a DNS query, so a mail cannot make the
// checker send hundreds of queries.
const MaxSignatures = 8

// Status is the outcome of one signature (RFC 8601 §2.7.1 names).
type Status string

// The outcomes of a signature check.
const (
	StatusPass      Status = "pass"
	StatusFail      Status = "fail"      // the signature or body hash does not match
	StatusTempError Status = "temperror" // the key could not be fetched now
	StatusPermError Status = "permerror" // malformed signature, missing or bad key
)

// Result is the check of one DKIM-Signature field.
type Result struct {
	Domain     string   // d=, the signing domain
	Selector   string   // s=
	Identifier string   // i=, or "@"+Domain
	Algorithm  string   // a=, e.g. "ed25519-sha256"
	HeaderKeys []string // h=, as listed
	Status     Status
	Err        error // nil when Status is StatusPass
}

// Signs reports how many times the signature lists the header field name.
func (r Result) Signs(name string) int {
	n := 0
	for _, k := range r.HeaderKeys {
		if strings.EqualFold(strings.TrimSpace(k), name) {
			n++
		}
	}
	return n
}

// LookupTXTFunc answers a DNS TXT query, e.g. (*net.Resolver).LookupTXT.
type LookupTXTFunc func(ctx context.Context, name string) ([]string, error)

// Verify checks every DKIM-Signature field of msg in order, fetching keys
// with lookup. It returns one Result per signature (none for an unsigned
// mail). The error is non-nil only when msg has no readable header.
func Verify(ctx context.Context, msg []byte, lookup LookupTXTFunc) ([]Result, error) {
	if lookup == nil {
		return nil, errors.New("dkim: no TXT lookup")
	}
	msg = toCRLF(msg)
	if !bytes.Contains(msg, []byte("\r\n\r\n")) {
		// A header without the empty line ending it: give it an empty body,
		// as receivers do, rather than refusing the message.
		msg = append(bytes.TrimRight(msg, "\r\n"), "\r\n\r\n"...)
	}
	tags := signatureTags(msg)
	if len(tags) == 0 {
		return nil, nil
	}
	opts := &msgdkim.VerifyOptions{
		LookupTXT: func(name string) ([]string, error) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return lookup(ctx, name)
		},
		MaxVerifications: MaxSignatures,
	}
	verifs, err := msgdkim.VerifyWithOptions(bytes.NewReader(msg), opts)
	if err != nil && !errors.Is(err, msgdkim.ErrTooManySignatures) {
		if verifs == nil {
			return nil, fmt.Errorf("dkim: verify: %w", err)
		}
	}
	results := make([]Result, len(tags))
	for i, t := range tags {
		r := Result{
			Domain:     strings.ToLower(t["d"]),
			Selector:   t["s"],
			Identifier: t["i"],
			Algorithm:  t["a"],
		}
		if h := t["h"]; h != "" {
			for k := range strings.SplitSeq(h, ":") {
				r.HeaderKeys = append(r.HeaderKeys, strings.TrimSpace(k))
			}
		}
		if r.Identifier == "" && r.Domain != "" {
			r.Identifier = "@" + r.Domain
		}
		switch {
		case i >= len(verifs) || verifs[i] == nil:
			r.Status, r.Err = StatusPermError, errors.New("dkim: signature not checked (too many signatures)")
		case verifs[i].Err == nil:
			r.Status = StatusPass
		default:
			r.Err = verifs[i].Err
			switch {
			case msgdkim.IsTempFail(r.Err):
				r.Status = StatusTempError
			case msgdkim.IsPermFail(r.Err):
				r.Status = StatusPermError
			default:
				r.Status = StatusFail
			}
		}
		results[i] = r
	}
	return results, nil
}

// signatureTags returns the tag lists of the DKIM-Signature fields of msg, in
// header order, with folding whitespace removed from the values.
func signatureTags(msg []byte) []map[string]string {
	head, _, _ := bytes.Cut(msg, []byte("\r\n\r\n"))
	var fields []string
	for line := range strings.SplitSeq(string(head), "\r\n") {
		if line != "" && (line[0] == ' ' || line[0] == '\t') && len(fields) > 0 {
			fields[len(fields)-1] += line
			continue
		}
		fields = append(fields, line)
	}
	var out []map[string]string
	for _, f := range fields {
		name, value, ok := strings.Cut(f, ":")
		if !ok || !strings.EqualFold(strings.TrimSpace(name), "DKIM-Signature") {
			continue
		}
		tags := map[string]string{}
		for part := range strings.SplitSeq(value, ";") {
			k, v, ok := strings.Cut(part, "=")
			if !ok {
				continue
			}
			tags[strings.TrimSpace(k)] = strings.Join(strings.Fields(v), "")
		}
		out = append(out, tags)
	}
	return out
}
