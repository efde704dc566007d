import SQLite

/// The SQLite side of `Schema.migrations`, with the bookkeeping GRDB's DatabaseMigrator kept (arrakis used
/// GRDB until it moved to Sources/SQLite), so that files written by every earlier arrakis open unchanged and
/// files written now open in an earlier one: the table `grdb_migrations(identifier TEXT NOT NULL PRIMARY
/// KEY)` holds one row per applied migration; each unapplied one runs in its own IMMEDIATE transaction that
/// also records it; foreign keys are off during it and checked before its commit.
struct SQLiteMigrator {
  struct Migration {
    let identifier: String
    let run: (SQLiteDatabase) throws -> Void
  }

  let registered: [Migration]

  /// The identifiers, in the order they run.
  var migrations: [String] { registered.map(\.identifier) }

  /// Every identifier the file records as applied, this binary's or not; none when it has no table yet.
  func appliedIdentifiers(_ db: SQLiteDatabase) throws -> Set<String> {
    // Looked for first, then read: another process may create the table in between, never drop it (the
    // other order fails when 16 processes open a new file at once).
    guard try db.value("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'") != nil else { return [] }
    return Set(try db.rows("SELECT identifier FROM grdb_migrations").compactMap { row -> String? in
      if case .text(let identifier) = row.values.first { return identifier }
      return nil
    })
  }

  /// The applied migrations this binary knows, in order, as far as none is missing before them.
  func completedMigrations(_ db: SQLiteDatabase) throws -> [String] {
    let applied = try appliedIdentifiers(db)
    return Array(migrations.prefix(while: applied.contains))
  }

  func hasCompletedMigrations(_ db: SQLiteDatabase) throws -> Bool {
    try migrations.allSatisfy(appliedIdentifiers(db).contains)
  }

  /// Runs, in order, each migration the file does not record.
  func migrate(_ db: SQLiteDatabase) throws {
    try db.run("CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
    let applied = try appliedIdentifiers(db)
    for migration in registered where !applied.contains(migration.identifier) {
      try run(migration, db)
    }
  }

  /// As SQLite's documentation of ALTER TABLE orders a schema change: foreign keys off outside the
  /// transaction (the pragma is a no-op inside one), checked inside it before the commit.
  private func run(_ migration: Migration, _ db: SQLiteDatabase) throws {
    let foreignKeys = try db.value("PRAGMA foreign_keys") == .integer(1)
    if foreignKeys { try db.run("PRAGMA foreign_keys = OFF") }
    do {
      try db.transaction(.immediate) {
        // The applied list was read before this transaction took the write lock: another process opening
        // the same new file may have run this migration since. Under the lock the record is the truth.
        if try db.value("SELECT 1 FROM grdb_migrations WHERE identifier = ?", [.text(migration.identifier)]) != nil { return }
        try migration.run(db)
        try db.execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", [.text(migration.identifier)])
        if foreignKeys { try checkForeignKeys(db) }
      }
    } catch {
      if foreignKeys { try? db.run("PRAGMA foreign_keys = ON") }
      throw error
    }
    if foreignKeys { try db.run("PRAGMA foreign_keys = ON") }
  }

  private func checkForeignKeys(_ db: SQLiteDatabase) throws {
    guard let broken = try db.rows("PRAGMA foreign_key_check").first else { return }
    func text(_ column: String) -> String {
      switch broken[column] {
      case .text(let s)?: return s
      case .integer(let v)?: return String(v)
      default: return "?"
      }
    }
    throw SQLiteError(
      code: SQLiteError.foreignKeyConstraint,
      message: "FOREIGN KEY constraint violation - from \(text("table")) to \(text("parent")), in rowid \(text("rowid"))")
  }
}

extension Schema {
  /// `Schema.migrations` for SQLite: each runs its DDL and sets `user_version` to its number.
  static var migrator: SQLiteMigrator {
    SQLiteMigrator(registered: migrations.enumerated().map { index, migration in
      SQLiteMigrator.Migration(identifier: migration.identifier) { db in
        try db.execute(migration.sqlite)
        try db.execute("PRAGMA user_version = \(index + 1)")
      }
    })
  }
}
