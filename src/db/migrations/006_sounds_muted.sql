-- A person's choice to hear /play sounds or not (the sidebar's switch); sounds play by default.
ALTER TABLE users ADD COLUMN sounds_muted INTEGER NOT NULL DEFAULT 0 CHECK (sounds_muted IN (0, 1));
