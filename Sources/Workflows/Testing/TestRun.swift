/// The outcome of one run of the project's check command.
public struct TestRun: Codable, Equatable, Sendable {
  public var command: String
  /// The exit status; 128 + signal number when the command was killed by a signal.
  public var exitCode: Int32
  /// Exit status 0 and neither timed out nor interrupted.
  public var passed: Bool
  public var timedOut: Bool
  public var interrupted: Bool
  public var durationMs: Int
  /// Combined stdout and stderr, capped: the head and the tail are kept, the middle is replaced by a note.
  public var output: String
  /// Bytes the command wrote in total (before capping).
  public var outputBytes: Int
  /// Failing test names parsed from the output, in order of appearance, without duplicates.
  public var failingTests: [String]
  public var counts: TestCounts?
  /// Every test the output named, with its outcome (failures only when the runner names no passes).
  public var results: [TestResult]
  /// Whether the runner named tests one by one (passes too), so a missing name means a missing test.
  public var namesTests: Bool
  /// One human-readable line: "passed: 42 tests in 3.1 s", "failed (exit 1) in 2.0 s: 2 of 40 tests failed …".
  public var summary: String

  public init(
    command: String, exitCode: Int32, passed: Bool, timedOut: Bool = false, interrupted: Bool = false,
    durationMs: Int, output: String, outputBytes: Int, failingTests: [String], counts: TestCounts?, summary: String,
    results: [TestResult] = [], namesTests: Bool = false
  ) {
    self.command = command
    self.exitCode = exitCode
    self.passed = passed
    self.timedOut = timedOut
    self.interrupted = interrupted
    self.durationMs = durationMs
    self.output = output
    self.outputBytes = outputBytes
    self.failingTests = failingTests
    self.counts = counts
    self.summary = summary
    self.results = results
    self.namesTests = namesTests
  }

  /// How `name` ended in this run: as named; a test the run did not name passed when the whole run passed
  /// and the runner does not name passes; otherwise missing.
  public func outcome(of name: String) -> TestOutcome {
    outcome(of: name, in: Dictionary(results.map { ($0.name, $0.outcome) }, uniquingKeysWith: { a, _ in a }))
  }

  /// The same with the results already indexed by name (grading thousands of tests).
  func outcome(of name: String, in index: [String: TestOutcome]) -> TestOutcome {
    if let o = index[name] { return o }
    return passed && !namesTests ? .passed : .missing
  }
}

/// Test counts as reported by the runner(s); summed when one command runs several (XCTest + Swift Testing).
public struct TestCounts: Codable, Equatable, Sendable {
  public var passed: Int
  public var failed: Int
  /// Skipped, ignored, xfailed, todo: neither passed nor failed.
  public var skipped: Int

  public init(passed: Int, failed: Int, skipped: Int = 0) {
    self.passed = passed
    self.failed = failed
    self.skipped = skipped
  }

  public var total: Int { passed + failed + skipped }
}
