import Foundation
import Ledger
import TestSupport
import Testing

/// `--metric`: a green change is kept only when the measure really improves: beyond 1 % and beyond the
/// baseline's own spread, medians of interleaved runs.
@Suite struct ImproveMetricTests {
  static let fixed = PythonImproveRepo.calc.replacingOccurrences(of: "def add(a, b):\n    return a - b", with: "def add(a, b):\n    return a + b")

  func repo() throws -> PythonImproveRepo { try PythonImproveRepo(extra: ["score.txt": "100\n"], calc: Self.fixed) }

  @Test func aRealImprovementIsKeptWithBothSeries() async throws {
    let r0 = try repo()
    let server = try LoopbackServer([ImproveCommandTests.bash("t1", "echo 50 > score.txt"), ImproveCommandTests.say("Halve the score")])
    let r = try await r0.arrakis(["improve", "--json", "--metric", "echo measuring >&2; cat score.txt", "--metric-runs", "3", "lower the score"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try r0.json(r)
    #expect(obj["result"] as? String == "kept")
    let metric = try #require(obj["metric"] as? [String: Any])
    #expect(metric["baseline"] as? [Double] == [100, 100, 100] && metric["candidate"] as? [Double] == [50, 50, 50])
    #expect(metric["significant"] as? Bool == true && metric["goal"] as? String == "lower")
    let session = try #require(try r0.ledger().listSessions(SessionFilter(systemType: .improve)).first)
    let shown = try await r0.arrakis(["log", "show", String(session.id.prefix(8))])
    #expect(shown.stdout.contains("── metric ──") && shown.stdout.contains("baseline:  100 100 100") && shown.stdout.contains("candidate: 50 50 50"), "\(shown.stdout)")
  }

  @Test func higherGoalKeepsARise() async throws {
    let r0 = try repo()
    let server = try LoopbackServer([ImproveCommandTests.bash("t1", "echo 150 > score.txt"), ImproveCommandTests.say("Raise the score")])
    let r = try await r0.arrakis(["improve", "--metric", "cat score.txt", "--metric-goal", "higher", "--metric-runs", "2", "raise it"], server: server)
    #expect(r.status == 0, "stderr: \(r.stderr)")
  }

  @Test(arguments: [("worse", "echo 120 > score.txt"), ("equal", "echo '# tidy' >> calc.py"), ("within 1 %", "echo 99.5 > score.txt")])
  func noRealImprovementIsDiscarded(_ name: String, _ change: String) async throws {
    let r0 = try repo()
    let before = try GitFixture.fingerprint(r0.repo)
    let server = try LoopbackServer([ImproveCommandTests.bash("t1", change), ImproveCommandTests.say("Change")])
    let r = try await r0.arrakis(["improve", "--json", "--metric", "cat score.txt", "--metric-runs", "3", "lower the score"], server: server)
    #expect(r.status == 1, "\(name): \(r.stderr)")
    let obj = try r0.json(r)
    #expect(obj["result"] as? String == "no_improvement", "\(name)")
    #expect((obj["message"] as? String)?.contains("no significant improvement") == true, "\(name)")
    #expect((obj["metric"] as? [String: Any])?["significant"] as? Bool == false, "\(name)")
    #expect(try r0.improveBranches().isEmpty && r0.leftovers().isEmpty, "\(name)")
    #expect(try GitFixture.fingerprint(r0.repo) == before, "\(name)")
    let session = try #require(try r0.ledger().listSessions(SessionFilter(systemType: .improve)).first)
    #expect(try r0.ledger().selfModifications(sessionID: session.id).map(\.status).allSatisfy { $0 == .discarded }, "\(name)")
  }

  @Test func aNoisyMetricWithNoRealChangeIsDiscarded() async throws {
    let r0 = try repo()
    let server = try LoopbackServer([ImproveCommandTests.bash("t1", "echo '# tidy' >> calc.py"), ImproveCommandTests.say("Tidy")])
    let noisy = "python3 -c 'import random; print(100 + random.uniform(-10, 10))'"
    let r = try await r0.arrakis(["improve", "--json", "--metric", noisy, "--metric-runs", "7", "make it faster"], server: server)
    #expect(r.status == 1, "stderr: \(r.stderr)")
    let metric = try #require(try r0.json(r)["metric"] as? [String: Any])
    #expect((metric["baseline"] as? [Double])?.count == 7 && (metric["candidate"] as? [Double])?.count == 7)
    #expect(metric["significant"] as? Bool == false)
  }

  @Test(arguments: [("fails", "exit 3", "failed (exit 3)"), ("no number", "echo none", "printed no number"),
                    ("times out", "sleep 30", "timed out")])
  func aBrokenMetricAtBaselineIsExit2WithNothingLeft(_ name: String, _ command: String, _ message: String) async throws {
    let r0 = try repo()
    let before = try GitFixture.fingerprint(r0.repo)
    let server = try LoopbackServer([])
    var args = ["improve", "--metric", command, "lower the score"]
    if name == "times out" { args.insert(contentsOf: ["--metric-timeout", "1"], at: 1) }
    let r = try await r0.arrakis(args, server: server)
    #expect(r.status == 2, "\(name): \(r.stderr)")
    #expect(r.stderr.contains(message), "\(name): \(r.stderr)")
    #expect(server.requests.isEmpty)
    #expect(try r0.improveBranches().isEmpty && r0.leftovers().isEmpty)
    #expect(try GitFixture.fingerprint(r0.repo) == before)
  }
}
