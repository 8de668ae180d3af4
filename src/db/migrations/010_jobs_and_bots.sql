-- Jobs: a claimed job holds a lease (`locked_until`, also moved into `run_at`, so one index finds
-- what is due); a crash leaves the lease to expire and the job runs again. A job that gives up keeps
-- its row with `failed_at` and `last_error`, for an administrator to see, instead of vanishing.
ALTER TABLE jobs ADD COLUMN locked_until INTEGER;
ALTER TABLE jobs ADD COLUMN failed_at INTEGER;
DROP INDEX jobs_by_run_at;
CREATE INDEX jobs_due ON jobs (run_at) WHERE failed_at IS NULL;
CREATE INDEX jobs_failed ON jobs (kind, failed_at) WHERE failed_at IS NOT NULL;

-- Bots: each webhook signs its calls (X-Campfire-Signature) with its own secret, shown to admins on
-- the bot's page so the receiver can check where a call came from.
ALTER TABLE webhooks ADD COLUMN secret TEXT NOT NULL DEFAULT '';
