import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// improve's memory of its own attempts (refusing a failed repeat, telling the agent what was tried) and
/// `rollback --prune`, on the same tiny shell project as ImproveCommandTests.
extension ImproveCommandTests {
  func systemPrompt(_ server: LoopbackServer) -> String {
    server.requests.first?.body?["system"]?.arrayValue?.compactMap { $0["text"]?.stringValue }.joined() ?? ""
  }

  @Test func aFailedAttemptIsNotRepeatedAtTheSameCommitUnlessForcedOrTheCodeChanged() async throws {
    let red = try LoopbackServer([Self.breakAdd, Self.say("Done.")])
    let first = try await arrakis(["improve", "--max-fix-attempts", "0", "simplify add"], server: red)
    #expect(first.status == 1, "stderr: \(first.stderr)")
    let earlier = try #require(try ledger().listSessions(SessionFilter(systemType: .improve)).first)

    // The same goal (case, spacing and a full stop do not matter) at the same HEAD: refused, nothing created.
    let before = try GitFixture.fingerprint(repo)
    let idle = try LoopbackServer([])
    let refused = try await arrakis(["improve", "--max-fix-attempts", "0", "Simplify  add."], server: idle)
    #expect(refused.status == 11, "stderr: \(refused.stderr)")
    #expect(refused.stderr.contains("session \(earlier.id.prefix(8))"))
    #expect(refused.stderr.contains("gate stayed red") && refused.stderr.contains("FAIL add") && refused.stderr.contains("--force"), "stderr: \(refused.stderr)")
    #expect(idle.requests.isEmpty)
    #expect(try GitFixture.fingerprint(repo) == before)
    #expect(try git("git branch --list 'arrakis/*'").isEmpty)
    #expect(try worktreeCount() == 1 && leftovers().isEmpty)
    let sessions = try ledger().listSessions(SessionFilter(systemType: .improve))
    #expect(sessions.count == 2 && sessions.first?.status == .failed && sessions.first?.exitCode == 11)
    #expect(sessions.first?.error?.contains("not repeating session \(earlier.id.prefix(8))") == true)
    let refusal = try #require(sessions.first)
    #expect(try ledger().selfModifications(sessionID: refusal.id).isEmpty)
    let dry = try await arrakis(["improve", "--dry-run", "simplify add"])
    #expect(dry.status == 0 && dry.stdout.contains("would be refused"), "stdout: \(dry.stdout)")

    // --force runs it, and the agent hears what happened last time and the ledger digest.
    let forcedServer = try LoopbackServer([Self.breakAdd, Self.say("Done.")])
    let forced = try await arrakis(["improve", "--force", "--max-fix-attempts", "0", "simplify add"], server: forcedServer)
    #expect(forced.status == 1, "stderr: \(forced.stderr)")
    let system = systemPrompt(forcedServer)
    #expect(system.contains("Previously tried"))
    #expect(system.contains("session \(earlier.id.prefix(8)), at the current commit"))
    #expect(system.contains("rolled back: the gate stayed red") && system.contains("FAIL add") && system.contains("Files: calc.sh"))
    #expect(system.contains("What the arrakis ledger remembers"))
    #expect(try GitFixture.fingerprint(repo) == before)

    // A new commit in the user's repository: the code changed, so the goal may be tried again.
    try git("echo more > more.txt && git add more.txt && git commit -qm 'user work'")
    let greenServer = try LoopbackServer([Self.addMul, Self.say("Add mul()")])
    let again = try await arrakis(["improve", "--no-history", "simplify add"], server: greenServer)
    #expect(again.status == 0, "stderr: \(again.stderr)")
    let told = systemPrompt(greenServer)
    #expect(told.contains("Previously tried") && told.contains("older code") && !told.contains("What the arrakis ledger remembers"))
    // Newest first, at most three, about 1,500 characters.
    let section = try #require(told.components(separatedBy: "Previously tried").last)
    #expect(section.components(separatedBy: "\n- ").count - 1 == 2)
  }

  @Test func pruneRemovesOnlyOldKeptUnmergedBranchesAndStaleWorktrees() async throws {
    // A recent kept branch, from a real run.
    let server = try LoopbackServer([Self.addMul, Self.say("Add mul()")])
    #expect(try await arrakis(["improve", "add mul"], server: server).status == 0)
    let recent = try git("git branch --list 'arrakis/improve/*' --format='%(refname:short)'")
    // An old kept branch (recorded 40 days ago, for an improvement), an old one already merged into
    // `release`, a person's arrakis/improve/manual and feature/x.
    let main = try git("git rev-parse main")
    let old = try git("git commit-tree -p main -m 'old change' main^{tree}")
    let merged = try git("git commit-tree -p main -m 'merged change' main^{tree}")
    try git("git branch arrakis/improve/0ld0ld00 \(old) && git branch arrakis/improve/merged00 \(merged) && git branch release \(merged)")
    try git("git branch arrakis/improve/manual main && git branch feature/x main")
    let l = try ledger()
    let analysis = try l.insertAnalysis(sessionID: nil, workspace: repo, headCommit: main, signals: nil, summary: nil)
    try l.insertImprovements([ImprovementRow(id: "imp-old", analysisID: analysis, title: "old idea", status: .kept)])
    let longAgo = Date().addingTimeInterval(-40 * 86_400)
    var oldIDs: [Int64] = []
    for (branch, commit, improvement) in [("arrakis/improve/0ld0ld00", old, "imp-old"), ("arrakis/improve/merged00", merged, nil)] {
      let session = try l.startSession(NewSession(systemType: .improve, workspace: repo, prompt: branch))
      let id = try l.recordSelfModification(
        NewSelfModification(
          sessionID: session, improvementID: improvement, filePath: "calc.sh", branch: branch, baseCommit: main,
          resultCommit: commit, success: true, status: .kept),
        createdAt: longAgo)
      if improvement != nil { oldIDs.append(id) }
      try l.finishSession(id: session, status: .success, exitCode: 0)
    }
    // Stale worktrees: a registered one of ours whose process died, and a leftover directory.
    let ours = try #require(FileManager.default.contentsOfDirectory(atPath: state + "/arrakis/worktrees").first)
    try git("git worktree add -q --detach '\(state)/arrakis/worktrees/\(ours)/arrakis-dead0000' main")
    try FileManager.default.createDirectory(atPath: state + "/arrakis/worktrees/\(ours)/deadbeef", withIntermediateDirectories: true)
    #expect(try worktreeCount() == 2 && leftovers().count == 2)
    let before = try GitFixture.fingerprint(repo)
    let branches = try git("git branch --format='%(refname:short)'")

    let dry = try await arrakis(["rollback", "--prune", "--older-than", "30.days", "--dry-run", "--json"])
    #expect(dry.status == 0, "stderr: \(dry.stderr)")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
    let removed = (obj["removed"] as? [[String: Any]])?.compactMap { $0["branch"] as? String }
    #expect(removed == ["arrakis/improve/0ld0ld00"])
    #expect(obj["unknown"] as? [String] == ["arrakis/improve/manual"])
    let left = (obj["left"] as? [[String: Any]])?.compactMap { $0["branch"] as? String }.sorted()
    #expect(left == ["arrakis/improve/merged00", recent].sorted())
    #expect((obj["stale_worktrees"] as? [String])?.count == 2)
    #expect(try git("git branch --format='%(refname:short)'") == branches)
    #expect(try worktreeCount() == 2 && leftovers().count == 2)
    #expect(try ledger().listSessions(SessionFilter(systemType: .rollback)).isEmpty)

    let r = try await arrakis(["rollback", "--prune", "--older-than", "30.days"])
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("removed arrakis/improve/0ld0ld00"))
    #expect(r.stdout.contains("left arrakis/improve/merged00: merged: already on release"))
    #expect(r.stdout.contains("left arrakis/improve/manual: not recorded as kept"))
    let now = try git("git branch --format='%(refname:short)'").split(separator: "\n").map(String.init)
    #expect(!now.contains("arrakis/improve/0ld0ld00"))
    #expect(now.contains(recent) && now.contains("arrakis/improve/merged00") && now.contains("arrakis/improve/manual"))
    #expect(now.contains("feature/x") && now.contains("release") && now.contains("main"))
    #expect(try GitFixture.fingerprint(repo) == before)
    #expect(try worktreeCount() == 1 && leftovers().isEmpty)
    // Recorded: one rollback session, the modification pruned (not "rolled back by the user"), the improvement too.
    let m = try #require(try ledger().selfModification(id: oldIDs[0]))
    #expect(m.status == .pruned && !m.rollbackExecuted)
    #expect(try ledger().improvement(id: "imp-old")?.status == .pruned)
    let rollbacks = try ledger().listSessions(SessionFilter(systemType: .rollback))
    #expect(rollbacks.count == 1 && rollbacks.first?.status == .success && rollbacks.first?.exitReason == "prune")

    // Nothing left to prune: a second run removes nothing.
    let again = try await arrakis(["rollback", "--prune", "--older-than", "30.days", "--json"])
    #expect(again.status == 0, "stderr: \(again.stderr)")
    let second = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
    #expect((second["removed"] as? [Any])?.isEmpty == true)
  }
}
