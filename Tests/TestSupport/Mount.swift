import Foundation

/// Mounts a test makes for itself (a read-only bind, a small tmpfs to fill), undone by `unmount`.
public struct Mount {
  public let path: String

  /// Whether this process may mount (root with CAP_SYS_ADMIN, as in CI's container).
  public static let allowed: Bool = {
    guard getuid() == 0 else { return false }
    guard let probe = tmpfs(sizeKB: 64) else { return false }
    probe.unmount()
    return true
  }()

  public static func readOnlyBind(_ source: String) -> Mount? {
    let target = makeTarget()
    guard run(["mount", "--bind", "-o", "ro", source, target]) else { return nil }
    return Mount(path: target)
  }

  public static func tmpfs(sizeKB: Int) -> Mount? {
    let target = makeTarget()
    guard run(["mount", "-t", "tmpfs", "-o", "size=\(sizeKB)k", "tmpfs", target]) else { return nil }
    return Mount(path: target)
  }

  public func unmount() {
    _ = Mount.run(["umount", "-l", path])
    try? FileManager.default.removeItem(atPath: path)
  }

  private static func makeTarget() -> String {
    let path = NSTemporaryDirectory() + "/arrakis-mount-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs a command found on PATH, its output discarded; whether it exited 0.
  public static func run(_ argv: [String]) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = argv
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }
}
