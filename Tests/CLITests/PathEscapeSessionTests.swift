import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// Issue 10 end to end: a scripted model tries the escapes through a missing folder; the real session
/// records everything, and neither the conversation nor the ledger file holds the outside secret, nothing
/// is written outside and `.git` is unchanged.
@Suite struct PathEscapeSessionTests {
  let dir = TempDir("escape")
  let secret = "TOP SECRET \(UUID().uuidString)"
  var repo: String { dir.file("repo") }
  var outside: String { dir.file("outside") }
  var db: String { dir.file("ledger.db") }

  init() throws {
    try dir.write("outside/secret.txt", secret)
    try dir.write("repo/README.md", "hello\n")
    try GitFixture.sh("git init -q && ln -s ../outside out && ln -s .git gitlink && git add -A && git -c user.name=t -c user.email=t@t commit -qm init", cwd: repo)
  }

  func files(_ root: String) throws -> [String: String] {
    var out: [String: String] = [:]
    for rel in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] {
      let p = root + "/" + rel
      var isDir: ObjCBool = false
      guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue else { continue }
      out[rel] = (try? String(contentsOfFile: p, encoding: .utf8)) ?? "(binary)"
    }
    return out
  }

  @Test(arguments: ["safe-write", "full-access"])
  func escapesThroughAMissingFolderLeaveNoTrace(level: String) async throws {
    // arrakis itself may record refs for the session; hooks and config are what a planted command needs.
    let gitBefore = try files(repo + "/.git/hooks").merging(["config": try String(contentsOfFile: repo + "/.git/config", encoding: .utf8)]) { $1 }
    let outsideBefore = try files(outside)
    let calls: [(String, JSONValue)] = [
      ("Read", ["file_path": "nx/../out/secret.txt"]),
      ("Write", ["file_path": "nx/../out/newdir/planted.txt", "content": "pwned"]),
      ("Write", ["file_path": "nx/../gitlink/hooks/post-commit", "content": "#!/bin/sh\ntouch /tmp/pwned\n"]),
      ("Grep", ["pattern": "TOP SECRET", "path": "nx/../out", "output_mode": "content"]),
      ("Glob", ["pattern": "*", "path": "a/b/../../out"]),
    ]
    let server = try LoopbackServer(
      calls.enumerated().map { k, c in .sse(SSEBuilder.toolUse(id: "t\(k)", name: c.0, input: c.1)) } + [.sse(SSEBuilder.text("done"))])
    let r = try await CLIRunner.run(
      ["code", "--permission", level, "try the paths"],
      env: ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL], cwd: repo)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    // The conversation: every tool result the model received.
    for req in server.requests {
      #expect(!String(decoding: req.rawBody, as: UTF8.self).contains(secret), "the secret reached the model")
    }
    // The ledger: the whole database file, and each recorded operation was a denial.
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    let ops = try ledger.toolOperations(sessionID: s.id)
    #expect(ops.count == calls.count)
    #expect(ops.allSatisfy { $0.deniedReason != nil }, "\(ops.map { "\($0.toolName): \($0.deniedReason ?? "allowed")" })")
    for file in [db, db + "-wal"] where FileManager.default.fileExists(atPath: file) {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
      #expect(bytes.range(of: Data(secret.utf8)) == nil, "the secret is in \(file)")
    }
    #expect(try files(outside) == outsideBefore)
    #expect(try files(repo + "/.git/hooks").merging(["config": try String(contentsOfFile: repo + "/.git/config", encoding: .utf8)]) { $1 } == gitBefore)
  }
}
