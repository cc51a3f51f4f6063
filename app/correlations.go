package app

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"slices"
	"sync"

	"github.com/rhythm-team/rhythm/metric"
	"github.com/rhythm-team/rhythm/pulse"
)

// correlationCacheSize is how many correlation reports a server keeps.
const correlationCacheSize = 8

// correlationCache keeps the last correlation reports by a digest of
// everything they are made from: the samples read (stored metrics, pulse
// results, churn and any extra), the metrics asked for and the options.
// New metrics, answers or churn change the samples and so the digest, so
// a report is never served for data it was not made from, on any server.
type correlationCache struct {
	mu    sync.Mutex
	order [][sha256.Size]byte // oldest first
	reps  map[[sha256.Size]byte]pulse.CorrelationReport
	runs  int // reports made, not served from the cache
}

// report returns the cached report for req, or makes and keeps it. The
// report is shared: callers must not change it.
func (c *correlationCache) report(req pulse.CorrelationRequest) (pulse.CorrelationReport, error) {
	key := correlationDigest(req)
	c.mu.Lock()
	rep, ok := c.reps[key]
	c.mu.Unlock()
	if ok {
		return rep, nil
	}
	rep, err := pulse.Correlate(req)
	if err != nil {
		return rep, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs++
	if c.reps == nil {
		c.reps = map[[sha256.Size]byte]pulse.CorrelationReport{}
	}
	if _, ok := c.reps[key]; !ok {
		if len(c.order) == correlationCacheSize {
			delete(c.reps, c.order[0])
			c.order = c.order[1:]
		}
		c.order = append(c.order, key)
		c.reps[key] = rep
	}
	return rep, nil
}

// correlationDigest is a SHA-256 of req: every sample's unit, period and
// values (by name), the metrics asked for and the options.
func correlationDigest(req pulse.CorrelationRequest) [sha256.Size]byte {
	h := sha256.New()
	var num [8]byte
	word := func(s string) {
		binary.LittleEndian.PutUint64(num[:], uint64(len(s)))
		h.Write(num[:])
		h.Write([]byte(s))
	}
	float := func(f float64) {
		binary.LittleEndian.PutUint64(num[:], math.Float64bits(f))
		h.Write(num[:])
	}
	list := func(ss []string) {
		float(float64(len(ss)))
		for _, s := range ss {
			word(s)
		}
	}
	list(req.X)
	list(req.Y)
	o := req.Options
	float(o.Level)
	float(float64(o.Resamples))
	float(float64(o.Permutations))
	binary.LittleEndian.PutUint64(num[:], o.Seed)
	h.Write(num[:])
	float(float64(len(req.Samples)))
	var names []string
	for _, s := range req.Samples {
		sampleDigest(s, &names, word, float)
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum
}

func sampleDigest(s metric.Sample, names *[]string, word func(string), float func(float64)) {
	word(s.Unit)
	word(s.Period.String())
	*names = (*names)[:0]
	for n := range s.Values {
		*names = append(*names, n)
	}
	slices.Sort(*names)
	float(float64(len(*names)))
	for _, n := range *names {
		word(n)
		float(s.Values[n])
	}
}
