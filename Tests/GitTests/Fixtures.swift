import Foundation
import Testing

/// A throwaway repository in /tmp driven by the git CLI, so the tests check libgit2 results against git itself.
final class TempRepo {
  let root: URL
  let dir: String

  /// A fresh repository on branch `main`; with `commit`, one file committed so HEAD exists.
  init(commit: Bool = true) throws {
    root = FileManager.default.temporaryDirectory.appendingPathComponent("arrakis-git-\(UUID().uuidString)")
    dir = root.appendingPathComponent("repo").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try git("init", "-q", "-b", "main")
    try git("config", "user.name", "Test User")
    try git("config", "user.email", "test@example.com")
    if commit {
      try write("README.md", "hello\n")
      try commitAll("initial")
    }
  }

  deinit { try? FileManager.default.removeItem(at: root) }

  /// Runs git in the repository and returns stdout; throws with stderr when git fails.
  @discardableResult
  func git(_ args: String..., allowFailure: Bool = false) throws -> String {
    try git(args, allowFailure: allowFailure)
  }

  @discardableResult
  func git(_ args: [String], allowFailure: Bool = false, environment: [String: String] = [:]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    process.arguments = args
    process.currentDirectoryURL = URL(fileURLWithPath: dir)
    var env = ProcessInfo.processInfo.environment
    env["GIT_CONFIG_NOSYSTEM"] = "1"
    env["GIT_CONFIG_GLOBAL"] = "/dev/null"
    env.merge(environment) { $1 }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus != 0 && !allowFailure {
      throw FixtureError("git \(args.joined(separator: " ")): \(String(decoding: errData, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self)
  }

  func write(_ path: String, _ text: String) throws {
    let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  func read(_ path: String) throws -> String {
    try String(contentsOfFile: "\(dir)/\(path)", encoding: .utf8)
  }

  func commitAll(_ message: String) throws {
    try git("add", "-A")
    try git("commit", "-q", "-m", message)
  }

  func head() throws -> String { try git("rev-parse", "HEAD").trimmingCharacters(in: .whitespacesAndNewlines) }

  /// Everything a user would notice if we touched their checkout: status, HEAD, refs, index, file hashes.
  func userVisibleState(excludingRefsWith prefix: String = "refs/heads/arrakis/") throws -> [String] {
    let refs = try git("for-each-ref", "--format=%(refname) %(objectname)")
      .split(separator: "\n").filter { !$0.hasPrefix(prefix) }.joined(separator: "\n")
    let files = try git("ls-files", "-z", "--cached", "--others", "--exclude-standard")
      .split(separator: "\0").map(String.init)
    let hashes = try files.isEmpty ? "" : git(["hash-object", "--no-filters", "--"] + files)
    return [
      try git("status", "--porcelain=v1", "--untracked-files=all"), try head(), refs,
      try git("ls-files", "--stage"), hashes,
    ]
  }

  /// A path next to (not inside) the repository, for worktrees.
  func outside(_ name: String) -> String { root.appendingPathComponent(name).path }
}

struct FixtureError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
