import Agent
import ArrakisCore
import FoundationEssentials
import Glibc

/// Runs the project's check command (`bash -c`) in a directory and reports a `TestRun`. The command runs
/// (with `ProcessRunner`) in its own process group so a timeout, Ctrl-C (`Interrupt.requested`) or task cancellation stops the
/// whole tree: SIGTERM to the group, then SIGKILL after `killGrace`. Background processes the command
/// leaves behind are killed too once it exits — a gate must not leak servers or `sleep 1000 &`.
public struct TestRunner: Sendable {
  public var timeout: TimeInterval
  /// Bytes of output kept (half from the start, half from the end).
  public var outputLimit: Int
  /// Time between SIGTERM and SIGKILL.
  public var killGrace: TimeInterval
  public var environment: [String: String]

  /// The process runner's inherited environment: the project's tests get neither our API key nor an
  /// outer make's jobserver settings.
  public static var defaultEnvironment: [String: String] { ProcessRunner.inheritedEnvironment }

  public init(
    timeout: TimeInterval = 30 * 60, outputLimit: Int = 200_000, killGrace: TimeInterval = 2,
    environment: [String: String] = TestRunner.defaultEnvironment
  ) {
    self.timeout = timeout
    self.outputLimit = outputLimit
    self.killGrace = killGrace
    self.environment = environment
  }

  /// Runs on a dedicated thread (the wait can last the whole timeout; it must not hold a cooperative
  /// thread). Cancelling the task stops the command like Ctrl-C does and returns the partial run.
  public func run(_ command: String, in directory: String) async throws -> TestRun {
    try await ProcessRunner.onDedicatedThread(name: "arrakis-test-runner") { cancelled in
      Result { try self.runBlocking(command, in: directory, cancelled: cancelled) }
    }.get()
  }

  /// The same, blocking the calling thread. `cancelled` is polled alongside `Interrupt.requested`.
  public func runBlocking(_ command: String, in directory: String, cancelled: () -> Bool = { false }) throws -> TestRun {
    var isDir: Bool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir else {
      throw ArrakisError(.usage, "cannot run tests in \(directory): not a directory")
    }
    let started = Date()
    // The parser sees every line, also those the capped output drops from the middle.
    var parser = TestOutputParser()
    var lines = LineSplitter()
    let result = ProcessRunner.runSync(
      ["bash", "-c", command], environment: environment, directory: directory,
      timeoutMs: TestRunner.milliseconds(timeout), outputCap: outputLimit, killGraceMs: TestRunner.milliseconds(killGrace),
      isCancelled: cancelled, onOutput: { bytes in lines.feed(bytes) { parser.consume($0) } })
    if let why = result.spawnError {
      throw ArrakisError(.usage, "cannot run `\(command)`: \(why)", hint: "is bash installed and on PATH?")
    }
    lines.finish { parser.consume($0) }

    let exitCode = result.exitCode
    let (timedOut, interrupted) = (result.timedOut, result.interrupted)
    let durationMs = Int(Date().timeIntervalSince(started) * 1000)
    let passed = exitCode == 0 && !timedOut && !interrupted
    let failing = parser.failingTests
    let counts = parser.counts
    return TestRun(
      command: command, exitCode: exitCode, passed: passed, timedOut: timedOut, interrupted: interrupted,
      durationMs: durationMs, output: result.output, outputBytes: result.totalBytes, failingTests: failing,
      counts: counts,
      summary: TestRunner.summary(
        passed: passed, exitCode: exitCode, timedOut: timedOut, interrupted: interrupted, durationMs: durationMs,
        failing: failing, counts: counts, lastLine: TestRunner.lastLine(of: result.output)),
      results: parser.results, namesTests: parser.namesTests)
  }

  /// Clamped: an "infinite" timeout must not trap on the conversion.
  static func milliseconds(_ t: TimeInterval) -> Int { Int((min(max(t, 0), 1e9) * 1000).rounded(.up)) }

  /// One line for the report and the ledger.
  static func summary(
    passed: Bool, exitCode: Int32, timedOut: Bool, interrupted: Bool, durationMs: Int, failing: [String],
    counts: TestCounts?, lastLine: String?
  ) -> String {
    let time = formatDuration(durationMs)
    if passed {
      if let counts, counts.total > 0 {
        return "passed: \(counts.passed) tests" + (counts.skipped > 0 ? " (\(counts.skipped) skipped)" : "") + " in \(time)"
      }
      return "passed in \(time)"
    }
    var head: String
    if timedOut { head = "timed out after \(time) (killed)" }
    else if interrupted { head = "interrupted after \(time)" }
    else { head = "failed (exit \(exitCode)) in \(time)" }
    if let counts, counts.failed > 0 { head += ": \(counts.failed) of \(counts.total) tests failed" }
    if !failing.isEmpty {
      let shown = failing.prefix(5).joined(separator: ", ")
      head += (counts?.failed ?? 0 > 0 ? " (" : ": ") + shown
      if failing.count > 5 { head += ", +\(failing.count - 5) more" }
      if counts?.failed ?? 0 > 0 { head += ")" }
    } else if !timedOut && !interrupted, let lastLine {
      head += ": \(lastLine)"
    }
    return head
  }

  static func formatDuration(_ ms: Int) -> String {
    if ms < 60_000 { return String(cFormat: "%.1f s", Double(ms) / 1000) }
    return "\(ms / 60_000) min \(ms % 60_000 / 1000) s"
  }

  static func lastLine(of output: String) -> String? {
    guard let line = output.split(separator: "\n").last(where: { !$0.trimmingSpacesAndTabs.isEmpty }) else {
      return nil
    }
    let trimmed = line.trimmingSpacesAndTabs
    return trimmed.count > 160 ? String(trimmed.prefix(160)) + "…" : trimmed
  }
}
