import Foundation

/// Resolves model-supplied paths and checks them against the sandbox. All file tools go through here,
/// so traversal (`../../etc/passwd`), absolute paths and symlink escapes are handled in one place.
public enum PathGuard {
  public enum Purpose: Sendable { case read, write }

  /// Absolute, symlink-free path. Relative paths resolve against `base`. Components that do not exist
  /// yet are appended lexically to the realpath of the deepest existing ancestor (new files).
  public static func resolve(_ raw: String, base: String) -> String {
    var path = raw
    if path == "~" || path.hasPrefix("~/") {
      path = (ProcessInfo.processInfo.environment["HOME"] ?? "/root") + path.dropFirst()
    }
    if !path.hasPrefix("/") { path = base + "/" + path }
    var current = "/"
    var existing = true
    var hops = 0
    var pending = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
    pending.reverse()
    while let comp = pending.popLast() {
      if comp == "." { continue }
      if comp == ".." { current = parent(current); continue }
      let candidate = current == "/" ? "/" + comp : current + "/" + comp
      guard existing else { current = candidate; continue }
      var st = stat()
      if lstat(candidate, &st) != 0 { existing = false; current = candidate; continue }
      if st.st_mode & S_IFMT == S_IFLNK {
        hops += 1
        // A symlink loop: stop resolving and use a path that can never be inside the sandbox.
        if hops > 40 { return "/nonexistent-symlink-loop" }
        let target = readLink(candidate)
        let targetComps = target.split(separator: "/").map(String.init)
        if target.hasPrefix("/") { current = "/" }
        pending.append(contentsOf: targetComps.reversed())
        continue
      }
      current = candidate
    }
    return current
  }

  /// Throws `SandboxViolation` unless `path` (already resolved) may be used for `purpose`.
  public static func check(_ path: String, _ purpose: Purpose, allowed: [String], display: String) throws {
    let roots = allowed.map { resolve($0, base: "/") }
    guard roots.contains(where: { isInside(path, $0) }) else {
      throw SandboxViolation("'\(display)' resolves to \(path), outside the allowed directories (\(roots.joined(separator: ", ")))")
    }
    if purpose == .write, path.split(separator: "/").contains(".git") {
      throw SandboxViolation("'\(display)' is inside a .git directory; repository internals are never written directly")
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

  private static func parent(_ p: String) -> String {
    guard let i = p.lastIndex(of: "/"), p != "/" else { return "/" }
    return i == p.startIndex ? "/" : String(p[..<i])
  }

  private static func readLink(_ p: String) -> String {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(p, &buf, buf.count - 1)
    guard n >= 0 else { return "/nonexistent-unreadable-link" }
    buf[n] = 0
    return String(cString: buf)
  }
}
