import FoundationEssentials
import Glibc

/// Whether an `isolated` command (policy-sandbox Bash, `ProcessRunner.spawn`) gets a PID namespace of its
/// own here, with a /proc from which arrakis and every other process outside it are invisible. With root
/// (CAP_SYS_ADMIN) directly, else inside a user namespace of its own where the kernel allows unprivileged
/// ones; elsewhere the command runs in ours, as any other command does. Probed once per
/// process by `arrakis-guard --probe-isolation`, which makes the namespaces exactly as the guardian would
/// (or, without that program, by running a command isolated).
public enum CommandIsolation {
  public enum Availability: Sendable, Equatable {
    case available
    case unavailable(reason: String)
  }

  private static let probed = ProbedOnce { probe() }

  public static var availability: Availability { probed.value }

  static func probe() -> Availability {
    guard let guardPath = ProcessRunner.guardianExecutable else {
      // The guardian forked out of arrakis isolates the same way: a command in a new namespace is its pid 2
      // (the guardian inside is its init).
      let r = ProcessRunner.runSync(["/bin/sh", "-c", "echo $$"], timeoutMs: 10_000, isolated: true)
      return r.output == "2\n" ? .available : .unavailable(reason: "the kernel refused a PID namespace")
    }
    let r = ProcessRunner.runSync([guardPath, "--probe-isolation"], timeoutMs: 10_000)
    if r.exitCode == 0 { return .available }
    let why = r.output.trimmed
    return .unavailable(reason: why.isEmpty ? "exit \(r.exitCode)" : why)
  }

  /// What a run under the policy sandbox says once on stderr where the namespace cannot be made: what its
  /// commands can reach then.
  public static func noticeIfUnavailable(notice: (String) -> Void = { Output.err($0) }) {
    guard case .unavailable(let reason) = availability, !noticeGiven.swap(true) else { return }
    notice("note: Bash commands share arrakis's PID namespace (\(reason)): they see every process, and can read the environment of your user's other processes\n")
  }

  private static let noticeGiven = NoticeFlag()
}

private final class NoticeFlag: @unchecked Sendable {
  private let lock = Lock()
  private var value = false
  func swap(_ new: Bool) -> Bool { lock.withLock { let old = value; value = new; return old } }
}
