/// The ledger schema: one list of migrations, each with its DDL for both engines.
///
/// Rules for whoever adds a migration:
/// - Never edit a shipped migration; append a new one to `migrations` (its version is its position).
/// - SQLite: the migrator (Engine/SQLiteMigrator.swift) records each identifier in `grdb_migrations` and
///   sets `PRAGMA user_version` to the migration's number. `Ledger.open` compares user_version with
///   `Schema.version` as its fast path, so a current file costs one pragma read instead of a migrator run
///   (the CLI opens the ledger on every invocation). PostgreSQL records identifiers in `ledger_migrations`.
/// - Enumerated columns (system_type, status, …) carry no CHECK constraint: SQLite cannot alter a CHECK,
///   and an older binary must still be able to read rows written by a newer one.
/// - Timestamps are ISO-8601 UTC text with milliseconds (see Timestamp) on both engines, so ordering and
///   range filters are the same queries; booleans are INTEGER 0/1 on both; JSON columns are TEXT in
///   SQLite and jsonb in PostgreSQL, bound and read as text.
/// - SQLite's implicit `rowid` (insertion order, the tie-break of listings) is an explicit identity column
///   named `rowid` in PostgreSQL's `sessions` and `improvements`, so the queries read the same.
enum Schema {
  struct Migration: Sendable {
    /// The name recorded as applied (`grdb_migrations` / `ledger_migrations`).
    let identifier: String
    let sqlite: String
    let postgres: String
  }

  static let migrations: [Migration] = [
    Migration(identifier: "v1-initial", sqlite: v1, postgres: v1Postgres),
    Migration(identifier: "v2-stats-index", sqlite: v2, postgres: v2Postgres),
    Migration(identifier: "v3-session-pid", sqlite: v3, postgres: v3Postgres),
    Migration(identifier: "v4-fts-datasette", sqlite: v4, postgres: v4Postgres),
    Migration(identifier: "v5-commit-stats", sqlite: v5CommitStats, postgres: v5CommitStatsPostgres),
    Migration(identifier: "v6-repository-identity", sqlite: v6RepositoryIdentity, postgres: v6RepositoryIdentityPostgres),
  ]

  /// The user_version the newest migration leaves behind.
  static var version: Int { migrations.count }

  static let v1 = """
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY NOT NULL,            -- lowercase UUID
      system_type TEXT NOT NULL,               -- ask|code|analyze|improve|rollback|log
      workspace TEXT,
      git_branch TEXT,
      model TEXT,
      prompt TEXT,                             -- short summary of the request
      parent_session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,   -- --continue chains
      started_at TEXT NOT NULL,
      ended_at TEXT,
      status TEXT NOT NULL DEFAULT 'running',  -- running|success|failed|interrupted
      error TEXT,
      exit_code INTEGER,
      exit_reason TEXT,                        -- stop reason / why the run ended
      route TEXT,
      tool_calls_count INTEGER NOT NULL DEFAULT 0,
      self_modifications_count INTEGER NOT NULL DEFAULT 0,
      input_tokens INTEGER NOT NULL DEFAULT 0,
      output_tokens INTEGER NOT NULL DEFAULT 0,
      cache_creation_tokens INTEGER NOT NULL DEFAULT 0,
      cache_read_tokens INTEGER NOT NULL DEFAULT 0,
      cost_usd REAL DEFAULT 0,                 -- NULL = unknown; NULL + x stays NULL (see addUsage)
      duration_ms INTEGER,
      api_duration_ms INTEGER
    );
    -- `arrakis log`: newest first.
    CREATE INDEX sessions_started_at ON sessions(started_at);
    -- --continue / lastSession and filtered listings: one workspace, one system, newest first.
    CREATE INDEX sessions_workspace_type_started ON sessions(workspace, system_type, started_at);
    CREATE INDEX sessions_parent ON sessions(parent_session_id) WHERE parent_session_id IS NOT NULL;
    CREATE INDEX sessions_running ON sessions(started_at) WHERE status = 'running';

    CREATE TABLE messages (
      id INTEGER PRIMARY KEY AUTOINCREMENT,    -- AUTOINCREMENT: FTS rowids are never reused
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      role TEXT NOT NULL,
      content TEXT NOT NULL,                   -- JSON array of content blocks
      text TEXT NOT NULL DEFAULT '',           -- plain text, indexed by messages_fts
      system_source TEXT,
      tool_calls TEXT,                         -- JSON
      model TEXT,
      stop_reason TEXT,
      usage TEXT,                              -- JSON
      latency_ms INTEGER,
      created_at TEXT NOT NULL,
      UNIQUE(session_id, seq)                  -- also the index for messages(sessionID:) and MAX(seq)
    );

    -- External-content FTS5 over messages.text, kept in step by triggers (same transaction as the write).
    CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id',
      tokenize='unicode61 remove_diacritics 2');
    CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
      INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER messages_fts_au AFTER UPDATE OF text ON messages BEGIN
      INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END;

    CREATE TABLE tool_operations (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      message_id INTEGER REFERENCES messages(id) ON DELETE SET NULL,
      tool_name TEXT NOT NULL,
      parameters TEXT NOT NULL,                -- JSON
      result TEXT,                             -- capped (Ledger.toolResultCap)
      success INTEGER NOT NULL,
      denied_reason TEXT,
      duration_ms INTEGER,
      reasoning TEXT,
      created_at TEXT NOT NULL
    );
    CREATE INDEX tool_operations_session ON tool_operations(session_id, id);
    CREATE INDEX tool_operations_message ON tool_operations(message_id) WHERE message_id IS NOT NULL;

    CREATE TABLE analyses (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
      workspace TEXT NOT NULL,
      created_at TEXT NOT NULL,
      head_commit TEXT,
      signals TEXT,                            -- JSON
      summary TEXT                             -- JSON
    );
    CREATE INDEX analyses_workspace_created ON analyses(workspace, created_at);
    CREATE INDEX analyses_session ON analyses(session_id) WHERE session_id IS NOT NULL;

    CREATE TABLE improvements (
      id TEXT PRIMARY KEY NOT NULL,
      analysis_id INTEGER REFERENCES analyses(id) ON DELETE CASCADE,
      title TEXT NOT NULL,
      rationale TEXT,
      files TEXT,                              -- JSON array of paths
      category TEXT,
      impact TEXT,
      risk TEXT,
      effort TEXT,
      acceptance TEXT,
      status TEXT NOT NULL DEFAULT 'open',     -- open|attempted|kept|merged|rolled_back|dismissed
      fingerprint TEXT,                        -- dedupes the same finding across analyses
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX improvements_analysis ON improvements(analysis_id);
    CREATE INDEX improvements_fingerprint ON improvements(fingerprint) WHERE fingerprint IS NOT NULL;
    CREATE INDEX improvements_status ON improvements(status);

    CREATE TABLE self_modifications (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
      improvement_id TEXT REFERENCES improvements(id) ON DELETE SET NULL,
      file_path TEXT,
      change_description TEXT,
      before_content TEXT,
      after_content TEXT,
      reasoning TEXT,
      test_results TEXT,                       -- JSON
      branch TEXT,
      base_commit TEXT,
      result_commit TEXT,
      success INTEGER NOT NULL DEFAULT 0,
      tampered INTEGER NOT NULL DEFAULT 0,
      rollback_executed INTEGER NOT NULL DEFAULT 0,
      rolled_back_at TEXT,
      revert_commit TEXT,
      status TEXT NOT NULL DEFAULT 'kept',
      created_at TEXT NOT NULL
    );
    CREATE INDEX self_modifications_session ON self_modifications(session_id, id);
    CREATE INDEX self_modifications_improvement ON self_modifications(improvement_id)
      WHERE improvement_id IS NOT NULL;
    """
}

extension Schema {
  /// `log stats` reads every session of its window: with the figures in the index, that is an index-only
  /// scan instead of one row look-up per session across a file that is mostly message pages (150 ms → a few
  /// ms on 100,000 sessions).
  static let v2 = """
    CREATE INDEX sessions_stats ON sessions(
      started_at, system_type, status, duration_ms, api_duration_ms,
      input_tokens, output_tokens, cache_creation_tokens, cache_read_tokens, cost_usd);
    """

  /// The same full-text index, declared with `content=[messages]`: Datasette finds a table's FTS index by
  /// that spelling (`content="t"` or `content=[t]`, not `content='t'`), and without it `?_search=` on
  /// messages matched every row. Rebuilt from messages.text; the triggers are those of v1.
  static let v4 = """
    DROP TRIGGER messages_fts_ai;
    DROP TRIGGER messages_fts_ad;
    DROP TRIGGER messages_fts_au;
    DROP TABLE messages_fts;
    CREATE VIRTUAL TABLE messages_fts USING fts5(text, content=[messages], content_rowid=[id],
      tokenize='unicode61 remove_diacritics 2');
    INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
    CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
      INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;
    CREATE TRIGGER messages_fts_au AFTER UPDATE OF text ON messages BEGIN
      INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
    END;
    """
}

extension Schema {
  /// The process that runs a session, so that the next start can tell a live run from one whose process
  /// died (kill -9, power loss, a full disk) and finish the latter as interrupted. The start time (field 22
  /// of /proc/PID/stat) tells a reused pid from the original process.
  static let v3 = """
    ALTER TABLE sessions ADD COLUMN pid INTEGER;
    ALTER TABLE sessions ADD COLUMN process_start INTEGER;
    """
}

extension Schema {
  /// `analyze` keeps each commit's per-file line counts (see CommitStats.swift), so a daily run diffs only
  /// the commits it has not seen. A commit id names its content and parents, so the figures are the same
  /// in every clone; `variant` names how they were computed (diff options), `parent_id` the commit they
  /// were diffed against (a shallow or grafted clone may see other parents). `files` packs numstat lines.
  static let v5CommitStats = """
    CREATE TABLE commit_stats (
      commit_id TEXT NOT NULL,
      variant TEXT NOT NULL,
      parent_id TEXT,                          -- NULL: diffed against the empty tree
      files BLOB NOT NULL,
      PRIMARY KEY (commit_id, variant)
    ) WITHOUT ROWID;
    """
}

extension Schema {
  /// Analyses and improvements are filed under the repository's identity (Repository.identity in the Git
  /// module: root commit and normalized origin URL), so clones of one project on other machines share them
  /// through one ledger. Rows from before carry their workspace path, the only identity known then; queries
  /// also match those by path (WorkspaceImprovements.swift). `claimed_by` / `claimed_until`: the run that
  /// took an open improvement with `improve --next` and until when (ImprovementClaims.swift).
  static let v6RepositoryIdentity = """
    ALTER TABLE analyses ADD COLUMN repository TEXT;
    ALTER TABLE improvements ADD COLUMN repository TEXT;
    ALTER TABLE improvements ADD COLUMN claimed_by TEXT;
    ALTER TABLE improvements ADD COLUMN claimed_until TEXT;
    UPDATE analyses SET repository = workspace;
    UPDATE improvements SET repository = (SELECT a.repository FROM analyses a WHERE a.id = improvements.analysis_id);
    CREATE INDEX analyses_repository_created ON analyses(repository, created_at);
    CREATE INDEX improvements_repository_status ON improvements(repository, status);
    """
}
