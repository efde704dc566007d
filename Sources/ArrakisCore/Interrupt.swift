import Foundation

/// Ctrl-C handling without threads: the signal handler only sets a flag; long operations
/// (the curl transfer's progress callback, the agent loop, test runs) poll it and stop cleanly,
/// so that what was received so far is recorded before the process exits with 130.
///
/// SIGTERM, SIGHUP (the terminal went away), SIGQUIT and SIGPIPE (`arrakis ask … | head -1`: the reader
/// left) stop a run the same way: partial output kept, session finished as interrupted, exit 130. With
/// SIGPIPE caught, a write to the closed pipe fails with EPIPE instead of killing us before the ledger
/// is written.
public enum Interrupt {
  nonisolated(unsafe) private static var flag: sig_atomic_t = 0
  nonisolated(unsafe) private static var lastSignal: sig_atomic_t = 0

  public static var requested: Bool { flag != 0 }

  /// The signal that stopped the run, if one did.
  public static var signal: Int32? { lastSignal == 0 ? nil : Int32(lastSignal) }

  public static let stopSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE]

  /// Installs the handlers; also the rest of what a run that starts commands needs before it starts
  /// any: arrakis reaps whatever its commands leave behind (`ChildProcesses.adoptOrphans`) and hides its
  /// own environment from them (`ChildEnvironment.protectOwnEnvironment`). Idempotent.
  public static func install() {
    for s in stopSignals {
      Foundation.signal(s) { received in
        Interrupt.lastSignal = sig_atomic_t(received)
        Interrupt.flag = 1
      }
    }
    ChildProcesses.adoptOrphans()
    ChildEnvironment.protectOwnEnvironment()
  }

  /// For tests: clears a recorded interrupt.
  public static func reset() {
    flag = 0
    lastSignal = 0
  }
}
