import Foundation

/// The words improve sends the agent: its standing instructions, the fix request after a red gate, and the
/// commit message it makes from the agent's summary.
public enum ImprovePrompts {
  /// How `messages.system_source` marks the recorded copy of the "previously tried" section.
  public static let previousAttemptsSource = "previous-attempts"

  static func instructions(goal: String, testCommand: String, worktree: String) -> String {
    """
    You are improving this repository on a throwaway branch in a separate worktree (\(worktree)); the user's \
    own checkout is elsewhere and out of reach. Work only inside the workspace.
    Goal:
    \(goal)
    The gate: after you finish, `\(testCommand)` runs here and must pass. The baseline's own tests also run \
    against your code. Never delete, skip, loosen or rewrite existing tests or assertions, and never change the \
    test command's configuration to make the gate pass: such a change is flagged as tampering and is not merged. \
    Adding tests is welcome.
    When done, reply with a one-line summary of the change (it becomes the commit subject), then a short \
    paragraph on what you changed and why.
    """
  }

  static func fix(attempt: Int, of max: Int, run: TestRun) -> String {
    """
    The gate failed (fix attempt \(attempt) of \(max)): `\(run.command)` \(run.summary).
    Output:
    \(tail(run.output, 12_000))
    Fix the code (not the tests) so that the checks pass, then reply with the one-line summary and paragraph again.
    """
  }

  /// Subject from the summary's first line, the rest as body, then trailers naming the session.
  static func commitMessage(summary: String, goal: String, sessionID: String, improvementID: String?) -> String {
    let lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }?
      .trimmingCharacters(in: CharacterSet(charactersIn: " #*")) ?? ""
    // "Done." says nothing in `git log`: a summary that names no change gives way to the goal.
    let says = first.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " .!"))
    let empty = first.isEmpty || ["done", "ok", "okay", "finished", "complete", "completed", "all done", "fixed", "implemented"].contains(says)
    var subject = empty ? (goal.split(separator: "\n").first.map(String.init) ?? "arrakis improvement") : first
    if subject.count > 72 { subject = String(subject.prefix(71)) + "…" }
    let body = lines.drop { $0.trimmingCharacters(in: CharacterSet(charactersIn: " #*")) != first || first.isEmpty }
      .dropFirst().joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    var message = subject + "\n\n"
    if !body.isEmpty { message += body + "\n\n" }
    message += "Arrakis-Session: \(sessionID)\n"
    message += "Arrakis-Improvement: \(improvementID ?? "none")\n"
    return message
  }

  static func tail(_ text: String, _ limit: Int) -> String {
    text.count <= limit ? text : "[… earlier output cut …]\n" + String(text.suffix(limit))
  }
}
