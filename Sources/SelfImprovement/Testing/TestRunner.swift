import ArrakisCore
import Foundation

/// Runs the project's check command (`bash -c`) in a directory and reports a `TestRun`. The command runs
/// in its own process group so a timeout, Ctrl-C (`Interrupt.requested`) or task cancellation stops the
/// whole tree: SIGTERM to the group, then SIGKILL after `killGrace`. Background processes the command
/// leaves behind are killed too once it exits — a gate must not leak servers or `sleep 1000 &`.
public struct TestRunner: Sendable {
  public var timeout: TimeInterval
  /// Bytes of output kept (half from the start, half from the end).
  public var outputLimit: Int
  /// Time between SIGTERM and SIGKILL.
  public var killGrace: TimeInterval
  public var environment: [String: String]

  public init(
    timeout: TimeInterval = 30 * 60, outputLimit: Int = 200_000, killGrace: TimeInterval = 2,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) {
    self.timeout = timeout
    self.outputLimit = outputLimit
    self.killGrace = killGrace
    self.environment = environment
  }

  /// Runs on a dedicated thread (the wait can last the whole timeout; it must not hold a cooperative
  /// thread). Cancelling the task stops the command like Ctrl-C does and returns the partial run.
  public func run(_ command: String, in directory: String) async throws -> TestRun {
    let cancel = CancelFlag()
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<TestRun, Error>) in
        let thread = Thread {
          continuation.resume(with: Result { try self.runBlocking(command, in: directory, cancelled: { cancel.isSet }) })
        }
        thread.name = "arrakis-test-runner"
        thread.start()
      }
    } onCancel: {
      cancel.set()
    }
  }

  /// The same, blocking the calling thread. `cancelled` is polled alongside `Interrupt.requested`.
  public func runBlocking(_ command: String, in directory: String, cancelled: () -> Bool = { false }) throws -> TestRun {
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
      throw ArrakisError(.usage, "cannot run tests in \(directory): not a directory")
    }
    let started = Date()
    let group: ProcessGroup
    do {
      group = try ProcessGroup(command: command, directory: directory, environment: environment)
    } catch ProcessGroupError.spawn(let why) {
      throw ArrakisError(.usage, "cannot run `\(command)`: \(why)", hint: "is bash installed and on PATH?")
    }
    var pump = OutputPump(fd: group.output, limit: outputLimit)
    var timedOut = false
    var interrupted = false

    // Phase 1: until the command exits, times out or is interrupted.
    while !group.leaderExited() {
      pump.drain(waitingMs: 50)
      if Date().timeIntervalSince(started) > timeout { timedOut = true; break }
      if Interrupt.requested || cancelled() { interrupted = true; break }
    }
    if timedOut || interrupted {
      group.signalGroup(SIGTERM)
      let termAt = Date()
      while !group.leaderExited() && Date().timeIntervalSince(termAt) < killGrace { pump.drain(waitingMs: 20) }
    } else {
      // Output written just before exit, and by children still finishing: wait briefly for EOF.
      let exitedAt = Date()
      while !pump.eof && Date().timeIntervalSince(exitedAt) < 0.5 { pump.drain(waitingMs: 20) }
    }
    // Phase 2: nothing of the run may outlive it. The leader is not reaped yet, so the group id is still ours.
    group.signalGroup(SIGKILL)
    let killedAt = Date()
    while !pump.eof && Date().timeIntervalSince(killedAt) < 0.5 { pump.drain(waitingMs: 20) }
    let exitCode = group.reap()
    pump.finish()

    let durationMs = Int(Date().timeIntervalSince(started) * 1000)
    let passed = exitCode == 0 && !timedOut && !interrupted
    let failing = pump.parser.failingTests
    let counts = pump.parser.counts
    let output = pump.capture.text
    return TestRun(
      command: command, exitCode: exitCode, passed: passed, timedOut: timedOut, interrupted: interrupted,
      durationMs: durationMs, output: output, outputBytes: pump.capture.total, failingTests: failing, counts: counts,
      summary: TestRunner.summary(
        passed: passed, exitCode: exitCode, timedOut: timedOut, interrupted: interrupted, durationMs: durationMs,
        failing: failing, counts: counts, lastLine: TestRunner.lastLine(of: output)))
  }

  /// One line for the report and the ledger.
  static func summary(
    passed: Bool, exitCode: Int32, timedOut: Bool, interrupted: Bool, durationMs: Int, failing: [String],
    counts: TestCounts?, lastLine: String?
  ) -> String {
    let time = formatDuration(durationMs)
    if passed {
      if let counts, counts.total > 0 { return "passed: \(counts.passed) tests in \(time)" }
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
    if ms < 60_000 { return String(format: "%.1f s", Double(ms) / 1000) }
    return "\(ms / 60_000) min \(ms % 60_000 / 1000) s"
  }

  static func lastLine(of output: String) -> String? {
    guard let line = output.split(separator: "\n").last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
      return nil
    }
    let trimmed = line.trimmingCharacters(in: .whitespaces)
    return trimmed.count > 160 ? String(trimmed.prefix(160)) + "…" : trimmed
  }
}

/// Reads whatever the pipe has into the capped capture and the line parser.
struct OutputPump {
  let fd: Int32
  var capture: OutputCapture
  var parser = TestOutputParser()
  private var lines = LineSplitter()
  private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
  private(set) var eof = false

  init(fd: Int32, limit: Int) {
    self.fd = fd
    capture = OutputCapture(limit: limit)
  }

  /// Waits up to `waitingMs` for output, then reads until the pipe is empty.
  mutating func drain(waitingMs: Int32) {
    guard !eof else { usleep(useconds_t(waitingMs) * 1000); return }
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    guard poll(&pfd, 1, waitingMs) > 0 else { return }
    while true {
      let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n > 0 {
        buffer.withUnsafeBytes { raw in
          let chunk = UnsafeRawBufferPointer(rebasing: raw[0..<n])
          capture.append(chunk)
          lines.feed(chunk) { parser.consume($0) }
        }
      } else if n == 0 {
        eof = true
        return
      } else {
        if errno == EINTR { continue }
        return  // EAGAIN: drained for now
      }
    }
  }

  mutating func finish() {
    lines.finish { parser.consume($0) }
  }
}

/// Set from the task-cancellation handler, read from the runner thread.
final class CancelFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  var isSet: Bool { lock.withLock { value } }
  func set() { lock.withLock { value = true } }
}
