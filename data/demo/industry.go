package demo

import "math"

// profile holds what the demo assumes of the enterprises of one GB/T 4754
// section: revenue per employee, how likely they are to be specialised
// (专精特新) or high-tech, how many of the innovation declarers they make up,
// and their R&D intensity. The figures are rounded orders of magnitude of
// published Chinese statistics (economic census, R&D survey), not data of any
// real city.
type profile struct {
	perHead float64 // median revenue per employee of a private enterprise, 万元 a year
	spec    float64 // factor on the shares of specialised and high-tech enterprises
	// innoShare is the expected share of the section among the innovation
	// declarers (docs/sources.md gives the ranges a test holds the demo to); 0 for
	// sections that do not declare R&D.
	innoShare float64
	intensity float64 // median R&D intensity of a declarer (R&D expense / revenue)
}

// profiles are indexed by section letter − 'A'.
var profiles = [20]profile{
	'A' - 'A': {perHead: 25, spec: 0.3, innoShare: 0.02, intensity: 0.012},
	'B' - 'A': {perHead: 80, spec: 0.3, innoShare: 0, intensity: 0},
	'C' - 'A': {perHead: 70, spec: 3.5, innoShare: 0.47, intensity: 0.025},
	'D' - 'A': {perHead: 150, spec: 0.5, innoShare: 0.01, intensity: 0.01},
	'E' - 'A': {perHead: 45, spec: 0.3, innoShare: 0.015, intensity: 0.012},
	'F' - 'A': {perHead: 90, spec: 0.2, innoShare: 0.04, intensity: 0.008},
	'G' - 'A': {perHead: 45, spec: 0.2, innoShare: 0.01, intensity: 0.006},
	'H' - 'A': {perHead: 18, spec: 0.05, innoShare: 0, intensity: 0},
	'I' - 'A': {perHead: 45, spec: 2, innoShare: 0.16, intensity: 0.045},
	'J' - 'A': {perHead: 120, spec: 0.1, innoShare: 0, intensity: 0},
	'K' - 'A': {perHead: 60, spec: 0.05, innoShare: 0, intensity: 0},
	'L' - 'A': {perHead: 30, spec: 0.2, innoShare: 0.02, intensity: 0.015},
	'M' - 'A': {perHead: 35, spec: 2, innoShare: 0.15, intensity: 0.04},
	'N' - 'A': {perHead: 30, spec: 0.3, innoShare: 0.02, intensity: 0.02},
	'O' - 'A': {perHead: 15, spec: 0.05, innoShare: 0, intensity: 0},
	'P' - 'A': {perHead: 15, spec: 0.2, innoShare: 0.005, intensity: 0.02},
	'Q' - 'A': {perHead: 25, spec: 0.3, innoShare: 0.01, intensity: 0.03},
	'R' - 'A': {perHead: 20, spec: 0.2, innoShare: 0.005, intensity: 0.02},
	'S' - 'A': {perHead: 15, spec: 0.05, innoShare: 0, intensity: 0},
	'T' - 'A': {perHead: 15, spec: 0.05, innoShare: 0, intensity: 0},
}

// Revenue per employee of the other ownerships relative to a private enterprise.
var ownPerHead = [numOwnership]float64{
	ownIndividual: 0.35, ownPrivate: 1, ownState: 2, ownCollective: 1.3, ownForeign: 2.7, ownHMT: 2.7,
}

// profileOf returns the profile of division div.
func profileOf(div int) profile {
	s := sectionOf(div)
	if s == 0 {
		return profiles['T'-'A']
	}
	p := profiles[s-'A']
	if div == 51 { // wholesale turns over far more per head than retail
		p.perHead = 250
	}
	return p
}

// sizeWeight is how much more likely than an enterprise of 500万元 revenue a year one of
// own and info is to donate: roughly in proportion to revenue to the power 0.9, so that
// the donors are mostly small, medium and large firms, as in a real city, not the micro
// firms that make most of the register. A revenue the registry leaves empty is estimated
// from the employees and the industry; a firm with no revenue yet (new, or no data at all)
// is unlikely to give. innoSizeWeight is the same for declaring innovation points.
func sizeWeight(own ownership, info rowInfo) float64 {
	return revenueWeight(own, info, 1)
}

// innoSizeWeight is sizeWeight for declaring innovation points, with the revenue measured
// against the industry's revenue per head (as if the firm were a manufacturer of as many
// employees): a wholesaler's turnover does not make it an innovator, and the sections'
// shares of the declarers stay near their profile.innoShare.
func innoSizeWeight(own ownership, info rowInfo) float64 {
	return revenueWeight(own, info, profiles['C'-'A'].perHead/profileOf(info.div).perHead)
}

// maxSizeWeight is the largest sizeWeight or innoSizeWeight.
const maxSizeWeight = 25

// revenueWeight is min(maxSizeWeight, max(0.02, (f × revenue / 500)^0.9)), 0.05 without a
// revenue.
func revenueWeight(own ownership, info rowInfo, f float64) float64 {
	rev := info.rev
	if rev < 0 && info.emp > 0 {
		rev = float64(info.emp) * profileOf(info.div).perHead * ownPerHead[own]
	}
	if rev <= 0 {
		return 0.05
	}
	return min(maxSizeWeight, max(0.02, math.Pow(f*rev/500, 0.9)))
}

// innoBySection returns, per section, the probability factor that makes the
// expected share of the section among the declarers its profile's innoShare,
// given the sections' shares of the private enterprises (entDivisions); the
// factors are normalised so that their mean over private enterprises is 1.
func innoBySection(v *vocab) [20]float64 {
	var share [20]float64 // of the private enterprises
	prev := 0.0
	for i, div := range v.entDiv {
		s := sectionOf(div)
		share[s-'A'] += v.entDivisions.cum[i] - prev
		prev = v.entDivisions.cum[i]
	}
	var f [20]float64
	mean := 0.0
	for s := range f {
		if share[s] > 0 {
			f[s] = profiles[s].innoShare / share[s]
			mean += f[s] * share[s]
		}
	}
	for s := range f {
		f[s] /= mean
	}
	return f
}
