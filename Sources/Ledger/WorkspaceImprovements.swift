import ArrakisCore
import FoundationEssentials
import Glibc

/// Which repository a query is about: its identity (Repository.identity in the Git module, the same in
/// every clone) and the path of this checkout. Rows recorded before identities (schema v6) carry their
/// path as their repository; they are matched by that path.
public struct RepositoryRef: Sendable, Equatable {
  public var identity: String
  public var workspace: String

  public init(identity: String, workspace: String) {
    self.identity = identity
    self.workspace = workspace
  }

  /// The condition on analyses aliased `a`; binds `arguments` (identity, then path).
  static func matching(_ a: String) -> String {
    "(\(a).repository = ? OR (\(a).repository = \(a).workspace AND \(a).workspace = ?))"
  }

  var arguments: [(any SQLValueConvertible)?] { [identity, workspace] }
}

extension Ledger {
  /// Improvements proposed by any analysis of `repository` (from any clone), newest analysis first and in
  /// rank order within one analysis; only those with `status` when it is given. `analyze` reads the
  /// rolled-back ones to avoid proposing them again, and `improve --next` reads the open ones.
  public func improvements(repository: RepositoryRef, status: ImprovementStatus? = nil) throws -> [ImprovementRow] {
    try read("list improvements") { db in
      try db.rows(
        sql: """
          SELECT i.* FROM improvements i JOIN analyses a ON a.id = i.analysis_id
          WHERE \(RepositoryRef.matching("a")) \(status == nil ? "" : "AND i.status = ?")
          ORDER BY a.created_at DESC, a.id DESC, i.rowid
          """,
        arguments: repository.arguments + (status.map { [$0] } ?? [])
      ).map(ImprovementRow.init(row:))
    }
  }

  /// Improvements proposed by any analysis of `workspace`, newest analysis first and in rank order within
  /// one analysis; only those with `status` when it is given. `analyze` reads the rolled-back ones to avoid
  /// proposing them again, and `improve --next` reads the open ones.
  public func improvements(workspace: String, status: ImprovementStatus? = nil) throws -> [ImprovementRow] {
    try read("list improvements") { db in
      try db.rows(
        sql: """
          SELECT i.* FROM improvements i JOIN analyses a ON a.id = i.analysis_id
          WHERE a.workspace = ?1 AND (?2 IS NULL OR i.status = ?2)
          ORDER BY a.created_at DESC, a.id DESC, i.rowid
          """,
        arguments: [workspace, status]
      ).map(ImprovementRow.init(row:))
    }
  }
}
