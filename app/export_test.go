package app

// CorrelationRuns is how many correlation reports a has made rather than
// served from its cache.
func CorrelationRuns(a *App) int {
	a.correlations.mu.Lock()
	defer a.correlations.mu.Unlock()
	return a.correlations.runs
}
