-- What the engine found in each vetted release, before any policy, in the engine's lossless record form
-- (tollgate-report's RecordCodec, layout "tollgate-vetting/1"): every file's full record and every finding with its
-- analyzer's own severity. A later decision (a policy change, a retro-hunt hit) and the next release's diff read it
-- back instead of vetting the blob again.
CREATE TABLE release_vettings (
    release_id        VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES releases (id),
    format            VARCHAR(64)   NOT NULL,
    vetting_json      TEXT          NOT NULL
);
