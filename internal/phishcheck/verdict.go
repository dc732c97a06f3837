package phishcheck

import (
	"slices"
	"strings"
)

// Scoring thresholds; see the package documentation.
const (
	phishingScore = 70 // at or above: phishing
	genuineBelow  = 20 // genuine needs a score below this
	lureCap       = 15 // all lure phrases together add at most this
	lureWeight    = 5  // one lure category
)

// finish computes the score and the verdict. vouched is true when the
// sender is authenticated and aligned (mail) or the host is protected (URL).
func (b *builder) finish(vouched bool) Report {
	r := &b.report
	score, critical, strong := 0, false, false
	lure := 0
	for _, x := range r.Reasons {
		if strings.HasPrefix(x.Code, "lure.") && x.Severity == SeverityLow {
			lure += lureWeight
			continue
		}
		score += x.Severity.Weight()
		critical = critical || x.Severity == SeverityCritical
		strong = strong || x.Severity == SeverityMedium || x.Severity == SeverityHigh
	}
	score += min(lure, lureCap)
	r.Score = min(score, 100)
	switch {
	case critical || score >= phishingScore:
		r.Verdict = Phishing
	case vouched && !strong && score < genuineBelow:
		r.Verdict = Genuine
	default:
		r.Verdict = Suspicious
	}
	// Most serious first, keeping the order of discovery among equals.
	rank := map[Severity]int{SeverityCritical: 0, SeverityHigh: 1, SeverityMedium: 2, SeverityLow: 3, SeverityInfo: 4}
	slices.SortStableFunc(r.Reasons, func(a, b Reason) int { return rank[a.Severity] - rank[b.Severity] })
	return *r
}
