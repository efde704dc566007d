import ArrakisCore
import FoundationEssentials
import Glibc
import Git

/// What the gate saw: the graded run (the agent's code with the baseline's test files), its grading against
/// the plan, and every reason the change counts as tampering with the judge.
public struct GateResult: Sendable {
  public var tests: TestRun
  /// The same judge with the agent's new test files added, when it added any.
  public var withNewTests: TestRun?
  public var verdict: TestVerdict
  public var findings: [String]
  public var changes: [FileChange]
  /// The dangling commit the changes were read from.
  public var snapshot: String
  /// Files the test runs created (and that were taken away again).
  public var created: [String] = []

  /// Every target passes and every guard still passes.
  public var passed: Bool { verdict.green }
  public var tampered: Bool { !findings.isEmpty }
  public var tamperReasons: [String] { findings }
}

/// Grades the scratch worktree after the agent's turn, SWE-bench style: the judge files the agent changed
/// get their baseline versions back (and judge files it added are set aside) for the graded run. New test
/// files run too, but in a second run of their own: a new test module that patches the code under test at
/// import time must not be able to turn a baseline test green. Afterwards the tree is put back exactly as the
/// agent left it — whatever the runs themselves wrote is taken away, so it can never be committed.
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
    let newTests = changes.filter {
      $0.status == .added && TestFileRules.isTestSource(path: $0.path) && !TestFileRules.isTestConfig(path: $0.path)
    }
    var created: [String] = []
    /// One run on the judge, the tree put back afterwards (captured afresh each time, so that putting it back
    /// after the first run does not look like the second run's output).
    func graded(withNewTests: Bool) throws -> TestRun {
      let residue = try RunResidue(worktree: worktree, root: path)
      do {
        try restoreJudge(changes, in: worktree, at: path)
        if !withNewTests {
          for change in newTests { try? FileManager.default.removeItem(atPath: path + "/" + change.path) }
        }
        let run = try runner.runBlocking(command, in: path)
        created += try residue.restore(worktree: worktree, baseline: baseline)
        return run
      } catch {
        _ = try? residue.restore(worktree: worktree, baseline: baseline)
        throw error
      }
    }
    let tests = try graded(withNewTests: false)
    let withNew = newTests.isEmpty ? nil : try graded(withNewTests: true)
    var verdict = TestVerdict(plan: plan, run: tests)
    if let withNew { verdict.add(runWithNewTests: withNew, plan: plan) }
    return GateResult(
      tests: tests, withNewTests: withNew, verdict: verdict,
      findings: TamperCheck.findings(in: changes) + extraFindings, changes: changes, snapshot: snapshot, created: created)
  }

  /// Baseline versions of every judge file the agent changed, deleted or renamed; judge files it added are
  /// removed for the run. New test sources stay: they run, but never in place of a baseline test.
  private func restoreJudge(_ changes: [FileChange], in worktree: Repository, at path: String) throws {
    for change in changes {
      for p in Set([change.path] + (change.oldPath.map { [$0] } ?? [])) where TestFileRules.isCheckFile(path: p) {
        let original = try worktree.fileContent(at: baseline, path: p)
        if original == nil && change.status == .added && !TestFileRules.isTestConfig(path: p) { continue }
        // A shared manifest keeps the agent's version (a new dependency) unless its test sections changed.
        if let original, p == change.path, let now = change.newContent, TestFileRules.isSharedConfig(path: p),
          TestFileRules.judgedPart(path: p, content: original) == TestFileRules.judgedPart(path: p, content: now)
        {
          continue
        }
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
