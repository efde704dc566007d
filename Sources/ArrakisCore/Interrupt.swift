import CArrakisSystem
import FoundationEssentials
import Glibc

/// Ctrl-C handling without threads: the signal handler only records the signal; long operations
/// (the curl transfer's progress callback, the agent loop, test runs) poll it and stop cleanly,
/// so that what was received so far is recorded before the process exits with 130.
///
/// SIGTERM, SIGHUP (the terminal went away), SIGQUIT and SIGPIPE (`arrakis ask … | head -1`: the reader
/// left) stop a run the same way: partial output kept, session finished as interrupted, exit 130. With
/// SIGPIPE caught, a write to the closed pipe fails with EPIPE instead of killing us before the ledger
/// is written (the handlers are in Sources/CSystem/StopSignals.c).
public enum Interrupt {
  public static var requested: Bool { arrakis_stop_signal() != 0 }

  /// The signal that stopped the run, if one did.
  public static var signal: Int32? { arrakis_stop_signal() == 0 ? nil : arrakis_stop_signal() }

  /// Installs the handlers; also the rest of what a run that starts commands needs before it starts
  /// any: arrakis reaps whatever its commands leave behind (`ChildProcesses.adoptOrphans`) and hides its
  /// own environment from them (`ChildEnvironment.protectOwnEnvironment`). Idempotent.
  public static func install() {
    arrakis_install_stop_handlers()
    ChildProcesses.adoptOrphans()
    ChildEnvironment.protectOwnEnvironment()
  }

  /// For tests: clears a recorded interrupt.
  public static func reset() {
    arrakis_clear_stop_signal()
  }
}
