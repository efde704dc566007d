import ArrakisCore
import Foundation
import GRDB

extension Ledger {
  /// Improvements proposed by any analysis of `workspace`, newest analysis first and in rank order within
  /// one analysis; only those with `status` when it is given. `analyze` reads the rolled-back ones to avoid
  /// proposing them again, and `improve --next` reads the open ones.
  public func improvements(workspace: String, status: ImprovementStatus? = nil) throws -> [ImprovementRow] {
    try readGRDB("list improvements") { db in
      try ImprovementRow.fetchAll(
        db,
        sql: """
          SELECT i.* FROM improvements i JOIN analyses a ON a.id = i.analysis_id
          WHERE a.workspace = ?1 AND (?2 IS NULL OR i.status = ?2)
          ORDER BY a.created_at DESC, a.id DESC, i.rowid
          """,
        arguments: [workspace, status])
    }
  }
}
