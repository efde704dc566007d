import FoundationEssentials
import Glibc

/// The one path resolution every file tool uses (and Bash's starting directory): what the kernel would
/// reach, computed without ever applying a component lexically across a symlink.
///
/// Walks the components left to right keeping two parts: `real`, a symlink-free path that exists, and
/// `missing`, the names below it that do not exist yet (a name under a missing directory cannot exist
/// either, so none of them can be a symlink). A symlink found in the existing part is replaced by its
/// target and resolution goes on from there; `..` pops a missing name when there is one, else moves
/// `real` to its real parent. So `nx/../link/x` goes back to where `nx` was and then follows `link`,
/// instead of being taken for `./link/x` checked lexically (the escape this type exists to close).
public enum PathResolver {
  public struct Resolution: Equatable, Sendable {
    /// Absolute; every component that exists is a real directory or the final file, none a symlink.
    public var path: String
    /// Why resolution gave up (a symlink loop or an unreadable link), or nil.
    public var failure: String?
    /// How many trailing components do not exist (what Write would have to create).
    public var missingComponents: Int
  }

  /// The kernel's own bound (ELOOP after 40 links).
  static let maxSymlinks = 40

  public static func resolve(_ raw: String, base: String) -> Resolution {
    var path = raw
    if path == "~" || path.hasPrefix("~/") {
      path = (ProcessInfo.processInfo.environment["HOME"] ?? "/root") + path.dropFirst()
    }
    if !path.hasPrefix("/") { path = base + "/" + path }
    var real = "/"
    var missing: [String] = []
    var hops = 0
    var pending = components(path).reversed() as [String]
    while let comp = pending.popLast() {
      if comp == "." { continue }
      if comp == ".." {
        if missing.isEmpty { real = parent(real) } else { missing.removeLast() }
        continue
      }
      if !missing.isEmpty { missing.append(comp); continue }
      let candidate = join(real, comp)
      var st = stat()
      guard lstat(candidate, &st) == 0 else { missing.append(comp); continue }
      guard st.st_mode & S_IFMT == S_IFLNK else { real = candidate; continue }
      hops += 1
      guard hops <= maxSymlinks else {
        return Resolution(path: candidate, failure: "too many levels of symbolic links (a symlink loop?) at \(candidate)", missingComponents: 0)
      }
      guard let target = readLink(candidate) else {
        return Resolution(path: candidate, failure: "cannot read the symbolic link \(candidate)", missingComponents: 0)
      }
      // The target replaces the link: relative targets continue from the link's directory (`real`).
      if target.hasPrefix("/") { real = "/" }
      pending.append(contentsOf: components(target).reversed())
    }
    return Resolution(path: missing.reduce(real, join), failure: nil, missingComponents: missing.count)
  }

  static func components(_ p: String) -> [String] {
    p.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
  }

  static func join(_ dir: String, _ name: String) -> String { dir == "/" ? "/" + name : dir + "/" + name }

  static func parent(_ p: String) -> String {
    guard let i = p.lastIndex(of: "/"), p != "/" else { return "/" }
    return i == p.startIndex ? "/" : String(p[..<i])
  }

  private static func readLink(_ p: String) -> String? {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(p, &buf, buf.count - 1)
    guard n >= 0 else { return nil }
    buf[n] = 0
    return String(cString: buf)
  }
}
