import Foundation

/// Ctrl-C handling without threads: the signal handler only sets a flag; long operations
/// (the curl transfer's progress callback, the agent loop, test runs) poll it and stop cleanly,
/// so that what was received so far is recorded before the process exits with 130.
public enum Interrupt {
  nonisolated(unsafe) private static var flag: sig_atomic_t = 0

  public static var requested: Bool { flag != 0 }

  /// Installs SIGINT/SIGTERM handlers. Idempotent.
  public static func install() {
    signal(SIGINT) { _ in Interrupt.flag = 1 }
    signal(SIGTERM) { _ in Interrupt.flag = 1 }
  }

  /// For tests: clears a recorded interrupt.
  public static func reset() { flag = 0 }
}
