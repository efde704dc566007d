import FoundationEssentials
import Glibc

/// Where a run happens: the enclosing git repository's root if there is one, else the directory itself.
/// Found by walking up to a `.git` entry rather than through libgit2, so that `ask` pays nothing for it.
public struct Workspace: Sendable, Equatable {
  public var root: String
  public var isGitRepository: Bool
  public var gitBranch: String?

  public static func detect(from directory: String = FileManager.default.currentDirectoryPath) -> Workspace {
    let start = directory.resolvingSymlinksInPath
    var dir = start
    while true {
      let dotGit = dir == "/" ? "/.git" : dir + "/.git"
      var isDir: Bool = false
      if FileManager.default.fileExists(atPath: dotGit, isDirectory: &isDir) {
        return Workspace(root: dir, isGitRepository: true, gitBranch: branch(dotGit: dotGit, isDirectory: isDir))
      }
      if dir == "/" || dir.isEmpty { break }
      dir = dir.deletingLastPathComponent
    }
    return Workspace(root: start, isGitRepository: false, gitBranch: nil)
  }

  /// Reads HEAD: `ref: refs/heads/main` → `main`; a detached HEAD → the short commit id.
  /// A linked worktree's `.git` is a file pointing at its git directory.
  static func branch(dotGit: String, isDirectory: Bool) -> String? {
    var gitDir = dotGit
    if !isDirectory {
      guard let text = try? String(contentsOfFile: dotGit, encoding: .utf8),
        let line = text.split(separator: "\n").first, line.hasPrefix("gitdir: ")
      else { return nil }
      let target = String(line.dropFirst("gitdir: ".count))
      gitDir = target.hasPrefix("/") ? target : dotGit.deletingLastPathComponent + "/" + target
    }
    guard let head = try? String(contentsOfFile: gitDir + "/HEAD", encoding: .utf8) else { return nil }
    let trimmed = head.trimmed
    if trimmed.hasPrefix("ref: refs/heads/") { return String(trimmed.dropFirst("ref: refs/heads/".count)) }
    return trimmed.isEmpty ? nil : String(trimmed.prefix(12))
  }
}
