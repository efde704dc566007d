import ArrakisCore
import Claude
import Foundation
import Ledger
import TestSupport
import Testing

@testable import Agent

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
    // The loop stops before a turn that would go over the budget, estimated at the last turn's cost: after
    // the first $0.30 turn, a second would reach $0.60 > $0.50.
    #expect(result.turns == 1 && model.requests.count == 1)
    let cost = try #require(result.costUsd)
    #expect(abs(cost - 0.3) < 1e-9)
    #expect(result.stopDetail?.contains("0.50") == true, "\(String(describing: result.stopDetail))")
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
