import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Ledger

/// Several prompts in one session: `improve` owns its session row (it records the baseline and the gate
/// there too) and sends the gate's failure output back into the same conversation, so the fix attempts
/// are one transcript rather than a chain of child sessions.
public final class AgentConversation {
  public let recorder: SessionRecorder
  public private(set) var messages: [ChatMessage] = []
  public private(set) var totalTurns = 0
  public private(set) var totalToolCalls = 0

  /// `recorder` is a session the caller started and will finish itself.
  public init(recorder: SessionRecorder) {
    self.recorder = recorder
  }

  public var sessionID: String { recorder.sessionID }

  /// Sends `prompt` as the next user turn and runs the loop until the model ends its turn or a limit stops
  /// it (`maxTurns` counts per prompt; the budget counts for the whole session). The session stays open.
  /// API and ledger failures are thrown; the caller records them when it finishes the session.
  public func send(_ prompt: String, with loop: AgentLoop) async throws -> AgentResult {
    var state = AgentLoop.RunState(recorder: recorder)
    let user = ChatMessage(role: .user, content: AgentLoop.pendingResults(after: messages) + [.text(prompt)])
    messages.append(user)
    try recorder.recordSent(user, systemSource: totalTurns == 0 ? nil : "improve-gate")
    if totalTurns == 0 {
      loop.onEvent(.started(
        sessionID: recorder.sessionID, model: loop.model.modelName, tools: loop.offered.tools.map(\.name),
        workspace: loop.workspace.root, permission: loop.options.policy.level.rawValue))
    }
    let stop: AgentStop
    do {
      stop = try await loop.loop(&messages, &state)
    } catch let error as ArrakisError {
      throw error
    } catch {
      throw ArrakisError(.ledger, "\(error)")
    }
    totalTurns += state.turns
    totalToolCalls += state.toolCalls
    let detail = state.divergence.map { ": \($0)" } ?? ""
    return AgentResult(
      result: state.lastText, sessionId: recorder.sessionID, stopReason: stop, isError: !stop.isSuccess,
      turns: state.turns, durationMs: recorder.elapsedMs, apiDurationMs: recorder.apiDurationMs,
      usage: UsageSummary(recorder.usage), costUsd: recorder.costUSD, toolCalls: state.toolCalls,
      permissionDenials: state.denials, divergence: stop.isSuccess ? nil : (detail.isEmpty ? nil : state.divergence))
  }
}
