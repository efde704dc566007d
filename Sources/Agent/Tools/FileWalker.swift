import FoundationEssentials
import Glibc

/// Recursive directory walk on openat/readdir (d_type avoids a stat per entry), entries sorted by
/// name so output order is deterministic and matches `rg --sort path`. Skips `.git`, does not follow
/// symlinks (a link could point outside the sandbox), and honours .gitignore files found on the way
/// plus those between `ignoreRoot` and the start directory.
struct FileWalker {
  struct Entry {
    let path: String          // absolute
    let relative: [String]    // components relative to the walk root
    /// The open directory holding the file, valid only during the visit: `openat(directory, name,
    /// O_NOFOLLOW)` opens the entry without walking its path again (and without following a link put in its place).
    var directory: Int32 = -1
  }

  let root: String
  let ignoreRoot: String?
  var honourGitignore = true
  /// ripgrep's `-g` semantics: a glob match whitelists the entry past .gitignore (true), a file that
  /// misses every whitelist glob is skipped (false), nil falls through to .gitignore.
  var override: ((_ relative: [String], _ isDirectory: Bool) -> Bool?)? = nil

  /// Calls `visit` for each regular file; returning false stops the walk.
  func walk(_ visit: (Entry) -> Bool) {
    var ignore = GitIgnore()
    if honourGitignore { preloadAncestors(into: &ignore) }
    // The root is opened component by component without following symlinks, and each directory below
    // through its parent's descriptor: a directory swapped for a symlink mid-walk is skipped, not entered.
    guard let top = try? PathOpener.openDirectory(root) else { return }
    let fd = openat(top, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    close(top)
    guard fd >= 0 else { return }
    _ = walkDirectory(fd, root, relative: [], ignore: &ignore, visit)
  }

  private func preloadAncestors(into ignore: inout GitIgnore) {
    // .gitignore files above the walk root govern it too; they are loaded with bases that the walk's
    // relative paths cannot reach, so re-express their rules relative to the walk root by prefixing.
    guard let top = ignoreRoot, PathGuard.isInside(root, top), root != top else {
      ignore.load(directory: root, relative: [])
      return
    }
    // Walk from the top down to the root, loading each level as if it were the root itself; patterns
    // are re-based by treating ancestors' paths as a prefix the entries carry implicitly.
    let below = PathGuard.relative(root, to: top).split(separator: "/").map(String.init)
    var ancestors = GitIgnore()
    var dir = top
    ancestors.load(directory: dir, relative: [])
    for (i, c) in below.enumerated() {
      dir += "/" + c
      ancestors.load(directory: dir, relative: Array(below.prefix(i + 1)))
    }
    ignore = GitIgnore(rebasing: ancestors, prefix: below)
  }

  /// Walks the directory open as `fd` (closed here), whose path is `dir`.
  private func walkDirectory(_ fd: Int32, _ dir: String, relative: [String], ignore: inout GitIgnore, _ visit: (Entry) -> Bool) -> Bool {
    guard let d = fdopendir(fd) else { close(fd); return true }
    var names: [(String, UInt8)] = []
    while let e = readdir(d) {
      let name = withUnsafePointer(to: e.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
      if name == "." || name == ".." || name == ".git" { continue }
      names.append((name, e.pointee.d_type))
    }
    defer { closedir(d) }  // after the children: they are opened relative to it
    names.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }

    let saved = ignore.count
    if honourGitignore, !relative.isEmpty { ignore.load(directory: dir, relative: relative) }
    defer { ignore.pop(to: saved) }

    for (name, type) in names {
      let path = dir + "/" + name
      var kind = type
      if kind == UInt8(DT_UNKNOWN) {
        var st = stat()
        guard fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: kind = UInt8(DT_DIR)
        case S_IFREG: kind = UInt8(DT_REG)
        default: kind = UInt8(DT_LNK)
        }
      }
      let rel = relative + [name]
      let decided = override?(rel, kind == UInt8(DT_DIR))
      if decided == false { continue }
      if kind == UInt8(DT_DIR) {
        if decided == nil, honourGitignore, ignore.isIgnored(rel, isDirectory: true) { continue }
        let child = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { continue }
        if !walkDirectory(child, path, relative: rel, ignore: &ignore, visit) { return false }
      } else if kind == UInt8(DT_REG) {
        if decided == nil, honourGitignore, ignore.isIgnored(rel, isDirectory: false) { continue }
        if !visit(Entry(path: path, relative: rel, directory: dirfd(d))) { return false }
      }
    }
    return true
  }
}

extension GitIgnore {
  /// Rules loaded relative to an ancestor, re-expressed for a walk rooted `prefix` below it.
  /// Entries under the walk root have paths `prefix + rel`; we store that prefix and prepend it on match.
  init(rebasing other: GitIgnore, prefix: [String]) {
    self.init(files: other.files, prefix: prefix)
  }
}
