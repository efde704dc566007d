import ArrakisCore
import FoundationEssentials
import Glibc

/// "analyze: 1200 of 2255 commits diffed" on stderr while a long first analysis diffs history, so that a
/// terminal user sees it move. Only on a terminal, and only once the walk has lasted `grace`: pipes,
/// cron and short runs never see it. Like `Spinner`, the line is drawn from a thread of its own (the
/// diffing threads only count), every write and the final erase happen under one lock, and `stop()`
/// returns with the line erased and nothing drawn after it.
final class WalkProgress: @unchecked Sendable {
  private let total: Int
  private let fd: Int32
  private let grace: TimeInterval
  private let interval: TimeInterval
  private let lock = Lock()
  private var done = 0
  private var stopped = false
  private var drawn = false

  /// nil when `fd` is not a terminal (or TERM=dumb) or there is nothing to count.
  static func start(
    total: Int, fd: Int32 = STDERR_FILENO, environment: Environment = Environment(),
    grace: TimeInterval = 0.3, interval: TimeInterval = 0.1
  ) -> WalkProgress? {
    guard total > 0, isatty(fd) == 1, environment["TERM"] != "dumb" else { return nil }
    let progress = WalkProgress(total: total, fd: fd, grace: grace, interval: interval)
    DetachedThread.start { progress.draw() }
    return progress
  }

  private init(total: Int, fd: Int32, grace: TimeInterval, interval: TimeInterval) {
    self.total = total
    self.fd = fd
    self.grace = grace
    self.interval = interval
  }

  /// Counts `commits` more as done; cheap, safe from any thread.
  func advance(_ commits: Int) {
    lock.withLock { done += commits }
  }

  /// Erases the line; safe to call more than once and from any thread.
  func stop() {
    lock.lock()
    defer { lock.unlock() }
    guard !stopped else { return }
    stopped = true
    if drawn { Output.write(fd, "\r\u{1B}[K") }
  }

  private func draw() {
    usleep(useconds_t(grace * 1_000_000))
    while true {
      lock.lock()
      if stopped { lock.unlock(); return }
      Output.write(fd, "\r\u{1B}[Kanalyze: \(min(done, total)) of \(total) commits diffed")
      drawn = true
      lock.unlock()
      usleep(useconds_t(interval * 1_000_000))
    }
  }
}
