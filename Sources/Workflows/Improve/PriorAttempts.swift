import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// An earlier improve attempt at the same goal in the same workspace: when, at which commit, how it ended
/// and why, and the files it touched.
public struct PriorAttempt: Encodable, Sendable, Equatable {
  public enum Outcome: String, Encodable, Sendable {
    /// The gate stayed red; branch and worktree were deleted.
    case redGate = "rolled_back"
    case tampered
    case baselineRed = "baseline_red"
    /// Kept or merged, then undone with `arrakis rollback`.
    case rolledBackByUser = "rollback_executed"
    /// The agent stopped before finishing (turn or budget limit, refusal).
    case incomplete
    case unchanged, kept, merged, discarded, pruned
    case other
  }

  public var sessionId: String
  public var startedAt: Date
  public var baseCommit: String?
  public var outcome: Outcome
  public var cause: String?
  public var files: [String]

  /// Whether this outcome means the attempt failed: repeating it on unchanged code is refused.
  public var failed: Bool { [.redGate, .tampered, .baselineRed, .rolledBackByUser].contains(outcome) }

  /// The outcome in words, for the refusal and the agent's instructions.
  public var outcomeWords: String {
    switch outcome {
    case .redGate: return "rolled back: the gate stayed red"
    case .tampered: return "tampered: it changed the judge (the tests or how they run)"
    case .baselineRed: return "the baseline was red"
    case .rolledBackByUser: return "rolled back by the user afterwards"
    case .incomplete: return "the agent stopped before finishing"
    case .unchanged: return "the agent changed nothing"
    case .kept: return "green, kept on its branch"
    case .merged: return "green, merged"
    case .discarded: return "green, discarded as asked"
    case .pruned: return "green, kept, later pruned unmerged"
    case .other: return "ended"
    }
  }
}

/// Improve's memory of itself: which earlier attempts were at the same goal ("the same improvement id, or
/// the same normalised goal text, in the same workspace"), whether a new attempt would only repeat a failed
/// one on unchanged code, and the short "previously tried" section the agent is given.
public enum PriorAttempts {
  /// At most this many attempts go into the agent's instructions…
  static let sectionAttempts = 3
  /// …in about this many characters.
  static let sectionChars = 1500

  /// Earlier attempts at `goal` in `workspace`, newest first.
  public static func find(goal: ResolvedGoal, workspace: String, ledger: Ledger) throws -> [PriorAttempt] {
    let records = try ledger.improveAttempts(workspace: workspace, improvementID: goal.improvement?.id)
    let key = normalise(String(goal.text.prefix(200)))
    return records
      .filter { goal.improvement != nil || normalise($0.prompt ?? "") == key }
      .compactMap(attempt)
  }

  /// Case, runs of white space and trailing punctuation do not make a goal different.
  public static func normalise(_ text: String) -> String {
    text.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
      .trimming(charactersIn: " .!;:")
  }

  static func attempt(_ r: ImproveAttemptRecord) -> PriorAttempt? {
    guard let first = r.modifications.first else { return nil }
    let outcome: PriorAttempt.Outcome
    if r.modifications.contains(where: \.rollbackExecuted) {
      outcome = .rolledBackByUser
    } else if r.exitReason == "incomplete" {
      outcome = .incomplete
    } else if r.modifications.contains(where: { $0.tampered || $0.status == .tampered }) {
      outcome = .tampered
    } else {
      outcome = PriorAttempt.Outcome(rawValue: first.status.rawValue) ?? .other
    }
    return PriorAttempt(
      sessionId: r.sessionID, startedAt: r.startedAt, baseCommit: first.baseCommit, outcome: outcome,
      cause: cause(outcome, first), files: r.modifications.compactMap(\.filePath))
  }

  /// Why it ended as it did, from the recorded test results: the gate's failing tests and the lines of its
  /// output that say so, the tamper reasons, the red baseline.
  static func cause(_ outcome: PriorAttempt.Outcome, _ row: SelfModificationRow) -> String? {
    let tests = row.testResults
    func run(_ name: String) -> String? {
      guard let t = tests?[name], let command = t["command"]?.stringValue else { return nil }
      var text = "`\(command)` \(t["summary"]?.stringValue ?? "failed")"
      let failing = t["failing_tests"]?.arrayValue?.compactMap(\.stringValue) ?? []
      let summary = t["summary"]?.stringValue ?? ""
      if !failing.isEmpty && !failing.allSatisfy({ summary.contains($0) }) {
        text += "; failing: " + failing.prefix(5).joined(separator: ", ") + (failing.count > 5 ? " (+\(failing.count - 5))" : "")
      }
      if let output = t["output"]?.stringValue {
        let lines = output.split(whereSeparator: \.isNewline).map { $0.trimmingSpacesAndTabs }
          .filter { !$0.isEmpty && !$0.hasPrefix("[… earlier output cut") }
        let telling = lines.filter { l in ["fail", "error", "assert"].contains { l.lowercased().contains($0) } && !l.hasPrefix("make") }
        let pick = (telling.isEmpty ? Array(lines.suffix(2)) : Array(telling.suffix(3)))
        if !pick.isEmpty { text += "; output: " + pick.map { String($0.prefix(120)) }.joined(separator: " | ") }
      }
      return text
    }
    switch outcome {
    case .redGate:
      return run("gate") ?? row.changeDescription
    case .tampered:
      let reasons = tests?["tamper_reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
      return reasons.isEmpty ? row.changeDescription : reasons.joined(separator: "; ")
    case .baselineRed:
      return run("baseline") ?? row.changeDescription
    case .rolledBackByUser:
      let when = row.rolledBackAt.map { " on " + stamp($0) } ?? ""
      return "undone with `arrakis rollback`\(when)" + (row.revertCommit.map { " (revert \($0.prefix(10)))" } ?? " (branch deleted)")
    default:
      return row.changeDescription.map { String($0.prefix(200)) }
    }
  }

  /// A refusal when the newest earlier attempt at the same commit failed, naming it and why.
  public static func refusal(_ attempts: [PriorAttempt], baseline: String) -> ArrakisError? {
    guard let same = attempts.first(where: { $0.baseCommit == baseline }), same.failed else { return nil }
    let id = same.sessionId.prefix(8)
    return ArrakisError(
      .incomplete,
      "not repeating session \(id) (\(stamp(same.startedAt))): the same goal at the same commit \(baseline.prefix(10)) "
        + "ended \(same.outcomeWords)" + (same.cause.map { " — \($0)" } ?? ""),
      hint: "change the code or the goal, or pass --force to try again anyway (see `arrakis log show \(id)`)")
  }

  /// The "previously tried" section of the agent's instructions: newest first, at most 3 attempts in about
  /// 1,500 characters; nil when there is nothing to tell.
  public static func section(_ attempts: [PriorAttempt], baseline: String) -> String? {
    guard !attempts.isEmpty else { return nil }
    var out = "Previously tried (earlier attempts at this same goal in this repository, newest first; "
      + "do not repeat what failed, and avoid its cause):\n"
    let shown = attempts.prefix(sectionAttempts)
    let each = (sectionChars - out.count) / shown.count
    for a in shown {
      let at = a.baseCommit.map { $0 == baseline ? "at the current commit" : "at \($0.prefix(10)), older code" } ?? ""
      var line = "- \(stamp(a.startedAt)) (session \(a.sessionId.prefix(8)), \(at)): \(a.outcomeWords)."
      if let c = a.cause { line += " Cause: \(c.split(whereSeparator: \.isNewline).joined(separator: " "))." }
      if !a.files.isEmpty { line += " Files: \(a.files.prefix(8).joined(separator: ", "))" + (a.files.count > 8 ? ", …" : "") + "." }
      out += (line.count <= each ? line : String(line.prefix(each - 2)) + "…") + "\n"
    }
    if attempts.count > shown.count { out += "(\(attempts.count - shown.count) older attempt(s) not shown)\n" }
    return out
  }

  /// `2025-01-31 14:05 UTC`.
  static func stamp(_ d: Date) -> String {
    var t = time_t(d.timeIntervalSince1970)
    var tm = tm()
    gmtime_r(&t, &tm)
    return String(cFormat: "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min)
  }
}
