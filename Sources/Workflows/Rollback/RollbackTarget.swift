import ArrakisCore
import Ledger

/// Turns what the user typed into the modification rows of one commit: a modification id (a number), a
/// session id or prefix, an improvement id, or `--last`. Improve writes one row per changed file, all with
/// the same result commit; rollback undoes the commit, so it takes them all.
enum RollbackTarget {
  static func resolve(_ request: RollbackRequest, ledger: Ledger) throws -> [SelfModificationRow] {
    let row = try find(request, ledger: ledger)
    guard let commit = row.resultCommit else { return [row] }
    return try ledger.selfModifications(resultCommit: commit)
  }

  private static func find(_ request: RollbackRequest, ledger: Ledger) throws -> SelfModificationRow {
    if request.last {
      guard let row = try ledger.latestCommittedModification() else {
        throw ArrakisError(.usage, "nothing to roll back: no recorded change with a commit", hint: "run `arrakis improve` first")
      }
      return row
    }
    guard let target = request.target, !target.isEmpty else {
      throw ArrakisError(.usage, "what should be rolled back?", hint: "give a modification, session or improvement id, or --last")
    }
    if let id = Int64(target), let row = try ledger.selfModification(id: id) { return row }
    if let row = try ledger.selfModifications(improvementID: target).last(where: { $0.resultCommit != nil }) { return row }
    if let session = try? ledger.session(idOrPrefix: target) {
      guard let row = try ledger.selfModifications(sessionID: session.id).last(where: { $0.resultCommit != nil }) else {
        throw ArrakisError(.usage, "session \(session.id.prefix(8)) recorded no committed change", hint: "see `arrakis log show \(session.id.prefix(8))`")
      }
      return row
    }
    throw ArrakisError(.usage, "no modification, session or improvement '\(target)' in the ledger",
                       hint: "find ids with `arrakis log list` or use --last")
  }
}
