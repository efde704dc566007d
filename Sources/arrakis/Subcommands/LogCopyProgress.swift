import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// "log copy: 12000 of 100000 sessions" on stderr while a copy runs, like analyze's WalkProgress: only on
/// a terminal (never on a pipe or in cron mail), only once the copy has lasted `grace`, redrawn at most
/// every `interval`, and erased when it ends. Drawn from the copier's own thread between batches.
final class CopyProgressLine: @unchecked Sendable {
  private let fd: Int32
  private let started = Date()
  private let grace: TimeInterval
  private let interval: TimeInterval
  private var last = Date.distantPast
  private var drawn = false
  private var stopped = false
  private let lock = Lock()

  /// nil when `fd` is not a terminal (or TERM=dumb).
  static func start(fd: Int32 = STDERR_FILENO, environment: Environment = Environment(), grace: TimeInterval = 0.3, interval: TimeInterval = 0.1) -> CopyProgressLine? {
    guard isatty(fd) == 1, environment["TERM"] != "dumb" else { return nil }
    return CopyProgressLine(fd: fd, grace: grace, interval: interval)
  }

  private init(fd: Int32, grace: TimeInterval, interval: TimeInterval) {
    self.fd = fd
    self.grace = grace
    self.interval = interval
  }

  func show(_ p: CopyProgress) {
    lock.withLock {
      let now = Date()
      guard !stopped, p.total > 0, now.timeIntervalSince(started) >= grace, now.timeIntervalSince(last) >= interval else { return }
      last = now
      drawn = true
      Output.write(fd, "\r\u{1B}[Klog copy: \(min(p.done, p.total)) of \(p.total) \(p.what)")
    }
  }

  /// Erases the line; safe to call more than once.
  func stop() {
    lock.withLock {
      guard !stopped else { return }
      stopped = true
      if drawn { Output.write(fd, "\r\u{1B}[K") }
    }
  }
}
