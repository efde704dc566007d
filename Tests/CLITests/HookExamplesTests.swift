import Foundation
import TestSupport
import Testing

/// The example git hooks, installed in a real temporary repository and run by a real `git commit`,
/// with the loopback server in place of the API.
@Suite struct HookExamplesTests {
  static let hooks = ExamplesTests.examples + "/hooks"
  let dir = TempDir("hooks")
  var repo: String { dir.file("repo") }

  init() throws {
    try FileManager.default.createDirectory(atPath: dir.file("repo"), withIntermediateDirectories: true)
  }

  func env(_ extra: [String: String]) -> [String: String] {
    var e = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path, "LANG": "C.UTF-8",
      "ARRAKIS": CLIRunner.binaryPath, "ARRAKIS_DB": dir.file("ledger.db"), "ARRAKIS_RETRY_BASE_MS": "5",
      "ARRAKIS_STALL_TIMEOUT": "1", "GIT_CONFIG_NOSYSTEM": "1", "XDG_CONFIG_HOME": dir.file("xdg"),
      "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
    ]
    e.merge(extra) { _, n in n }
    return e
  }

  func git(_ args: [String], env extra: [String: String] = [:]) async throws -> (status: Int32, output: String) {
    try await Thread.detachedRun("/usr/bin/git", ["-C", repo] + args, env: env(extra))
  }

  /// A repository with `hook` installed and one staged file.
  func stage(hook: String, file: String = "notes.txt", content: String = "hello\n") async throws {
    #expect(try await git(["init", "-q", "-b", "main"]).status == 0)
    let target = repo + "/.git/hooks/" + hook
    try? FileManager.default.removeItem(atPath: target)
    try FileManager.default.copyItem(atPath: Self.hooks + "/" + hook, toPath: target)
    try content.write(toFile: repo + "/" + file, atomically: true, encoding: .utf8)
    #expect(try await git(["add", file]).status == 0)
  }

  func commitCount() async throws -> Int {
    Int(try await git(["rev-list", "--count", "HEAD"]).output.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
  }

  let key = ["ANTHROPIC_API_KEY": "sk-test-key-0123456789"]

  @Test func preCommitPrintsTheReviewAndTheCommitProceeds() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("Looks fine: a greeting.\nVERDICT: PASS"))])
    try await stage(hook: "pre-commit", content: "hello from the staged diff\n")
    let r = try await git(["commit", "-qm", "add notes"], env: key.merging(["ANTHROPIC_BASE_URL": server.baseURL]) { a, _ in a })
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("Looks fine: a greeting."))
    #expect(try await commitCount() == 1)
    let sent = server.requests.first?.rawBody.map { String(decoding: [$0], as: UTF8.self) }.joined() ?? ""
    #expect(sent.contains("hello from the staged diff"))
  }

  @Test func preCommitBlocksOnlyOnAnExplicitVerdict() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("A private key is being committed.\nVERDICT: BLOCK secret"))])
    try await stage(hook: "pre-commit", file: "id_rsa", content: "-----BEGIN OPENSSH PRIVATE KEY-----\n")
    let r = try await git(["commit", "-qm", "oops"], env: key.merging(["ANTHROPIC_BASE_URL": server.baseURL]) { a, _ in a })
    #expect(r.status != 0)
    #expect(r.output.contains("commit blocked by the review above"))
    #expect(try await commitCount() == 0)
  }

  @Test func preCommitLetsTheCommitThroughWhenTheAPIFails() async throws {
    let server = try LoopbackServer(handler: { _ in .json(status: 500, body: #"{"type":"error","error":{"type":"api_error","message":"boom"}}"#) })
    try await stage(hook: "pre-commit")
    let r = try await git(["commit", "-qm", "add notes"], env: key.merging(["ANTHROPIC_BASE_URL": server.baseURL]) { a, _ in a })
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("arrakis review: skipped (arrakis ask exited 7"), "\(r.output)")
    #expect(try await commitCount() == 1)
  }

  @Test func preCommitLetsTheCommitThroughWhenTheAPIIsUnreachable() async throws {
    try await stage(hook: "pre-commit")
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    let r = try await git(["commit", "-qm", "add notes"], env: key.merging(["ANTHROPIC_BASE_URL": "http://127.0.0.1:1"]) { a, _ in a })
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("arrakis review: skipped"))
    #expect(try await commitCount() == 1)
  }

  @Test func preCommitWithoutAKeySkipsWithOneLine() async throws {
    try await stage(hook: "pre-commit")
    let r = try await git(["commit", "-qm", "add notes"])
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output == "arrakis review: skipped (no ANTHROPIC_API_KEY)\n")
    #expect(try await commitCount() == 1)
  }

  /// The stand-in for arrakis waits for a go-ahead file before it records its arguments: the commit can only
  /// return while it waits if the hook really detached it (a leaked pipe would hold `git commit` open).
  @Test func postCommitRunsAnalyzeDetachedAndLogsUnderDotGit() async throws {
    let stub = dir.file("fake-arrakis")
    let go = dir.file("go"), seen = dir.file("seen")
    try """
      #!/bin/sh
      i=0; while [ ! -e '\(go)' ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i+1)); done
      echo "$@" > '\(seen)'
      echo "analysis done"
      """.write(toFile: stub, atomically: true, encoding: .utf8)
    chmod(stub, 0o755)
    try await stage(hook: "post-commit")
    let r = try await git(["commit", "-qm", "add notes"], env: ["ARRAKIS": stub])
    #expect(r.status == 0, "\(r.output)")
    #expect(try await commitCount() == 1)
    #expect(!FileManager.default.fileExists(atPath: seen), "the commit waited for the analysis")
    FileManager.default.createFile(atPath: go, contents: nil)
    for _ in 0..<200 where !FileManager.default.fileExists(atPath: seen) { try await Task.sleep(for: .milliseconds(50)) }
    #expect((try? String(contentsOfFile: seen, encoding: .utf8)) == "analyze --quiet\n")
    let log = repo + "/.git/arrakis/post-commit.log"
    for _ in 0..<100 where !((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("analysis done") {
      try await Task.sleep(for: .milliseconds(50))
    }
    #expect(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("analysis done"))
  }
}
