import Foundation

/// Processes found by a marker in their command line, as this process sees them. Policy-sandbox Bash
/// runs in a PID namespace of its own where the kernel allows: the pids its commands print (`echo $$`,
/// `$!`) are that namespace's and name unrelated processes here (pid 2 is the kernel's kthreadd), so a
/// test finds what a command started by a marker it put in the arguments.
public enum HostProcesses {
  /// A `sleep` duration no other process uses (`sleep 1000.000123456`): the marker of one test's processes.
  public static func sleepMarker() -> String {
    "1000." + String(format: "%09d", Int.random(in: 1..<1_000_000_000))
  }

  /// Pids of the live processes (not zombies) whose command line contains `marker`.
  public static func live(matching marker: String) -> [pid_t] {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
    let me = getpid()
    return entries.compactMap { pid_t($0) }.filter { pid in
      guard pid != me, let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
        cmdline.range(of: Data(marker.utf8)) != nil
      else { return false }
      return isLive(pid)
    }
  }

  /// Waits up to `seconds` for no live process to match `marker`; returns those still alive then.
  public static func survivors(of marker: String, within seconds: Double = 10) -> [pid_t] {
    let end = Date().addingTimeInterval(seconds)
    var left = live(matching: marker)
    while !left.isEmpty && Date() < end {
      usleep(20_000)
      left = live(matching: marker)
    }
    return left
  }

  /// Exists and is neither a zombie nor dead (killed orphans stay zombies until someone reaps them).
  public static func isLive(_ pid: pid_t) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")"),
      stat.distance(from: close, to: stat.endIndex) > 2
    else { return false }
    return !["Z", "X"].contains(stat[stat.index(close, offsetBy: 2)])
  }
}

/// Looks, on a thread of its own, for the processes of `marker` once `ready()` holds (at most `seconds`
/// after it starts): a test's cooperative pool can be starved for many seconds by a busy suite, and the
/// look must happen while the command runs.
public final class ProcessWatch: @unchecked Sendable {
  private let looked = DispatchSemaphore(value: 0)
  private var seen: [pid_t] = []

  public init(marker: String, within seconds: Double = 30, ready: @escaping @Sendable () -> Bool) {
    Thread { [self] in
      let end = Date().addingTimeInterval(seconds)
      while !ready() && Date() < end { usleep(5_000) }
      seen = HostProcesses.live(matching: marker)
      looked.signal()
    }.start()
  }

  /// The live processes of the marker it found (waits until it has looked).
  public var seenRunning: [pid_t] {
    looked.wait()
    looked.signal()
    return seen
  }
}
