// Schema history. Each entry runs once, in order, inside a transaction; PRAGMA user_version
// records how many ran. Never edit a shipped entry: append a new one.
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    extension TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    -- HA1 = H(extension:realm:password) per algorithm, for the realm they were made with
    realm TEXT NOT NULL,
    ha1_md5 TEXT NOT NULL,
    ha1_sha256 TEXT NOT NULL,
    ha1_sha512_256 TEXT NOT NULL,
    -- scrypt$salt$hash, or NULL when no PIN is set
    voicemail_pin TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    may_register_others INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE bindings (
    aor TEXT NOT NULL,
    contact_key TEXT NOT NULL,
    contact TEXT NOT NULL,
    q REAL,
    expires_at INTEGER NOT NULL,
    call_id TEXT NOT NULL,
    cseq INTEGER NOT NULL,
    instance TEXT,
    reg_id INTEGER,
    source_address TEXT NOT NULL,
    source_port INTEGER NOT NULL,
    transport TEXT NOT NULL,
    user_agent TEXT,
    registered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (aor, contact_key)
  ) STRICT;
  CREATE INDEX bindings_expires ON bindings (expires_at);

  CREATE TABLE cdrs (
    id INTEGER PRIMARY KEY,
    call_id TEXT NOT NULL,
    caller TEXT NOT NULL,
    callee TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    outcome TEXT,
    sip_code INTEGER,
    reason TEXT
  ) STRICT;
  CREATE INDEX cdrs_started ON cdrs (started_at);
  CREATE INDEX cdrs_caller ON cdrs (caller, started_at);
  CREATE INDEX cdrs_callee ON cdrs (callee, started_at);
  `,
  // 2: dialplan variables (call.vars) written into the call's record, as a JSON object.
  `ALTER TABLE cdrs ADD COLUMN vars TEXT;`,
  // 3: voicemail messages (voicemail/store). The WAV lives at <voicemail dir>/<mailbox>/<id>.wav;
  // 'recording' rows are messages being deposited (or cut short by a crash, recovered at start).
  `
  CREATE TABLE voicemail_messages (
    id TEXT PRIMARY KEY,
    mailbox TEXT NOT NULL,
    caller TEXT NOT NULL,
    caller_name TEXT,
    called TEXT NOT NULL,
    cause INTEGER,
    received_at INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    heard INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('recording', 'ready'))
  ) STRICT;
  CREATE INDEX voicemail_messages_mailbox ON voicemail_messages (mailbox, status, received_at);
  `,
];
