/// What `arrakis log copy` did, per table: rows written to the target, and rows the target already held
/// (found by their natural keys, so a second copy reports everything as already there).
public struct CopyReport: Codable, Sendable, Equatable {
  public struct Table: Codable, Sendable, Equatable {
    public var table: String
    public var copied: Int
    public var alreadyThere: Int

    public init(table: String, copied: Int = 0, alreadyThere: Int = 0) {
      self.table = table
      self.copied = copied
      self.alreadyThere = alreadyThere
    }
  }

  /// In copy order: sessions, messages, tool_operations, analyses, improvements, self_modifications,
  /// commit_stats.
  public var tables: [Table]
  public var seconds: Double

  public init(tables: [Table], seconds: Double) {
    self.tables = tables
    self.seconds = seconds
  }

  public subscript(table: String) -> Table? { tables.first { $0.table == table } }

  /// Rows written in all tables together: 0 on a second copy.
  public var copied: Int { tables.reduce(0) { $0 + $1.copied } }
}

/// Where a copy stands, for a progress line: `done` of `total` units of `what` ("sessions", "commit stats").
public struct CopyProgress: Sendable {
  public var what: String
  public var done: Int
  public var total: Int
}
