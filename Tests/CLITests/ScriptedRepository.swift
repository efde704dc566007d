import Foundation
import TestSupport

/// A real git repository with a scripted history: commits made through the git CLI with controlled author
/// and committer dates, so churn over a window is exact.
final class ScriptedRepository {
  let temp = TempDir("analyze-repo")
  var path: String { temp.path }

  init() throws {
    try git("init", "-q", "-b", "main")
  }

  func write(_ name: String, _ text: String) throws { try temp.write(name, text) }

  func append(_ name: String, _ text: String) throws {
    let old = (try? String(contentsOfFile: temp.file(name), encoding: .utf8)) ?? ""
    try temp.write(name, old + text)
  }

  /// Commits everything as `author`, dated `daysAgo` days before now.
  func commit(_ message: String, daysAgo: Double, author: String = "Ada") throws {
    try git("add", "-A")
    let date = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-daysAgo * 86_400))
    try git(["commit", "-q", "-m", message], env: [
      "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date, "GIT_AUTHOR_NAME": author,
      "GIT_AUTHOR_EMAIL": "\(author.lowercased())@example.com", "GIT_COMMITTER_NAME": author,
      "GIT_COMMITTER_EMAIL": "\(author.lowercased())@example.com",
    ])
  }

  func git(_ args: String...) throws { try git(args, env: [:]) }

  func git(_ args: [String], env: [String: String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/git")
    p.arguments = args
    p.currentDirectoryURL = URL(fileURLWithPath: path)
    var e = ProcessInfo.processInfo.environment
    e["GIT_CONFIG_NOSYSTEM"] = "1"
    e["GIT_CONFIG_GLOBAL"] = "/dev/null"
    e["GIT_AUTHOR_NAME"] = e["GIT_AUTHOR_NAME"] ?? "Ada"
    e["GIT_AUTHOR_EMAIL"] = "ada@example.com"
    e["GIT_COMMITTER_NAME"] = "Ada"
    e["GIT_COMMITTER_EMAIL"] = "ada@example.com"
    e.merge(env) { $1 }
    p.environment = e
    p.standardOutput = FileHandle.nullDevice
    let err = Pipe()
    p.standardError = err
    try p.run()
    let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    if p.terminationStatus != 0 { throw ScriptError("git \(args.joined(separator: " ")): \(errText)") }
  }

  /// The standard history of the analyze tests: `src/big.py` is large, changes often and keeps needing fixes;
  /// `src/small.py` changes a little; `src/stable.py` is large but untouched in the window; `make test` fails.
  static func standard() throws -> ScriptedRepository {
    let r = try ScriptedRepository()
    try r.write("Makefile", "test:\n\t@echo 'FAILED tests/test_small.py::test_add - assert 1 == 2'\n\t@exit 1\n")
    try r.write("src/big.py", bigFunction(name: "process", lines: 120))
    try r.write("src/small.py", "def add(a, b):\n    return a + b\n")
    try r.write("src/stable.py", bigFunction(name: "stable", lines: 200))
    try r.write("tests/test_small.py", "from src.small import add\n\ndef test_add():\n    assert add(1, 1) == 2\n")
    try r.commit("initial import", daysAgo: 400)
    for i in 1...6 {
      try r.append("src/big.py", "\ndef step\(i)(x):\n    return x + \(i)\n" + String(repeating: "    # padding\n", count: 20))
      try r.commit(i % 2 == 0 ? "fix: off-by-one in step \(i)" : "add step \(i)", daysAgo: Double(40 - i * 5), author: i % 3 == 0 ? "Grace" : "Ada")
    }
    try r.append("src/big.py", "\n# TODO: split process() into smaller steps\n")
    try r.append("src/small.py", "\ndef sub(a, b):\n    return a - b\n")
    try r.commit("Fixes #12: subtraction", daysAgo: 3)
    return r
  }

  static func bigFunction(name: String, lines: Int) -> String {
    "def \(name)(items):\n" + (0..<lines).map { "    total = total + items[\($0)]\n" }.joined() + "    return total\n"
  }
}

struct ScriptError: Error, CustomStringConvertible {
  var description: String
  init(_ d: String) { description = d }
}
