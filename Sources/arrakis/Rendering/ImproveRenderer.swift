import Agent
import ArrakisCore
import FoundationEssentials
import Glibc
import Workflows

/// improve and rollback on screen: the steps and the agent's work on stderr (progress), the outcome on
/// stdout (one paragraph, or one JSON object with --json).
final class ImproveRenderer {
  let json: Bool
  private var atLineStart = true
  private let color = Environment().useColor(fileDescriptor: STDERR_FILENO)

  init(json: Bool) { self.json = json }

  private var spinner: Spinner?

  /// Erases a running spinner (before the outcome or an error is printed).
  func stopWaiting() {
    spinner?.stop()
    spinner = nil
  }

  func handle(_ event: ImproveEvent) {
    stopWaiting()
    switch event {
    case .waiting(let text): spinner = Spinner.start(text)
    case .step(let text): line("→ \(text)", dim: false)
    case .notice(let text): line("note: \(text)", dim: false)
    case .agent(let e): agent(e)
    }
  }

  private func agent(_ event: AgentEvent) {
    switch event {
    case .textDelta(let t) where !json:
      Output.err(t)
      atLineStart = t.hasSuffix("\n")
    case .toolResult(_, _, let output, let denied, _):
      line("● \(output.summary)" + (denied.map { ": \($0)" } ?? ""), dim: denied == nil && !output.isError)
    default: break
    }
  }

  private func line(_ text: String, dim: Bool) {
    if !atLineStart { Output.err("\n"); atLineStart = true }
    Output.err(color && dim ? "\u{1B}[2m\(text)\u{1B}[0m\n" : text + "\n")
  }

  func render(_ report: ImproveReport) {
    if json { Output.out(((try? JSONOutput.string(report)) ?? "{}") + "\n"); return }
    if !atLineStart { Output.err("\n"); atLineStart = true }
    if report.result == .planned {
      Output.out("""
        repository: \(report.repository)
        baseline:   \(report.baseline)\(report.userBranch.map { " (\($0))" } ?? " (detached)")
        branch:     \(report.branch)
        worktree:   \(report.worktree)
        test:       \(report.testCommand.map { "\($0) (\(report.testCommandReason ?? ""))" } ?? "none found: pass --test-command")
        goal:       \(report.goal.split(separator: "\n").first.map(String.init) ?? "")
        \(report.message)

        """)
      return
    }
    if report.result == .baselineRed, let output = report.tests["baseline"]?.output { Output.err(output + "\n") }
    if report.result == .rolledBack, let output = report.tests["gate"]?.output { Output.err(output + "\n") }
    var out = ""
    for t in report.failToPass { out += "fail_to_pass \(t.name): \(t.before.rawValue) → \(t.after.rawValue)\n" }
    if !report.passToPass.isEmpty {
      let broken = report.passToPass.filter { $0.after != .passed }
      out += "pass_to_pass: \(report.passToPass.count - broken.count) of \(report.passToPass.count) still pass"
      out += broken.isEmpty ? "\n" : "; broken: " + broken.prefix(5).map { "\($0.name) (\($0.after.rawValue))" }.joined(separator: ", ") + "\n"
    }
    if let m = report.metric {
      let fmt = { (xs: [Double]) in xs.map { String(cFormat: "%g", $0) }.joined(separator: " ") }
      out += "metric \(m.command) (\(m.goal.rawValue) is better): baseline \(fmt(m.baseline)) · change \(fmt(m.candidate))\n"
    }
    Output.out(out + report.message + "\n")
    if let s = report.sessionId { Output.out("session \(s.prefix(8)) · see `arrakis log show \(s.prefix(8))`\n") }
  }

  func render(_ report: RollbackReport) {
    if json { Output.out(((try? JSONOutput.string(report)) ?? "{}") + "\n"); return }
    Output.out(report.message + "\n")
  }

  func render(_ report: BranchPruneReport) {
    if json { Output.out(((try? JSONOutput.string(report)) ?? "{}") + "\n"); return }
    func about(_ b: BranchPruneReport.Branch) -> String {
      var bits = [b.reason]
      if let s = b.sessionId { bits.append("session \(s.prefix(8))") }
      if let i = b.improvementId { bits.append("improvement \(i)") }
      return bits.joined(separator: ", ")
    }
    var out = ""
    for b in report.removed { out += "\(report.dryRun ? "would remove" : "removed") \(b.branch): \(about(b))\n" }
    for b in report.left { out += "left \(b.branch): \(about(b))\n" }
    for b in report.unknown { out += "left \(b): not recorded as kept by improve (a person's branch?)\n" }
    for w in report.staleWorktrees { out += "\(report.dryRun ? "would remove" : "removed") stale worktree \(w)\n" }
    for b in report.staleBranches { out += "\(report.dryRun ? "would remove" : "removed") debris branch \(b)\n" }
    out += report.message + "\n"
    if let s = report.sessionId { out += "session \(s.prefix(8)) · see `arrakis log show \(s.prefix(8))`\n" }
    Output.out(out)
  }
}
