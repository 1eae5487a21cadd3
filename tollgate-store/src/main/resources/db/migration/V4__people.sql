-- People (issue 16): local users with an Argon2id password hash and a TOTP second factor.
-- Append-only, like every migration; runs on PostgreSQL and H2 in PostgreSQL mode.
CREATE TABLE users (
    id                     VARCHAR(36)   NOT NULL PRIMARY KEY,
    username               VARCHAR(64)   NOT NULL,
    password_hash          VARCHAR(200)  NOT NULL,     -- Argon2id, PHC string format
    roles                  VARCHAR(200)  NOT NULL,     -- comma-separated role labels
    totp_secret_ciphertext VARCHAR(1024),              -- SecretBox-sealed base32 secret; null until first login
    totp_enrolled          BOOLEAN       NOT NULL,
    totp_last_step         BIGINT        NOT NULL,     -- the last 30 s step whose code was used: each code once
    failed_logins          INTEGER       NOT NULL,
    locked_until           TIMESTAMP WITH TIME ZONE,
    created_by             VARCHAR(100)  NOT NULL,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT users_username UNIQUE (username)
);

-- One-time recovery codes, stored only as their SHA-256 (each is 50 random bits; no brute force beats lockout).
CREATE TABLE recovery_codes (
    id                     VARCHAR(36)   NOT NULL PRIMARY KEY,
    user_id                VARCHAR(36)   NOT NULL REFERENCES users (id),
    code_sha256            VARCHAR(64)   NOT NULL,
    used_at                TIMESTAMP WITH TIME ZONE,
    CONSTRAINT recovery_codes_hash UNIQUE (user_id, code_sha256)
);
