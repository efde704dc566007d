import ArrakisCore
import FoundationEssentials
import Glibc

/// The improvement queue shared by every machine writing one ledger: `improve --next` claims the head of
/// the queue in one write transaction, so two runs never take the same improvement. A claim names its
/// holder (`claimed_by`: a claim token, then the run's session id) and lasts until `claimed_until`; it
/// lapses earlier when the holder's session has finished (a run that failed before it started work, or one
/// the next start found dead and finished as interrupted). Once the run starts work the improvement is
/// `attempted`, no longer open, and the claim no longer matters.
extension Ledger {
  /// Claims for `claimant` the first improvement of `ranked(candidates)` that no live claim holds, and
  /// returns it; nil when every candidate is held (or there is none). The candidates are the open
  /// improvements of the newest analysis of `repository` that still has open ones, as `improvements`
  /// lists them. `ranked` orders them (it may run more than once: no side effects). PostgreSQL skips rows
  /// another transaction is claiming (`FOR UPDATE SKIP LOCKED`) instead of waiting for it; SQLite's
  /// IMMEDIATE transaction holds the file's write lock for the whole pick.
  public func claimImprovement(
    repository: RepositoryRef, claimant: String, until: Date, now: Date = Date(),
    ranked: ([ImprovementRow]) -> [ImprovementRow]
  ) throws -> ImprovementRow? {
    try write("claim an improvement") { db in
      let open = try db.rows(
        sql: """
          SELECT i.* FROM improvements i JOIN analyses a ON a.id = i.analysis_id
          WHERE \(RepositoryRef.matching("a")) AND i.status = 'open'
          ORDER BY a.created_at DESC, a.id DESC, i.rowid
          """,
        arguments: repository.arguments
      ).map(ImprovementRow.init(row:))
      guard let newest = open.first?.analysisID else { return nil }
      for candidate in ranked(open.filter { $0.analysisID == newest }) {
        let taken = try db.execute(
          sql: """
            UPDATE improvements SET claimed_by = ?, claimed_until = ?
            WHERE id = (SELECT id FROM improvements WHERE id = ? AND status = 'open' AND \(Ledger.claimIsFree) \(db.dialect.skipLocked))
            """,
          arguments: [claimant, Timestamp.string(until), candidate.id, Timestamp.string(now)])
        if taken == 1 {
          return try db.row(sql: "SELECT * FROM improvements WHERE id = ?", arguments: [candidate.id])
            .map(ImprovementRow.init(row:))
        }
      }
      return nil
    }
  }

  /// A claim lapses when its time has passed or its holder's session has finished (binds: now).
  static let claimIsFree = """
    (claimed_by IS NULL OR claimed_until < ?
      OR EXISTS (SELECT 1 FROM sessions s WHERE s.id = improvements.claimed_by AND s.status <> 'running'))
    """

  /// Hands a claim from its token to the session of the run that now holds it, so that the claim lapses
  /// as soon as that session is finished (or found dead). Returns false when `claimant` no longer holds it.
  @discardableResult
  public func transferClaim(improvementID: String, from claimant: String, to sessionID: String) throws -> Bool {
    try write("hand over an improvement's claim") { db in
      try db.execute(
        sql: "UPDATE improvements SET claimed_by = ? WHERE id = ? AND claimed_by = ?",
        arguments: [sessionID, improvementID, claimant]) == 1
    }
  }

  /// Gives up a claim `claimant` holds (a run refused before it started work).
  public func releaseClaim(improvementID: String, claimant: String) throws {
    try write("release an improvement's claim") { db in
      try db.execute(
        sql: "UPDATE improvements SET claimed_by = NULL, claimed_until = NULL WHERE id = ? AND claimed_by = ?",
        arguments: [improvementID, claimant])
    }
  }
}
