import CArrakisSystem
import FoundationEssentials
import Glibc

/// The guardians arrakis has started and not yet reaped (see `arrakis_spawn_guarded` in
/// Sources/CSystem/Guardian.c), and the end-of-run sweep: when arrakis exits, no process it started is
/// left behind, whether it is a guardian still running (a background job) or an orphan a guardian killed
/// as a last resort left to us (arrakis is a child subreaper once `adoptOrphans()` ran).
public final class ChildProcesses: @unchecked Sendable {
  public static let shared = ChildProcesses()
  private let lock = Lock()
  private var guardians: Set<pid_t> = []

  public func add(_ pid: pid_t) { lock.withLock { _ = guardians.insert(pid) } }
  public func remove(_ pid: pid_t) { lock.withLock { _ = guardians.remove(pid) } }
  public var running: Set<pid_t> { lock.withLock { guardians } }

  nonisolated(unsafe) private static var adopted = false

  /// Makes arrakis a child subreaper and sweeps its children at exit. Idempotent; for the binary (a test
  /// process must not reap or kill what its other tests start).
  public static func adoptOrphans() {
    guard !adopted else { return }
    adopted = true
    _ = arrakis_become_subreaper()
    atexit { ChildProcesses.sweep(graceMs: 500) }
  }

  /// Stops every child of this process: SIGTERM to each guardian's group (the guardian stops its whole
  /// tree), SIGKILL to anything else (orphans adopted as subreaper), then SIGKILL to whatever is left
  /// after `graceMs`, and reaps them. Returns the pids it signalled.
  @discardableResult
  public static func sweep(graceMs: Int) -> [pid_t] {
    // No child at all (the usual case at exit): nothing to read /proc for.
    var status: Int32 = 0
    if waitpid(-1, &status, WNOHANG) < 0 && errno == ECHILD { return [] }
    let known = shared.running
    var signalled: [pid_t] = []
    for pid in children() {
      signalled.append(pid)
      if known.contains(pid) { kill(-pid, SIGTERM) } else { kill(pid, SIGKILL) }
    }
    guard !signalled.isEmpty else { return [] }
    let end = Date().addingTimeInterval(Double(graceMs) / 1000 + 6)
    while Date() < end {
      while waitpid(-1, &status, WNOHANG) > 0 {}
      let left = children()
      if left.isEmpty { break }
      if Date() > end.addingTimeInterval(-5) { for pid in left { kill(-pid, SIGKILL); kill(pid, SIGKILL) } }
      usleep(10_000)
    }
    while waitpid(-1, &status, WNOHANG) > 0 {}
    return signalled
  }

  /// Live (not zombie) processes whose parent is this process.
  public static func children() -> [pid_t] {
    let me = getpid()
    return ProcTable.snapshot().filter { $0.ppid == me }.map(\.pid)
  }
}

/// One read of /proc: pid, parent and state of every process we can see.
public enum ProcTable {
  public struct Entry: Sendable {
    public var pid: pid_t
    public var ppid: pid_t
    public var processGroup: pid_t
    public var state: Character
  }

  public static func snapshot(includeZombies: Bool = false) -> [Entry] {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    return names.compactMap { name in
      guard let pid = pid_t(name), let entry = entry(pid) else { return nil }
      return includeZombies || (entry.state != "Z" && entry.state != "X") ? entry : nil
    }
  }

  public static func entry(_ pid: pid_t) -> Entry? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let paren = stat.lastIndex(of: ")")
    else { return nil }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so parse after the last ')'.
    let fields = stat[stat.index(after: paren)...].split(separator: " ")
    guard fields.count >= 3, let state = fields[0].first, let ppid = pid_t(fields[1]), let group = pid_t(fields[2])
    else { return nil }
    return Entry(pid: pid, ppid: ppid, processGroup: group, state: state)
  }

  /// Field 22 of /proc/PID/stat: the start time in clock ticks since boot. With the pid it names one
  /// process for good (pids are reused, start times are not).
  public static func startTime(_ pid: pid_t) -> Int64? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let paren = stat.lastIndex(of: ")")
    else { return nil }
    let fields = stat[stat.index(after: paren)...].split(separator: " ")
    // fields[0] is field 3 (state), so field 22 is fields[19].
    return fields.count > 19 ? Int64(fields[19]) : nil
  }

  /// Whether `pid` runs and is not a zombie.
  public static func isAlive(_ pid: pid_t) -> Bool {
    guard let e = entry(pid) else { return false }
    return e.state != "Z" && e.state != "X"
  }
}
