import ArrakisCore
import Ledger

/// The goal in words the agent gets, and the recorded improvement it comes from, if any.
public struct ResolvedGoal: Sendable {
  public var text: String
  public var improvement: ImprovementRow?

  /// Free text as given; an improvement by id; `--next`: the queue's head, `Ledger.topOpenImprovement`
  /// (the newest analysis of `repository` with open improvements: highest impact, lowest risk, least
  /// effort), claimed for `claimant` when one is given so that no other run takes it too
  /// (`Ledger.claimTopOpenImprovement`). `repository` defaults to the workspace path.
  public static func resolve(
    _ goal: ImproveRequest.Goal, workspace: String, repository: RepositoryRef? = nil, claimant: String? = nil,
    ledger: Ledger
  ) throws -> ResolvedGoal {
    switch goal {
    case .text(let text):
      return ResolvedGoal(text: text, improvement: nil)
    case .improvement(let id):
      guard let row = try ledger.improvement(id: id) else {
        throw ArrakisError(.usage, "no improvement '\(id)' in the ledger", hint: "list them with `arrakis analyze` or `arrakis log`")
      }
      return ResolvedGoal(text: describe(row), improvement: row)
    case .next:
      let repository = repository ?? RepositoryRef(identity: workspace, workspace: workspace)
      let row = try claimant.map { try ledger.claimTopOpenImprovement(repository: repository, claimant: $0) }
        ?? ledger.topOpenImprovement(repository: repository)
      guard let row else {
        if claimant != nil, try ledger.topOpenImprovement(repository: repository) != nil {
          throw ArrakisError(
            .usage, "every open improvement for \(workspace) is claimed by another improve run",
            hint: "wait for those runs to finish, or name an improvement id or give the goal as text")
        }
        throw ArrakisError(.usage, "no open improvement for \(workspace)", hint: "run `arrakis analyze` first, or give the goal as text")
      }
      return ResolvedGoal(text: describe(row), improvement: row)
    }
  }

  static func describe(_ i: ImprovementRow) -> String {
    var lines = [i.title]
    if let r = i.rationale, !r.isEmpty { lines.append("Why: \(r)") }
    if !i.files.isEmpty { lines.append("Files: \(i.files.joined(separator: ", "))") }
    if let a = i.acceptance, !a.isEmpty { lines.append("Done when: \(a)") }
    return lines.joined(separator: "\n")
  }
}
