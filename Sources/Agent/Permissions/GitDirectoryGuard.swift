import FoundationEssentials
import Glibc

/// Where repository internals live, so Write/Edit can refuse them: any `.git` component, any directory
/// git itself would take for a git directory (a gitdir reached under another name, a bare repository),
/// and the gitdir (and its common dir) that a `.git` *file* points to, as in a linked worktree or a
/// submodule. A hook or `core.fsmonitor` planted there runs unconfined the next time the user runs git.
enum GitDirectoryGuard {
  /// Why writing the resolved `path` is refused, or nil. `roots` are the allowed directories (resolved).
  static func writeRefusal(_ path: String, roots: [String]) -> String? {
    let parts = PathResolver.components(path)
    if parts.contains(where: { $0.lowercased() == ".git" }) {
      return "is inside a .git directory; repository internals are never written directly"
    }
    // Existing ancestors (and the path itself when it is a directory) that git would treat as a gitdir.
    var dir = "/"
    var ancestors = ["/"]
    for p in parts { dir = PathResolver.join(dir, p); ancestors.append(dir) }
    for a in ancestors where isGitDirectory(a) {
      return "is inside the git directory \(a); repository internals are never written directly"
    }
    // Gitdirs named by `.git` files above the path or above an allowed root.
    var seen = Set<String>()
    for start in [path] + roots {
      var d = start
      while true {
        if seen.insert(d).inserted {
          for g in pointedGitDirs(from: d) where PathGuard.isInside(path, g) {
            return "is inside \(g), the git directory that \(PathResolver.join(d, ".git")) points to; repository internals are never written directly"
          }
        }
        if d == "/" { break }
        d = PathResolver.parent(d)
      }
    }
    return nil
  }

  /// git's own test (setup.c, is_git_directory): a HEAD plus objects/ and refs/, or a commondir file.
  static func isGitDirectory(_ dir: String) -> Bool {
    guard exists(dir + "/HEAD") else { return false }
    return (isDirectory(dir + "/objects") && isDirectory(dir + "/refs")) || exists(dir + "/commondir")
  }

  /// The gitdir a `dir/.git` file names (`gitdir: <path>`, relative to `dir`) and that gitdir's common dir.
  static func pointedGitDirs(from dir: String) -> [String] {
    let file = PathResolver.join(dir, ".git")
    var st = stat()
    guard lstat(file, &st) == 0, st.st_mode & S_IFMT == S_IFREG, st.st_size < 4096,
      let text = try? String(contentsOfFile: file, encoding: .utf8),
      let line = text.split(separator: "\n").first, line.hasPrefix("gitdir:")
    else { return [] }
    let named = line.dropFirst("gitdir:".count).trimmingSpacesAndTabs
    let gitdir = PathResolver.resolve(named, base: dir).path
    var out = [gitdir]
    if let common = try? String(contentsOfFile: gitdir + "/commondir", encoding: .utf8) {
      out.append(PathResolver.resolve(common.trimmed, base: gitdir).path)
    }
    return out
  }

  private static func exists(_ p: String) -> Bool {
    var st = stat()
    return lstat(p, &st) == 0
  }

  private static func isDirectory(_ p: String) -> Bool {
    var st = stat()
    return lstat(p, &st) == 0 && st.st_mode & S_IFMT == S_IFDIR
  }
}
