import FoundationEssentials
import Glibc
import Git

/// The judge as checked out at the baseline (workspace-relative paths of its test files and test settings),
/// and who the commit is by.
enum JudgeFiles {
  static let skippedDirectories: Set<String> = [".git", "node_modules", ".build", "target", "__pycache__", ".venv", "venv", ".tox"]

  /// Every judge file in a fresh checkout.
  static func list(_ root: String) -> Set<String> {
    var out: Set<String> = []
    // Depth first, links not followed (as FileManager's enumerator walked it).
    var pending = [""]
    while let dir = pending.popLast() {
      guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? root : root + "/" + dir) else { continue }
      for name in names {
        let rel = dir.isEmpty ? name : dir + "/" + name
        if skippedDirectories.contains(name) { continue }
        if TestFileRules.isCheckFile(path: rel) { out.insert(rel) }
        var info = stat()
        if lstat(root + "/" + rel, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { pending.append(rel) }
      }
    }
    return out
  }

  /// GIT_AUTHOR_NAME/EMAIL and GIT_COMMITTER_NAME/EMAIL when set (as git itself honours them), else the
  /// repository's user.name/user.email.
  static func signatures(_ env: [String: String], fallback: Signature) -> (author: Signature, committer: Signature) {
    func pick(_ name: String, _ email: String, _ base: Signature) -> Signature {
      Signature(name: env[name].flatMap { $0.isEmpty ? nil : $0 } ?? base.name, email: env[email].flatMap { $0.isEmpty ? nil : $0 } ?? base.email)
    }
    let author = pick("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", fallback)
    return (author, pick("GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", fallback))
  }
}
