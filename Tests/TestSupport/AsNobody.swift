import Foundation

/// Runs a program as `nobody` (uid and gid 65534, no supplementary groups) through setpriv, from a test
/// running as root: the user for whom the guardian has no CAP_SYS_ADMIN (Sources/CSystem/Guardian.c).
public enum AsNobody {
  public static let uid: uid_t = 65534

  /// Root, with setpriv: the tests that need another user can run.
  public static let possible = getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

  /// The executable and arguments that run `argv` as nobody; with `userNamespacesOff`, inside a user
  /// namespace of its own in which user.max_user_namespaces is 0, so that it can make none. That sysctl
  /// is per user namespace and holds for the namespaces below it: nothing changes for the rest of the
  /// machine, and nothing needs restoring.
  public static func command(_ argv: [String], userNamespacesOff: Bool = false) -> (executable: String, arguments: [String]) {
    let prefix = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    if !userNamespacesOff { return ("/usr/bin/setpriv", prefix + argv) }
    return ("/usr/bin/setpriv", prefix + ["/usr/bin/python3", "-c", withoutUserNamespaces] + argv)
  }

  /// sys.argv[1:] run in a user namespace where the user stands for itself and may make no other.
  static let withoutUserNamespaces = #"""
    import ctypes, os, sys
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.geteuid(), os.getegid()
    if libc.unshare(0x10000000) != 0:  # CLONE_NEWUSER
        sys.exit("unshare(CLONE_NEWUSER): " + os.strerror(ctypes.get_errno()))
    for name, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1\n"), ("gid_map", f"{gid} {gid} 1\n")):
        with open(f"/proc/self/{name}", "w") as f:
            f.write(text)
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0\n")
    os.execv(sys.argv[1], sys.argv[1:])
    """#

  /// Whether `command(_:userNamespacesOff: true)` works here: as nobody, with user namespaces off.
  public static let canSwitchUserNamespacesOff: Bool = {
    guard possible, FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { return false }
    let (executable, arguments) = command(["/bin/cat", "/proc/sys/user/max_user_namespaces"], userNamespacesOff: true)
    return run(executable, arguments) == "0\n"
  }()

  /// What `arrakis-guard --probe-isolation` prints when run as nobody ("ok\n" where it can isolate).
  public static func probeIsolation(guardPath: String, userNamespacesOff: Bool = false) -> String {
    let (executable, arguments) = command([guardPath, "--probe-isolation"], userNamespacesOff: userNamespacesOff)
    return run(executable, arguments) ?? "did not start"
  }

  /// The output of a program (stdout), nil if it did not start.
  static func run(_ executable: String, _ arguments: [String]) -> String? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = FileHandle.nullDevice
    p.standardInput = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return nil }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return text
  }
}
