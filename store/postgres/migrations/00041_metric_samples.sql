-- +goose Up
-- Metric samples fed from files (and later by the audit): one value of one
-- metric for one unit (team name or person email) over one period.
CREATE TABLE metric_samples (
    unit         TEXT NOT NULL,
    unit_key     TEXT NOT NULL,
    period_start TEXT NOT NULL,
    period_end   TEXT NOT NULL,
    metric       TEXT NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    source       TEXT NOT NULL,
    updated_at   BIGINT NOT NULL,
    PRIMARY KEY (unit_key, period_start, period_end, metric)
);
CREATE INDEX metric_samples_metric ON metric_samples (metric);

-- +goose Down
DROP TABLE metric_samples;
