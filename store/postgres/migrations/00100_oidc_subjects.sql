-- +goose Up
-- The accounts people sign in with at an OpenID Provider: the provider's
-- (issuer's) stable subject of a person, linked to one rhythm user. A user
-- has at most one subject at each provider.
CREATE TABLE oidc_subjects (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject),
    UNIQUE (issuer, user_id)
);
CREATE INDEX oidc_subjects_user ON oidc_subjects (user_id);

-- +goose Down
DROP TABLE oidc_subjects;
