import ArrakisCore
import Claude
import Foundation
import Ledger
import TestSupport
import Testing

@testable import Agent

/// A git repository with a bug, a real ledger file beside it, and the loop run in-process over them.
final class LoopHarness {
  let ws = TempWorkspace()
  let ledgerDir: String
  let ledger: Ledger

  init() throws {
    ledgerDir = NSTemporaryDirectory() + "/arrakis-loop-ledger-\(UUID().uuidString)"
    ledger = try Ledger.open(path: ledgerDir + "/ledger.db")
    ws.write("calc.sh", "add() { echo $(( $1 - $2 )); }\n")
    ws.write("test.sh", ". ./calc.sh\n[ \"$(add 2 3)\" = 5 ] && echo PASS || { echo FAIL add; exit 1; }\n")
    ws.write("notes.txt", "v1\n")
    try GitFixture.sh("git init -q -b main && git add -A && git commit -qm init", cwd: ws.root)
  }

  deinit { try? FileManager.default.removeItem(atPath: ledgerDir) }

  func run(_ model: ModelSource, prompt: String = "fix add", level: PermissionLevel = .fullAccess, maxTurns: Int = 10,
           budget: Double? = nil) async throws -> AgentResult {
    let options = AgentOptions(model: "claude-sonnet-4-6", maxTurns: maxTurns, maxBudgetUSD: budget,
                               policy: PermissionPolicy(level: level, askBeforeBash: false))
    let loop = AgentLoop(ledger: ledger, model: model, tools: ws.context(), options: options,
                         workspace: WorkspaceContext(root: ws.root, gitBranch: "main"))
    return try await loop.run(prompt: prompt)
  }

  func session(_ id: String) throws -> SessionRow { try ledger.session(idOrPrefix: id) }
}

@Suite struct AgentLoopTests {
  @Test func scriptedToolCallsRunThroughRealToolsUntilEndTurn() async throws {
    let h = try LoopHarness()
    let model = DeterministicModel([
      .call("r1", "Read", ["file_path": "calc.sh"], saying: "Let me read the code."),
      .call("e1", "Edit", ["file_path": "calc.sh", "old_string": "$1 - $2", "new_string": "$1 + $2"]),
      .call("b1", "Bash", ["command": "sh test.sh && git status --porcelain"]),
      .say("Fixed: add() adds."),
    ])
    let result = try await h.run(model)
    #expect(result.stopReason == .endTurn && !result.isError)
    #expect(result.turns == 4 && result.toolCalls == 3 && result.permissionDenials.isEmpty)
    #expect(result.result == "Fixed: add() adds.")
    // The edit is on disk, and the model was shown each result in the next request.
    #expect(h.ws.read("calc.sh") == "add() { echo $(( $1 + $2 )); }\n")
    try #require(model.requests.count == 4)
    #expect(model.toolResults(inRequest: 2)["r1"]?.content.contains("$1 - $2") == true)
    #expect(model.toolResults(inRequest: 3)["e1"]?.isError == false)
    let bash = try #require(model.toolResults(inRequest: 4)["b1"])
    #expect(bash.content.contains("PASS") && bash.content.contains(" M calc.sh") && !bash.isError)
    let offered = Set(model.requests[0].tools.map(\.name))
    #expect(offered == ["Read", "Write", "Edit", "Bash", "Glob", "Grep"])
    // The ledger holds the run as it happened.
    let s = try h.session(result.sessionId)
    #expect(s.status == .success && s.exitReason == "end_turn" && s.toolCallsCount == 3)
    let roles = try h.ledger.messages(sessionID: s.id).map(\.role)
    #expect(roles == ["user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant"])
    let ops = try h.ledger.toolOperations(sessionID: s.id)
    try #require(ops.map(\.toolName) == ["Read", "Edit", "Bash"])
    #expect(ops[0].reasoning == "Let me read the code.")
    #expect(ops.allSatisfy { $0.success })
  }

  @Test func aCallAboveTheLevelIsDeniedAndTheModelToldWhy() async throws {
    let h = try LoopHarness()
    let model = DeterministicModel([.call("w1", "Write", ["file_path": "new.txt", "content": "x"]), .say("Understood.")])
    let result = try await h.run(model, level: .readOnly)
    #expect(result.stopReason == .endTurn)
    #expect(h.ws.read("new.txt") == nil)
    #expect(result.permissionDenials.map(\.tool) == ["Write"])
    let denied = try #require(model.toolResults(inRequest: 2)["w1"])
    #expect(denied.isError && denied.content.contains("safe-write"))
    #expect(model.requests.first.map { $0.tools.map(\.name) } == ["Read", "Glob", "Grep"])
    let op = try #require(try h.ledger.toolOperations(sessionID: result.sessionId).first)
    #expect(op.deniedReason != nil && !op.success)
  }

  @Test func stopsAtMaxTurns() async throws {
    let h = try LoopHarness()
    let model = DeterministicModel([.call("g1", "Glob", ["pattern": "*.sh"])], repeatLast: true)
    let result = try await h.run(model, maxTurns: 3)
    #expect(result.stopReason == .maxTurns && result.isError)
    #expect(result.turns == 3 && result.toolCalls == 3)
    #expect(model.requests.count == 3)
    let s = try h.session(result.sessionId)
    #expect(s.status == .failed && s.exitReason == "max_turns")
    #expect(s.error?.contains("--max-turns") == true)
  }

  @Test func stopsOnceTheBudgetIsSpent() async throws {
    let h = try LoopHarness()
    // 100,000 uncached input tokens on Sonnet 4.6 ($3 per million) cost $0.30 a turn.
    let turn = DeterministicModel.Turn.call("g1", "Glob", ["pattern": "*"], usage: Usage(inputTokens: 100_000))
    let model = DeterministicModel([turn], repeatLast: true)
    let result = try await h.run(model, budget: 0.5)
    #expect(result.stopReason == .maxBudget && result.isError)
    #expect(result.turns == 2 && model.requests.count == 2)
    let cost = try #require(result.costUsd)
    #expect(abs(cost - 0.6) < 1e-9)
    #expect(try h.session(result.sessionId).exitReason == "max_budget")
  }

  @Test func refusalAndCutRepliesEndTheRun() async throws {
    let h = try LoopHarness()
    let refused = try await h.run(DeterministicModel([.init(content: [], stopReason: .refusal, usage: Usage(inputTokens: 5))]))
    #expect(refused.stopReason == .refusal && refused.isError && refused.turns == 1)
    let cut = try await h.run(DeterministicModel([.init(content: [.text("Half a")], stopReason: .maxTokens, usage: Usage())]))
    #expect(cut.stopReason == .maxTokens && cut.result == "Half a")
    let stopped = try await h.run(DeterministicModel([.init(content: [.text("done")], stopReason: .stopSequence, usage: Usage())]))
    #expect(stopped.stopReason == .stopSequence && !stopped.isError)
  }

  @Test func aScriptThatRunsOutFailsTheRunAndIsRecorded() async throws {
    let h = try LoopHarness()
    let model = DeterministicModel([.call("g1", "Glob", ["pattern": "*.sh"])])
    await #expect(throws: ArrakisError.self) { _ = try await h.run(model) }
    let s = try #require(try h.ledger.listSessions().first)
    #expect(s.status == .failed)
    #expect(try h.ledger.toolOperations(sessionID: s.id).map(\.toolName) == ["Glob"])
  }
}

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
    h.ws.write("notes.txt", "v2\n")
    let result = try await h.run(try ReplayModel.fromSession(recorded.sessionId, ledger: h.ledger))
    #expect(result.stopReason == .replayDiverged && result.isError)
    #expect(result.turns == 2)  // the third, final turn is never replayed
    let divergence = try #require(result.divergence)
    #expect(divergence == #"turn 2, Bash (b1): result differs; recorded "v1", got "v2""#)
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
