import GRDB

extension Schema {
  /// `Schema.migrations` as GRDB migrations, the SQLite side: each runs its DDL and sets `user_version` to
  /// its number, in one transaction, recorded in `grdb_migrations` (what files written by every earlier
  /// arrakis hold).
  static var migrator: DatabaseMigrator {
    var m = DatabaseMigrator()
    for (index, migration) in migrations.enumerated() {
      m.registerMigration(migration.identifier) { db in
        try db.execute(sql: migration.sqlite)
        try db.execute(sql: "PRAGMA user_version = \(index + 1)")
      }
    }
    return m
  }
}
