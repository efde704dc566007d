import ArrakisCore
import FoundationEssentials
import Glibc
import Git

/// The worktree as the agent left it, captured before a test (or metric) run so that everything the run
/// itself wrote can be taken away afterwards: files it created are deleted, files it changed get their
/// earlier bytes back. Then only what the agent changed is ever committed (a C project's test binaries are
/// not), and each gate run starts from the same tree. Paths are those `git status` lists (ignored files are
/// the project's own business and stay).
struct RunResidue {
  let root: String
  enum Saved: Equatable {
    case absent
    case bytes(Data)
    /// A symlink, a directory or a very large file: left as the run leaves it.
    case unsaved
  }
  /// Every path that differed from the baseline before the run.
  private var saved: [String: Saved] = [:]
  /// Their modification times: a file the run rewrote with the same bytes is still the run's output.
  private var modified: [String: Date] = [:]

  /// Files larger than this are not saved (a run that rewrites one is not undone).
  static let maxSavedBytes = 20 * 1024 * 1024

  init(worktree: Repository, root: String, extra: [String] = []) throws {
    self.root = root
    for path in Set(try worktree.status().map(\.path) + extra) {
      saved[path] = Self.read(root + "/" + path)
      modified[path] = Self.mtime(root + "/" + path)
    }
  }

  static func mtime(_ file: String) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
  }

  static func read(_ file: String) -> Saved {
    var info = stat()
    guard lstat(file, &info) == 0 else { return .absent }
    guard info.st_mode & S_IFMT == S_IFREG, Int(info.st_size) <= maxSavedBytes, let data = FileManager.default.contents(atPath: file)
    else { return .unsaved }
    return .bytes(data)
  }

  /// Puts the tree back as it was when captured; returns the files the run created (absent before it and
  /// not in the baseline): the project's test artifacts, which the agent's own builds may leave too.
  @discardableResult
  func restore(worktree: Repository, baseline: String) throws -> [String] {
    var created: [String] = []
    let now = Set(try worktree.status().map(\.path))
    for path in now.union(saved.keys).sorted() {
      let file = root + "/" + path
      let current = Self.read(file)
      if let before = saved[path] {
        if current == before, case .bytes = before, modified[path] != Self.mtime(file), try !worktree.treeHasPath(path, at: baseline) {
          // Written again by the run (a build output the agent's own test run had made already).
          created.append(path)
          continue
        }
        guard current != before, before != .unsaved, current != .unsaved else { continue }
        if case .bytes(let data) = before { try Self.write(data, to: file) } else {
          try? FileManager.default.removeItem(atPath: file)
          if try !worktree.treeHasPath(path, at: baseline) { created.append(path) }
        }
      } else {
        guard current != .unsaved else { continue }
        // Clean before the run: the run created it (delete) or changed a tracked file (the baseline's bytes).
        if let original = try worktree.fileContent(at: baseline, path: path) {
          try Self.write(Data(original.utf8), to: file)
        } else {
          try? FileManager.default.removeItem(atPath: file)
          Self.removeEmptyParents(of: file, upTo: root)
          created.append(path)
        }
      }
    }
    return created
  }

  static func write(_ data: Data, to file: String) throws {
    try FileManager.default.createDirectory(atPath: file.deletingLastPathComponent, withIntermediateDirectories: true)
    let fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC)  // an existing file keeps its mode
    if fd >= 0 {
      defer { close(fd) }
      guard data.withUnsafeBytes({ Output.write(fd, bytes: $0) }) else {
        throw ArrakisError(.git, "cannot restore \(file): \(String(cString: strerror(errno)))")
      }
    } else {
      try data.write(to: URL(fileURLWithPath: file))
    }
  }

  static func removeEmptyParents(of file: String, upTo root: String) {
    var dir = file.deletingLastPathComponent
    while dir.count > root.count, dir.hasPrefix(root + "/"),
      (try? FileManager.default.contentsOfDirectory(atPath: dir))?.isEmpty == true
    {
      try? FileManager.default.removeItem(atPath: dir)
      dir = dir.deletingLastPathComponent
    }
  }

  /// Byproducts of running Python tests that are never source, whoever made them (the agent's own test runs
  /// write them; the gate does not): bytecode and runner caches.
  static func isByproduct(_ path: String) -> Bool {
    let parts = path.split(separator: "/")
    if parts.contains(where: { ["__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"].contains($0) }) { return true }
    let name = parts.last.map(String.init) ?? path
    return name.hasSuffix(".pyc") || name.hasSuffix(".pyo") || name == ".coverage"
  }
}
