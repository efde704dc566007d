import ArrakisCore
import Foundation
import Git

/// What the gate saw: the checks on the agent's tree, the baseline's checks on the agent's code, and the
/// static comparison of check files.
public struct GateResult: Sendable {
  public var tests: TestRun
  /// The baseline's check files run against the new code; nil when no check file changed (then it would
  /// be the same run as `tests`).
  public var baselineTests: TestRun?
  public var findings: [String]
  public var changes: [FileChange]
  /// The dangling commit the changes were read from.
  public var snapshot: String

  public var passed: Bool { tests.passed }
  public var tampered: Bool { !findings.isEmpty || baselineTests?.passed == false }
  /// Every reason a person must review the change, in one list.
  public var tamperReasons: [String] {
    findings + (baselineTests?.passed == false ? ["the baseline's tests fail against the new code: \(baselineTests!.summary)"] : [])
  }
}

/// Runs the checks in the scratch worktree after the agent's turn.
public struct Gate {
  public var command: String
  public var runner: TestRunner
  public var baseline: String

  public init(command: String, runner: TestRunner, baseline: String) {
    self.command = command
    self.runner = runner
    self.baseline = baseline
  }

  public func run(in worktree: Repository, at path: String) throws -> GateResult {
    let tests = try runner.runBlocking(command, in: path)
    let snapshot = try worktree.snapshotCommit()
    let changes = try worktree.changedFiles(from: baseline, to: snapshot)
    var result = GateResult(tests: tests, baselineTests: nil, findings: [], changes: changes, snapshot: snapshot)
    guard tests.passed else { return result }
    result.findings = TamperCheck.findings(in: changes)
    let touched = changes.filter {
      TestFileRules.isCheckFile(path: $0.path) || $0.oldPath.map(TestFileRules.isCheckFile(path:)) == true
    }
    if !touched.isEmpty {
      result.baselineTests = try runBaselineChecks(touched, in: worktree, at: path, snapshot: snapshot)
    }
    return result
  }

  /// Puts the baseline's versions of the changed check files in place, runs the command, and puts the
  /// agent's versions back from the snapshot, whatever happens in between.
  private func runBaselineChecks(
    _ touched: [FileChange], in worktree: Repository, at path: String, snapshot: String
  ) throws -> TestRun {
    let paths = Set(touched.flatMap { [$0.path] + ($0.oldPath.map { [$0] } ?? []) })
    defer { for p in paths { try? place(worktree.fileContent(at: snapshot, path: p), at: path + "/" + p) } }
    for p in paths { try place(worktree.fileContent(at: baseline, path: p), at: path + "/" + p) }
    return try runner.runBlocking(command, in: path)
  }

  /// Writes `content` in place (keeping the file's mode), or removes the file when `content` is nil.
  private func place(_ content: String?, at file: String) throws {
    guard let content else {
      if FileManager.default.fileExists(atPath: file) { try FileManager.default.removeItem(atPath: file) }
      return
    }
    try FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    if let handle = FileHandle(forWritingAtPath: file) {
      defer { try? handle.close() }
      try handle.truncate(atOffset: 0)
      try handle.write(contentsOf: Data(content.utf8))
    } else {
      try Data(content.utf8).write(to: URL(fileURLWithPath: file))
    }
  }
}
