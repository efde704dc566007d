import ArrakisCore
import Claude
import Foundation
import Ledger
import TestSupport
import Testing

@testable import Agent

/// ReplayModel re-runs a recorded session's model turns with the tools executing for real.
@Suite struct ReplayModelTests {
  /// Records a session that writes a file and reads it back through the shell.
  func recordSession(_ h: LoopHarness) async throws -> AgentResult {
    let model = DeterministicModel([
      .call("w1", "Write", ["file_path": "out.txt", "content": "hello\n"], saying: "Writing it."),
      .call("b1", "Bash", ["command": "cat notes.txt out.txt"]),
      .say("Wrote out.txt."),
    ])
    let recorded = try await h.run(model, prompt: "write out.txt")
    try #require(recorded.stopReason == .endTurn)
    return recorded
  }

  @Test func replaysARecordedSessionAndDoesTheWorkAgain() async throws {
    let h = try LoopHarness()
    let recorded = try await recordSession(h)
    try FileManager.default.removeItem(atPath: h.ws.root + "/out.txt")
    let replay = try ReplayModel.fromSession(String(recorded.sessionId.prefix(8)), ledger: h.ledger)
    #expect(replay.remaining == 3)
    let result = try await h.run(replay, prompt: "write out.txt")
    #expect(result.stopReason == .endTurn && result.divergence == nil)
    #expect(result.turns == 3 && result.toolCalls == 2 && result.result == "Wrote out.txt.")
    #expect(h.ws.read("out.txt") == "hello\n")
    #expect(replay.remaining == 0)
    let s = try h.session(result.sessionId)
    #expect(s.model == "replay" && s.status == .success && s.costUSD == 0)
    #expect(result.sessionId != recorded.sessionId)
  }

  @Test func aWorkspaceThatChangedStopsTheReplayAtTheFirstDifference() async throws {
    let h = try LoopHarness()
    let recorded = try await recordSession(h)
    try FileManager.default.removeItem(atPath: h.ws.root + "/out.txt")
    // A command's output is not compared (see ReplayDivergence), its exit status is: cat now fails.
    try FileManager.default.removeItem(atPath: h.ws.root + "/notes.txt")
    let result = try await h.run(try ReplayModel.fromSession(recorded.sessionId, ledger: h.ledger))
    #expect(result.stopReason == .replayDiverged && result.isError)
    #expect(result.turns == 2)  // the third, final turn is never replayed
    let divergence = try #require(result.divergence)
    #expect(divergence == "turn 2, Bash (b1): recorded exit 0, got exit 1")
    #expect(try h.session(result.sessionId).exitReason == "replay_diverged")
  }

  @Test func aTurnFileRunsUntilItRunsOut() async throws {
    let h = try LoopHarness()
    let file = h.ledgerDir + "/turns.jsonl"
    try """
      # one tool call, then the recording ends
      {"content": [{"type": "tool_use", "id": "w1", "name": "Write", "input": {"file_path": "from-file.txt", "content": "x\\n"}}], "tool_results": {"w1": {"content": "Created from-file.txt (1 lines)"}}}
      """.write(toFile: file, atomically: true, encoding: .utf8)
    let replay = try ReplayModel.fromFile(file)
    let result = try await h.run(replay)
    #expect(result.stopReason == .replayExhausted && !result.isError, "\(result.divergence ?? "")")
    #expect(result.turns == 1)
    #expect(h.ws.read("from-file.txt") == "x\n")
  }

  @Test func aSessionWithoutModelTurnsCannotBeReplayed() throws {
    let h = try LoopHarness()
    let id = try h.ledger.startSession(NewSession(systemType: .ask, prompt: "hi"))
    #expect(throws: ArrakisError.self) { try ReplayModel.fromSession(id, ledger: h.ledger) }
    #expect(throws: ArrakisError.self) { try ReplayModel.fromFile(h.ledgerDir + "/missing.jsonl") }
  }
}
