// Package metrics holds the Prometheus counters that any part of rhythm may
// count — rows stored by imports, reminder deliveries and their failures —
// and the process and Go runtime metrics. The web server serves them at
// /metrics together with its own request and database pool metrics.
//
// Labels take a small fixed set of values (a source kind, a channel kind):
// never a team, person, address or file name, so that nothing private and
// no unbounded set of series reaches the metrics.
package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
)

// Registry gathers the process-wide metrics of this package. They are
// registered, with the Go runtime and process collectors, when first
// gathered: nothing is done at start-up.
var Registry prometheus.Gatherer = lazyGatherer{}

type lazyGatherer struct{}

// Gather implements prometheus.Gatherer.
func (lazyGatherer) Gather() ([]*dto.MetricFamily, error) { return registry().Gather() }

var registry = sync.OnceValue(func() *prometheus.Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(ImportRows, Imports, ReminderDeliveries, ReminderFailures,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return r
})

var (
	// ImportRows counts interactions stored by imports, by source kind
	// (slack, mbox, ics, csv).
	ImportRows = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rhythm_import_rows_total",
		Help: "Interactions stored by imports, by source kind.",
	}, []string{"source"})

	// Imports counts finished imports by source kind and result (ok or
	// failed).
	Imports = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rhythm_imports_total",
		Help: "Finished imports by source kind and result (ok, failed).",
	}, []string{"source", "result"})

	// ReminderDeliveries counts reminders delivered, by channel kind (e.g.
	// email, webhook, page).
	ReminderDeliveries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rhythm_reminder_deliveries_total",
		Help: "Reminders delivered, by channel kind.",
	}, []string{"channel"})

	// ReminderFailures counts reminder deliveries that failed, by channel
	// kind.
	ReminderFailures = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "rhythm_reminder_failures_total",
		Help: "Reminder deliveries that failed, by channel kind.",
	}, []string{"channel"})
)

// Import records a finished import of rows interactions from a source
// kind; failed imports store nothing, so only their count goes up.
func Import(source string, rows int, err error) {
	if err != nil {
		Imports.WithLabelValues(source, "failed").Inc()
		return
	}
	Imports.WithLabelValues(source, "ok").Inc()
	ImportRows.WithLabelValues(source).Add(float64(rows))
}

// Reminder records one reminder delivery over a channel kind.
func Reminder(channel string, err error) {
	if err != nil {
		ReminderFailures.WithLabelValues(channel).Inc()
		return
	}
	ReminderDeliveries.WithLabelValues(channel).Inc()
}
