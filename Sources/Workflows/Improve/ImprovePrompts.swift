import FoundationEssentials
import Glibc

/// The words improve sends the agent: its standing instructions, the fix request after a red gate, and the
/// commit message it makes from the agent's summary.
public enum ImprovePrompts {
  /// How `messages.system_source` marks the recorded copy of the "previously tried" section.
  public static let previousAttemptsSource = "previous-attempts"

  static func instructions(goal: String, testCommand: String, worktree: String, plan: TestPlan = TestPlan(targets: [], guards: [], otherFailing: [])) -> String {
    var targets = ""
    if !plan.targets.isEmpty {
      targets = "\nFailing at the baseline, and they must pass afterwards: " + plan.targets.prefix(20).joined(separator: ", ")
        + (plan.targets.count > 20 ? " (+\(plan.targets.count - 20) more)" : "") + "."
      if !plan.guards.isEmpty { targets += " The \(plan.guards.count) test(s) passing now must keep passing." }
    }
    return """
    You are improving this repository on a throwaway branch in a separate worktree (\(worktree)); the user's \
    own checkout is elsewhere and out of reach. Work only inside the workspace.
    Goal:
    \(goal)
    The gate: after you finish, `\(testCommand)` runs here against the baseline's own test files and must pass.\(targets)
    The tests and test settings (test files, conftest.py, pytest/tox/setup.cfg/pyproject test sections, Makefile \
    test recipes, package.json scripts) are the judge and read-only: Write and Edit on them are refused. Never \
    delete, skip, loosen or rewrite existing tests or assertions, never add runner hooks or configuration \
    (conftest.py, pytest hooks, sitecustomize.py), and never write outside the workspace: such a change is \
    flagged as tampering and is not merged. Fix the code under test. Adding new test files is welcome.
    When done, reply with a one-line summary of the change (it becomes the commit subject), then a short \
    paragraph on what you changed and why.
    """
  }

  static func fix(attempt: Int, of max: Int, run: TestRun, verdict: TestVerdict? = nil, tamper: [String] = []) -> String {
    var why = ""
    if let verdict, !verdict.green { why += "\nWhat is wrong: \(verdict.summary)." }
    if !tamper.isEmpty {
      why += "\nThe change tampers with the judge; undo this: " + tamper.prefix(5).joined(separator: "; ") + "."
    }
    return """
    The gate failed (fix attempt \(attempt) of \(max)): `\(run.command)` \(run.summary).\(why)
    Output:
    \(tail(run.output, 12_000))
    Fix the code (not the tests) so that the checks pass, then reply with the one-line summary and paragraph again.
    """
  }

  /// Subject from the summary's first line, the rest as body, then trailers naming the session.
  static func commitMessage(summary: String, goal: String, sessionID: String, improvementID: String?) -> String {
    let lines = summary.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let first = lines.first { !$0.trimmingSpacesAndTabs.isEmpty }?
      .trimming(charactersIn: " #*") ?? ""
    // "Done." says nothing in `git log`: a summary that names no change gives way to the goal.
    let says = first.lowercased().trimming(charactersIn: " .!")
    let empty = first.isEmpty || ["done", "ok", "okay", "finished", "complete", "completed", "all done", "fixed", "implemented"].contains(says)
    var subject = empty ? (goal.split(separator: "\n").first.map(String.init) ?? "arrakis improvement") : first
    if subject.count > 72 { subject = String(subject.prefix(71)) + "…" }
    let body = lines.drop { $0.trimming(charactersIn: " #*") != first || first.isEmpty }
      .dropFirst().joined(separator: "\n").trimmed
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
