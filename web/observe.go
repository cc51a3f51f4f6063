package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rhythm-team/rhythm"
	"github.com/rhythm-team/rhythm/account"
	"github.com/rhythm-team/rhythm/internal/metrics"
)

// This file is what an operator sees of a server: request IDs, access
// logs, /metrics and /readyz.

// observer holds a server's own metrics.
type observer struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inFlight prometheus.Gauge
}

func newObserver(s *Server) *observer {
	o := &observer{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rhythm_http_requests_total",
			Help: "HTTP requests answered, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rhythm_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route pattern and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "rhythm_http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
	}
	o.reg.MustRegister(o.requests, o.latency, o.inFlight)
	if s.db != nil {
		o.reg.MustRegister(collectors.NewDBStatsCollector(s.db.SQL(), s.db.Dialect()))
	}
	return o
}

// routeLabel is the route pattern without its method ("/api/v1/teams/{team}"),
// or "unmatched" for requests no route took: never the path itself, which
// may name a team or a person.
func routeLabel(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	return pattern
}

// methodLabel keeps the method label to the methods rhythm serves.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodOptions:
		return m
	}
	return "other"
}

type requestIDKey struct{}

// requestID returns the request's ID as logged and sent back in
// X-Request-ID.
func requestID(r *http.Request) string {
	id, _ := r.Context().Value(requestIDKey{}).(string)
	return id
}

// incomingRequestID accepts a client's or proxy's X-Request-ID when it is
// short and plain, and makes a new one otherwise.
func incomingRequestID(h string) string {
	if n := len(h); n > 0 && n <= 128 && strings.IndexFunc(h, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_.:+/=", c))
	}) < 0 {
		return h
	}
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// observe wraps one request: its ID, metrics and access log line.
func (s *Server) observe(w http.ResponseWriter, r *http.Request, next http.Handler) {
	start := time.Now()
	id := incomingRequestID(r.Header.Get("X-Request-ID"))
	w.Header().Set("X-Request-ID", id)
	r = r.WithContext(context.WithValue(r.Context(), requestIDKey{}, id))
	sw := &statusWriter{ResponseWriter: w}
	s.obs.inFlight.Inc()
	defer s.obs.inFlight.Dec()
	next.ServeHTTP(sw, r)
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	took := time.Since(start)
	route, method := routeLabel(r.Pattern), methodLabel(r.Method)
	s.obs.requests.WithLabelValues(route, method, strconv.Itoa(sw.status)).Inc()
	s.obs.latency.WithLabelValues(route, method).Observe(took.Seconds())
	level := slog.LevelInfo
	switch route {
	case "/healthz", "/readyz", "/metrics", "/static/":
		level = slog.LevelDebug
	}
	s.log.LogAttrs(r.Context(), level, "request",
		slog.String("request_id", id),
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.String("path", r.URL.Path), // never the query: it may carry a sign-in's next page
		slog.Int("status", sw.status),
		slog.Int64("bytes", sw.bytes),
		slog.Float64("ms", float64(took.Microseconds())/1000),
		slog.String("remote", s.clientIP(r)),
	)
}

// metricsHandler serves the Prometheus metrics to whoever may read them:
// with a metrics token configured, requests that send it as a bearer
// token; without one, only requests from this machine that did not come
// through a proxy.
func (s *Server) metricsHandler() http.HandlerFunc {
	h := promhttp.HandlerFor(prometheus.Gatherers{metrics.Registry, s.obs.reg}, promhttp.HandlerOpts{})
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.mayReadMetrics(r); err != nil {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			if rhythm.ErrorCode(err) == rhythm.EUNAUTHORIZED {
				w.Header().Set("WWW-Authenticate", `Bearer realm="rhythm metrics"`)
			}
			w.WriteHeader(rhythm.HTTPStatus(rhythm.ErrorCode(err)))
			w.Write([]byte(rhythm.ErrorMessage(err) + "\n"))
			return
		}
		h.ServeHTTP(w, r)
	}
}

func (s *Server) mayReadMetrics(r *http.Request) error {
	if s.metricsToken != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(s.metricsToken)) != 1 {
			return rhythm.Errorf(rhythm.EUNAUTHORIZED, "send the metrics token as Authorization: Bearer …")
		}
		return nil
	}
	proxied := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("Forwarded") != "" || r.Header.Get("X-Real-IP") != ""
	if ip := net.ParseIP(account.ClientAddress(r.RemoteAddr, nil, nil)); ip == nil || !ip.IsLoopback() || proxied {
		return rhythm.Errorf(rhythm.EFORBIDDEN, "metrics are served only to this machine; start the server with --metrics-token to read them from elsewhere")
	}
	return nil
}

// readyz answers 200 when the database answers and its schema is the one
// this server expects, and 503 with the reason otherwise.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.db.Ready(ctx); err != nil {
		msg := "the database did not answer in time"
		if rhythm.ErrorCode(err) == rhythm.EUNAVAILABLE {
			msg = rhythm.ErrorMessage(err)
		}
		s.log.Warn("not ready", "request_id", requestID(r), "err", err)
		w.Header().Set("Retry-After", "5")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("not ready: " + msg + "\n"))
		return
	}
	w.Write([]byte("ready\n"))
}
