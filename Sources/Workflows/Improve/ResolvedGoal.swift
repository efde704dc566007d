import ArrakisCore
import Ledger

/// The goal in words the agent gets, and the recorded improvement it comes from, if any.
public struct ResolvedGoal: Sendable {
  public var text: String
  public var improvement: ImprovementRow?

  /// Free text as given; an improvement by id; `--next`: the queue's head, `Ledger.topOpenImprovement`
  /// (the newest analysis of `workspace` with open improvements: highest impact, lowest risk, least effort).
  public static func resolve(_ goal: ImproveRequest.Goal, workspace: String, ledger: Ledger) throws -> ResolvedGoal {
    switch goal {
    case .text(let text):
      return ResolvedGoal(text: text, improvement: nil)
    case .improvement(let id):
      guard let row = try ledger.improvement(id: id) else {
        throw ArrakisError(.usage, "no improvement '\(id)' in the ledger", hint: "list them with `arrakis analyze` or `arrakis log`")
      }
      return ResolvedGoal(text: describe(row), improvement: row)
    case .next:
      guard let row = try ledger.topOpenImprovement(workspace: workspace) else {
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
