import FoundationEssentials
import Glibc

/// Resolves model-supplied paths and checks them against the sandbox. All file tools go through here,
/// so traversal (`../../etc/passwd`), absolute paths and symlink escapes are handled in one place.
public enum PathGuard {
  public enum Purpose: Sendable { case read, write }

  /// Absolute path with every existing component symlink-free (see `PathResolver`). Relative paths
  /// resolve against `base`. A path that cannot be resolved (a symlink loop) gives one that can never be
  /// inside the sandbox.
  public static func resolve(_ raw: String, base: String) -> String {
    let r = PathResolver.resolve(raw, base: base)
    return r.failure == nil ? r.path : "/nonexistent-unresolvable-path"
  }

  /// Resolves `raw` and checks it for `purpose`: the one entry point the tools use.
  public static func resolveChecked(_ raw: String, base: String, _ purpose: Purpose, allowed: [String]) throws -> String {
    let r = PathResolver.resolve(raw, base: base)
    if let failure = r.failure { throw SandboxViolation("'\(raw)' cannot be resolved: \(failure)") }
    try check(r.path, purpose, allowed: allowed, display: raw)
    return r.path
  }

  /// Throws `SandboxViolation` unless `path` (already resolved) may be used for `purpose`.
  public static func check(_ path: String, _ purpose: Purpose, allowed: [String], display: String) throws {
    let roots = allowed.map { resolve($0, base: "/") }
    guard roots.contains(where: { isInside(path, $0) }) else {
      throw SandboxViolation("'\(display)' resolves to \(path), outside the allowed directories (\(roots.joined(separator: ", ")))")
    }
    if purpose == .write, let why = GitDirectoryGuard.writeRefusal(path, roots: roots) {
      throw SandboxViolation("'\(display)' \(why)")
    }
  }

  public static func isInside(_ path: String, _ root: String) -> Bool {
    root == "/" || path == root || path.hasPrefix(root + "/")
  }

  /// `path` relative to `root` when inside it, else the absolute path (for display and rule matching).
  public static func relative(_ path: String, to root: String) -> String {
    if path == root { return "." }
    if path.hasPrefix(root + "/") { return String(path.dropFirst(root.count + 1)) }
    return path
  }
}
