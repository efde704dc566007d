import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis improve` and `arrakis rollback` end to end: a tiny shell project whose `make test` runs
/// `sh test.sh`, scripted model turns, real git and SQLite. Every test checks the user's repository is
/// untouched where it must be.
@Suite struct ImproveCommandTests {
  let dir = TempDir("improve")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }
  var state: String { dir.file("state") }

  static let testScript = """
    . ./calc.sh
    fail=0
    [ "$(add 2 3)" = 5 ] || { echo "FAIL add"; fail=1; }
    [ "$(sub 5 3)" = 2 ] || { echo "FAIL sub"; fail=1; }
    [ $fail = 0 ] && echo PASS
    exit $fail

    """

  init() throws {
    try dir.write("repo/calc.sh", "add() { echo $(( $1 + $2 )); }\nsub() { echo $(( $1 - $2 )); }\n")
    try dir.write("repo/test.sh", Self.testScript)
    try dir.write("repo/Makefile", "test:\n\tsh test.sh\n")
    try dir.write("repo/notes.txt", "notes\n")
    try GitFixture.sh("git init -q -b main && git add -A && git commit -qm init", cwd: repo)
    // The user's own unfinished work: a stash, an uncommitted edit, an untracked file.
    try GitFixture.sh("echo stashed >> notes.txt && git stash -q && echo mine >> notes.txt && echo draft > draft.txt", cwd: repo)
  }

  func arrakis(_ args: [String], server: LoopbackServer? = nil, cwd: String? = nil) async throws -> CLIResult {
    var env = ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "XDG_STATE_HOME": state]
    if let server { env["ANTHROPIC_BASE_URL"] = server.baseURL }
    return try await CLIRunner.run(args, env: env, cwd: cwd ?? repo)
  }

  static func bash(_ id: String, _ command: String) -> ScriptedResponse {
    .sse(SSEBuilder.turn(blocks: [.toolUse(id: id, name: "Bash", input: ["command": .string(command)])], stopReason: "tool_use"))
  }
  static func say(_ text: String) -> ScriptedResponse { .sse(SSEBuilder.text(text)) }

  static let addMul = bash("t1", "echo 'mul() { echo $(( $1 * $2 )); }' >> calc.sh")
  static let breakAdd = bash("t1", "echo 'add() { echo 0; }' >> calc.sh")

  @discardableResult
  func git(_ command: String) throws -> String { try GitFixture.sh(command, cwd: repo).trimmingCharacters(in: .whitespacesAndNewlines) }
  func ledger() throws -> Ledger { try Ledger.open(path: db) }
  func worktreeCount() throws -> Int { try git("git worktree list --porcelain").components(separatedBy: "worktree ").count - 1 }
  func leftovers() -> [String] { (FileManager.default.enumerator(atPath: state + "/arrakis/worktrees")?.allObjects as? [String] ?? []).filter { $0.split(separator: "/").count == 2 } }

  @Test func greenChangeIsKeptOnItsBranchAndTheUserTreeIsUntouched() async throws {
    let before = try GitFixture.fingerprint(repo)
    let server = try LoopbackServer([Self.addMul, Self.say("Add mul() to calc.sh\n\nMultiplication was missing.")])
    let r = try await arrakis(["improve", "add a mul function"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("uncommitted change(s)"))
    #expect(try GitFixture.fingerprint(repo) == before)
    let session = try #require(try ledger().listSessions(SessionFilter(systemType: .improve)).first)
    let branch = "arrakis/improve/\(session.id.prefix(8))"
    #expect(try git("git rev-list --count main..\(branch)") == "1")
    let message = try git("git log -1 --format=%B \(branch)")
    #expect(message.hasPrefix("Add mul() to calc.sh"))
    #expect(message.contains("Arrakis-Session: \(session.id)") && message.contains("Arrakis-Improvement:"))
    #expect(try git("git show \(branch):calc.sh").contains("mul()"))
    #expect(try worktreeCount() == 1)
    #expect(leftovers().isEmpty)
    // Recorded: session, one row per changed file, test results, branch and commits.
    #expect(session.status == .success && session.gitBranch == branch)
    let mods = try ledger().selfModifications(sessionID: session.id)
    #expect(mods.map(\.filePath) == ["calc.sh"])
    let m = try #require(mods.first)
    #expect(m.status == .kept && m.success && !m.tampered && m.branch == branch)
    let main = try git("git rev-parse main"), tip = try git("git rev-parse \(branch)")
    #expect(m.baseCommit == main && m.resultCommit == tip)
    #expect(m.afterContent?.contains("mul()") == true && m.beforeContent?.contains("mul()") == false)
    #expect(m.testResults?["baseline"]?["passed"]?.boolValue == true && m.testResults?["gate"]?["passed"]?.boolValue == true)
    #expect(m.reasoning?.contains("Multiplication was missing.") == true)
    // The agent worked in the worktree, told about the goal and the gate.
    let system = server.requests.first?.body?["system"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined() ?? ""
    #expect(system.contains("add a mul function") && system.contains("make test") && system.contains("Never delete, skip"))

    // Rollback of a kept change deletes the branch.
    let back = try await arrakis(["rollback", "--last"])
    #expect(back.status == 0, "stderr: \(back.stderr)")
    #expect(back.stdout.contains("deleted branch \(branch)"))
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
    #expect(try GitFixture.fingerprint(repo) == before)
    let rolled = try #require(try ledger().selfModification(id: m.id))
    #expect(rolled.rollbackExecuted && rolled.status == .rolledBack && rolled.revertCommit == nil)
    #expect(try ledger().listSessions(SessionFilter(systemType: .rollback)).first?.status == .success)
    let shown = try await arrakis(["log", "show", String(session.id.prefix(8))])
    #expect(shown.stdout.contains("rolled back"))

    // Rolling back twice is refused, and the refusal is a recorded run too.
    let again = try await arrakis(["rollback", "--last"])
    #expect(again.status == 2 && again.stderr.contains("already rolled back"))
    let rollbacks = try ledger().listSessions(SessionFilter(systemType: .rollback))
    #expect(rollbacks.count == 2 && rollbacks.first?.status == .failed)
  }

  @Test func redGateIsRolledBackWithItsOutput() async throws {
    let before = try GitFixture.fingerprint(repo)
    let server = try LoopbackServer([Self.breakAdd, Self.say("Done.")])
    let r = try await arrakis(["improve", "--max-fix-attempts", "0", "simplify add"], server: server)
    #expect(r.status == 1, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("FAIL add"))
    #expect(r.stdout.contains("gate stayed red"))
    #expect(try GitFixture.fingerprint(repo) == before)
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
    #expect(try worktreeCount() == 1)
    #expect(leftovers().isEmpty)
    let session = try #require(try ledger().listSessions(SessionFilter(systemType: .improve)).first)
    #expect(session.status == .failed && session.exitCode == 1)
    let m = try #require(try ledger().selfModifications(sessionID: session.id).first)
    #expect(m.status == .rolledBack && !m.success && m.resultCommit == nil)
    #expect(m.testResults?["gate"]?["output"]?.stringValue?.contains("FAIL add") == true)
  }

  @Test func fixLoopSendsTheFailureBackAndTurnsGreen() async throws {
    let server = try LoopbackServer([
      Self.breakAdd, Self.say("Done."),
      Self.bash("t2", "sed -i '$d' calc.sh && echo 'mul() { echo $(( $1 * $2 )); }' >> calc.sh"),
      Self.say("Add mul()\n\nUndid the broken add() override."),
    ])
    let r = try await arrakis(["improve", "tidy calc.sh"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("fix attempt 1 of 3"))
    let fixPrompt = try #require(server.requests[2].body?["messages"]?.arrayValue?.last?["content"]?.arrayValue?.last?["text"]?.stringValue)
    #expect(fixPrompt.contains("FAIL add") && fixPrompt.contains("make test"))
    // One session, one conversation: the fix request continues the first.
    #expect(server.requests[2].body?["messages"]?.arrayValue?.count == 5)
    #expect(try ledger().listSessions(SessionFilter(systemType: .improve)).count == 1)
  }

  @Test(arguments: [
    ("deleted test", "echo 'sub() { echo 0; }' >> calc.sh && sed -i '/sub 5 3/d' test.sh"),
    ("edited assertion", "echo 'sub() { echo 0; }' >> calc.sh && sed -i 's/= 2 \\]/= 0 ]/' test.sh"),
  ])
  func weakenedTestsAreFlaggedAndNeverMerged(_ name: String, _ cheat: String) async throws {
    let before = try GitFixture.fingerprint(repo)
    let server = try LoopbackServer([Self.bash("t1", cheat), Self.say("Simplify sub")])
    // Under the policy sandbox Bash can edit test.sh (under os it is bound read-only).
    let r = try await arrakis(["improve", "--merge", "--sandbox", "policy", "simplify sub"], server: server)
    #expect(r.status == 1, "\(name): \(r.stderr)")
    #expect(r.stdout.contains("never merged"), "\(name)")
    #expect(try GitFixture.fingerprint(repo) == before, "\(name)")
    let session = try #require(try ledger().listSessions(SessionFilter(systemType: .improve)).first)
    #expect(try git("git rev-list --count main..arrakis/improve/\(session.id.prefix(8))") == "1", "\(name): branch kept for review")
    let mods = try ledger().selfModifications(sessionID: session.id)
    #expect(mods.count == 2 && mods.allSatisfy { $0.tampered && $0.status == .tampered }, "\(name)")
    // Graded on the baseline's test.sh, the broken sub() fails.
    #expect(mods[0].testResults?["gate"]?["passed"]?.boolValue == false, "\(name)")
  }

  @Test func mergeFastForwardsAndRollbackRevertsKeepingUncommittedWork() async throws {
    let server = try LoopbackServer([Self.addMul, Self.say("Add mul()")])
    let base = try git("git rev-parse HEAD")
    let r = try await arrakis(["improve", "--merge", "add mul"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("merged"))
    let head = try git("git rev-parse HEAD")
    let parent = try git("git rev-parse HEAD~1")
    #expect(head != base && parent == base)
    #expect(try String(contentsOfFile: repo + "/calc.sh", encoding: .utf8).contains("mul()"))
    #expect(try String(contentsOfFile: repo + "/notes.txt", encoding: .utf8) == "notes\nmine\n")
    #expect(FileManager.default.fileExists(atPath: repo + "/draft.txt"))
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
    let session = try #require(try ledger().listSessions(SessionFilter(systemType: .improve)).first)
    #expect(try ledger().selfModifications(sessionID: session.id).first?.status == .merged)

    // A conflicting uncommitted edit blocks the revert…
    try git("cp calc.sh calc.bak && echo '# mine' >> calc.sh")
    let refused = try await arrakis(["rollback", String(session.id.prefix(8))])
    #expect(refused.status == 10, "stderr: \(refused.stderr)")
    #expect(refused.stderr.contains("calc.sh"))
    try git("mv calc.bak calc.sh")
    // …without it, a revert commit restores the file and leaves the rest alone.
    let back = try await arrakis(["rollback", String(session.id.prefix(8)), "--json"])
    #expect(back.status == 0, "stderr: \(back.stderr)")
    #expect(try git("git rev-parse HEAD~1") == head)
    let original = try git("git show \(base):calc.sh")
    #expect(try git("git show HEAD:calc.sh") == original)
    #expect(try String(contentsOfFile: repo + "/notes.txt", encoding: .utf8) == "notes\nmine\n")
    let m = try #require(try ledger().selfModifications(sessionID: session.id).first)
    let revert = try git("git rev-parse HEAD")
    #expect(m.rollbackExecuted && m.revertCommit == revert)
    #expect(back.stdout.contains("\"action\":\"revert\""))
  }

  @Test func mergeIsRefusedWhenTheUserBranchMoved() async throws {
    let repo = self.repo
    let count = Counter()
    let server = try LoopbackServer { _ in
      if count.next() == 1 { return Self.addMul }
      // While the agent works, the user commits on main.
      _ = try? GitFixture.sh("git commit -q --allow-empty -m 'user moved on'", cwd: repo)
      return Self.say("Add mul()")
    }
    let r = try await arrakis(["improve", "--merge", "add mul"], server: server)
    #expect(r.status == 1, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("not merged: main moved"))
    #expect(try git("git log -1 --format=%s main") == "user moved on")
    #expect(try git("git branch --list 'arrakis/*'").contains("arrakis/improve/"))
  }

  @Test func discardRecordsThenDeletesTheBranchAndJSONSaysSo() async throws {
    let before = try GitFixture.fingerprint(repo)
    let server = try LoopbackServer([Self.addMul, Self.say("Add mul()")])
    let r = try await arrakis(["improve", "--discard", "--json", "add mul"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(obj["result"] as? String == "discarded" && obj["files"] as? [String] == ["calc.sh"])
    #expect((obj["tests"] as? [String: Any])?["gate"] != nil && obj["commit"] is String)
    #expect(try GitFixture.fingerprint(repo) == before)
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
    let session = try #require(try ledger().listSessions(SessionFilter(systemType: .improve)).first)
    #expect(try ledger().selfModifications(sessionID: session.id).map(\.status) == [.discarded])
  }

  @Test func secondRunOnTheSameRepositoryIsLockedOut() async throws {
    let lockDir = repo + "/.git/arrakis"
    try FileManager.default.createDirectory(atPath: lockDir, withIntermediateDirectories: true)
    let fd = open(lockDir + "/improve.lock", O_RDWR | O_CREAT, 0o644)
    defer { close(fd) }
    #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
    let r = try await arrakis(["improve", "add mul"])
    #expect(r.status == 12, "stderr: \(r.stderr)")
    #expect(r.stderr.contains("another improve is running") && r.stderr.contains("--wait"))
    #expect(try ledger().listSessions(SessionFilter(systemType: .improve)).first?.status == .failed)
  }

  @Test func refusesOutsideARepositoryAndOnAnUnbornHead() async throws {
    let outside = dir.file("plain")
    try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
    #expect(try await arrakis(["improve", "x"], cwd: outside).status == 10)
    try GitFixture.sh("git init -q", cwd: dir.file("fresh"))
    let unborn = try await arrakis(["improve", "x"], cwd: dir.file("fresh"))
    #expect(unborn.status == 10 && unborn.stderr.contains("no commit"))
    // Refusals are runs too: each is a failed improve session saying why.
    let refused = try ledger().listSessions(SessionFilter(systemType: .improve))
    #expect(refused.count == 2)
    #expect(refused.allSatisfy { $0.status == .failed && $0.error != nil })
    #expect(refused.contains { $0.error?.contains("not a git repository") == true })
  }

  @Test func dryRunSaysWhatWouldHappenAndCreatesNothing() async throws {
    let before = try GitFixture.fingerprint(repo)
    try FileManager.default.createDirectory(atPath: repo + "/sub", withIntermediateDirectories: true)
    let r = try await arrakis(["improve", "--dry-run", "add mul"], cwd: repo + "/sub")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let head = try git("git rev-parse HEAD")
    #expect(r.stdout.contains("make test") && r.stdout.contains("arrakis/improve/") && r.stdout.contains(head))
    #expect(try GitFixture.fingerprint(repo) == before)
    #expect(try ledger().listSessions().isEmpty)
  }

  @Test func nextTakesTheHeadOfTheImprovementQueue() async throws {
    let l = try ledger()
    let analysis = try l.insertAnalysis(sessionID: nil, workspace: repo, headCommit: nil, signals: nil, summary: nil)
    try l.insertImprovements([
      ImprovementRow(id: "q1", analysisID: analysis, title: "medium impact", impact: "3", risk: "1", effort: "small"),
      ImprovementRow(id: "q2", analysisID: analysis, title: "add a mul function", impact: "5", risk: "2", effort: "small"),
      ImprovementRow(id: "q3", analysisID: analysis, title: "riskier", impact: "5", risk: "4", effort: "small"),
    ])
    let r = try await arrakis(["improve", "--next", "--dry-run", "--json"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(obj["improvement_id"] as? String == "q2")
    #expect((obj["goal"] as? String)?.hasPrefix("add a mul function") == true)
  }

  @Test func redBaselineThatNamesNoTestStopsBeforeTheAgent() async throws {
    try git("printf 'test:\\n\\t@echo oops; exit 1\\n' > Makefile && git commit -qam 'break the tests'")
    let server = try LoopbackServer([])
    let r = try await arrakis(["improve", "add mul"], server: server)
    #expect(r.status == 1 && r.stdout.contains("baseline is red"), "stderr: \(r.stderr)")
    #expect(server.requests.isEmpty && leftovers().isEmpty)
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
  }

  @Test func killedRunLeavesTheRepositoryAsItWasAndTheNextRunCleansUp() async throws {
    let before = try GitFixture.fingerprint(repo)
    let server = try LoopbackServer([.stall(afterSSE: "")])
    let process = Process()
    process.executableURL = URL(fileURLWithPath: CLIRunner.binaryPath)
    process.arguments = ["improve", "add mul"]
    process.currentDirectoryURL = URL(fileURLWithPath: repo)
    process.environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path, "ARRAKIS_DB": db,
      "ANTHROPIC_API_KEY": "sk-test", "ANTHROPIC_BASE_URL": server.baseURL, "XDG_STATE_HOME": state,
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(30)
    while server.requests.isEmpty && Date() < deadline { usleep(20_000) }
    #expect(!server.requests.isEmpty)
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(try GitFixture.fingerprint(repo) == before)
    #expect(try worktreeCount() == 2)  // the dead run's worktree is still registered

    let next = try await arrakis(["improve", "--setup-only"])
    #expect(next.status == 0, "stderr: \(next.stderr)")
    #expect(next.stderr.contains("cleaned up after an interrupted run"))
    #expect(try worktreeCount() == 1)
    #expect(leftovers().isEmpty)
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
    let sessions = try ledger().listSessions(SessionFilter(systemType: .improve))
    #expect(sessions.contains { $0.status == .interrupted })
    #expect(try GitFixture.fingerprint(repo) == before)
  }
}

/// Counts handler calls across the server's connection threads.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value = 0
  func next() -> Int { lock.withLock { value += 1; return value } }
}
