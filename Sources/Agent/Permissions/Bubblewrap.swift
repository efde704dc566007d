import ArrakisCore
import FoundationEssentials
import Glibc

/// The OS sandbox for Bash (`SandboxPolicy.Mode.os`): bubblewrap with a read-only root, the allowed
/// directories writable, a private /tmp, all namespaces unshared (so no network unless allowed), killed
/// with its parent. Availability is probed once per process; when bwrap is missing or blocked
/// (e.g. Ubuntu's AppArmor userns restriction) Bash refuses with the probe's error instead of running unconfined.
public enum Bubblewrap {
  public enum Availability: Sendable, Equatable {
    case available(path: String)
    case unavailable(reason: String)
  }

  private static let probed = ProbedOnce { probe() }

  public static var availability: Availability { probed.value }

  static func probe() -> Availability {
    guard let path = ProcessRunner.which("bwrap") else {
      return .unavailable(reason: "bubblewrap (bwrap) is not installed; install it (apt-get install bubblewrap) or use --sandbox policy")
    }
    let r = ProcessRunner.runSync([path, "--ro-bind", "/", "/", "--unshare-all", "true"], timeoutMs: 10_000)
    if r.exitCode == 0 { return .available(path: path) }
    let why = r.output.trimmed
    return .unavailable(reason: "bubblewrap cannot create a sandbox here (\(why.isEmpty ? "exit \(r.exitCode)" : why)); user namespaces may be disabled or blocked by AppArmor")
  }

  /// argv prefix for running `inner` (argv) confined to `writable` directories, starting in `cwd`.
  public static func argv(
    bwrap: String, writable: [String], readOnly: [String] = [], cwd: String, allowNetwork: Bool, inner: [String]
  ) -> [String] {
    var a = [bwrap, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for dir in writable { a += ["--bind", dir, dir] }
    // After the writable binds, so that these stay read-only inside them.
    for path in readOnly { a += ["--ro-bind-try", path, path] }
    a += ["--unshare-all"]
    if allowNetwork { a += ["--share-net"] }
    a += ["--die-with-parent", "--new-session", "--chdir", cwd, "--"]
    return a + inner
  }
}
