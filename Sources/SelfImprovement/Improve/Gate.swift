import ArrakisCore
import Foundation
import Git

/// What the gate saw: the graded run (the agent's code with the baseline's test files), its grading against
/// the plan, and every reason the change counts as tampering with the judge.
public struct GateResult: Sendable {
  public var tests: TestRun
  public var verdict: TestVerdict
  public var findings: [String]
  public var changes: [FileChange]
  /// The dangling commit the changes were read from.
  public var snapshot: String

  /// Every target passes and every guard still passes.
  public var passed: Bool { verdict.green }
  public var tampered: Bool { !findings.isEmpty }
  public var tamperReasons: [String] { findings }
}

/// Grades the scratch worktree after the agent's turn, SWE-bench style: the judge files the agent changed
/// get their baseline versions back (and judge files it added are set aside) for the run, new test files
/// run alongside, and afterwards the tree is put back exactly as the agent left it — whatever the run
/// itself wrote is taken away, so it can never be committed.
public struct Gate {
  public var command: String
  public var runner: TestRunner
  public var baseline: String
  public var plan: TestPlan

  public init(command: String, runner: TestRunner, baseline: String, plan: TestPlan) {
    self.command = command
    self.runner = runner
    self.baseline = baseline
    self.plan = plan
  }

  public func run(in worktree: Repository, at path: String, extraFindings: [String] = []) throws -> GateResult {
    let snapshot = try worktree.snapshotCommit()
    let changes = try worktree.changedFiles(from: baseline, to: snapshot)
    let residue = try RunResidue(worktree: worktree, root: path)
    let tests: TestRun
    do {
      try restoreJudge(changes, in: worktree, at: path)
      tests = try runner.runBlocking(command, in: path)
    } catch {
      _ = try? residue.restore(worktree: worktree, baseline: baseline)
      throw error
    }
    try residue.restore(worktree: worktree, baseline: baseline)
    return GateResult(
      tests: tests, verdict: TestVerdict(plan: plan, run: tests),
      findings: TamperCheck.findings(in: changes) + extraFindings, changes: changes, snapshot: snapshot)
  }

  /// Baseline versions of every judge file the agent changed, deleted or renamed; judge files it added are
  /// removed for the run. New test sources stay: they run, but never in place of a baseline test.
  private func restoreJudge(_ changes: [FileChange], in worktree: Repository, at path: String) throws {
    for change in changes {
      for p in Set([change.path] + (change.oldPath.map { [$0] } ?? [])) where TestFileRules.isCheckFile(path: p) {
        let original = try worktree.fileContent(at: baseline, path: p)
        if original == nil && change.status == .added && !TestFileRules.isTestConfig(path: p) { continue }
        let file = path + "/" + p
        if let original {
          try RunResidue.write(Data(original.utf8), to: file)
        } else if FileManager.default.fileExists(atPath: file) {
          try FileManager.default.removeItem(atPath: file)
        }
      }
    }
  }
}
