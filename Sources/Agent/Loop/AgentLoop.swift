import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Ledger

/// System B: model turn → every tool call in it, in order → one user message with all the results → next
/// turn, until the model ends its turn or a limit stops it. Everything is recorded as it happens.
public final class AgentLoop {
  let ledger: Ledger
  let model: ModelSource
  /// Every tool, so that a call outside the level is denied with the reason rather than "unknown tool".
  let registry: ToolRegistry
  /// The tools offered to the model: only those the level permits (a tool always denied wastes tokens).
  let offered: ToolRegistry
  let tools: ToolContext
  let options: AgentOptions
  let workspace: WorkspaceContext
  /// Answers y/n questions (a terminal prompt). Without it, anything that needs a yes is denied.
  let approve: ((String, String) async -> Bool)?
  let onEvent: (AgentEvent) -> Void

  public init(
    ledger: Ledger, model: ModelSource, registry: ToolRegistry = .standard, tools: ToolContext,
    options: AgentOptions, workspace: WorkspaceContext, approve: ((String, String) async -> Bool)? = nil,
    onEvent: @escaping (AgentEvent) -> Void = { _ in }
  ) {
    self.ledger = ledger
    self.model = model
    self.registry = registry
    self.offered = ToolRegistry(registry.tools.filter(options.policy.offers))
    self.tools = tools
    self.options = options
    self.workspace = workspace
    self.approve = approve
    self.onEvent = onEvent
  }

  /// Runs the task. Stops that are part of normal operation (limits, refusal, Ctrl-C, replay divergence)
  /// come back in the result; API and ledger failures are recorded on the session and thrown.
  public func run(
    prompt: String, resume: String? = nil, systemType: SystemType = .code, sessionPrompt: String? = nil
  ) async throws -> AgentResult {
    let parent = try resume.map { try ledger.session(idOrPrefix: $0).id }
    let recorder = try SessionRecorder(
      ledger: ledger,
      session: NewSession(
        systemType: systemType, workspace: workspace.root, gitBranch: workspace.gitBranch,
        model: model.modelName, prompt: sessionPrompt ?? String(prompt.prefix(200)), parentSessionID: parent,
        route: options.route))
    var state = RunState(recorder: recorder)
    do {
      if let digest = options.historyDigest { try recorder.recordSystemNote(digest, source: KnowledgeDigest.systemSource) }
      let history = try parent.map { try Conversation.records(of: $0, in: ledger) } ?? []
      var messages = history.map(\.message)
      state.origins = history.map(\.sessionID)
      let user = ChatMessage(role: .user, content: Self.pendingResults(after: messages) + [.text(prompt)])
      messages.append(user)
      try recorder.recordSent(user)
      onEvent(.started(
        sessionID: recorder.sessionID, model: model.modelName, tools: offered.tools.map(\.name),
        workspace: workspace.root, permission: options.policy.level.rawValue))
      let stop = try await loop(&messages, &state)
      return finish(state, stop: stop)
    } catch {
      throw recorder.fail(error)
    }
  }

  struct RunState {
    let recorder: SessionRecorder
    var turns = 0
    var lastText = ""
    var denials: [PermissionDenial] = []
    var toolCalls = 0
    var divergence: String?
    /// What the last model turn cost: the estimate for the next one, which costs at least as much (the
    /// conversation only grows).
    var lastTurnCostUSD: Double?
    /// Said after the stop's explanation (the budget's figures).
    var stopDetail: String?
    /// The session that recorded each message loaded from the ledger (see ContextBudget.origins).
    var origins: [String] = []
  }

  func loop(_ messages: inout [ChatMessage], _ state: inout RunState) async throws -> AgentStop {
    let system = SystemPrompt.build(context: workspace, level: options.policy.level, extra: options.extraInstructions)
    let definitions = offered.tools.map(\.definition)
    let thinking = try ThinkingSettings.forModel(options.model, effort: options.effort, adaptive: true)
    var context = makeContextBudget(system: system, tools: definitions, origins: state.origins)
    while true {
      if Interrupt.requested { return .interrupted }
      if state.turns >= options.maxTurns { return .maxTurns }
      if let budget = options.maxBudgetUSD, let spent = state.recorder.costUSD,
        let detail = BudgetCheck.stop(spent: spent, nextTurn: state.lastTurnCostUSD, budget: budget)
      {
        state.stopDetail = detail
        return .maxBudget
      }
      state.turns += 1
      let costBefore = state.recorder.costUSD
      let reply: MessageResponse
      do {
        // Fits the context into the window first (see AgentLoop+Context.swift).
        reply = try fittedTurn(&messages, &context, &state, system: system, tools: definitions, thinking: thinking)
      } catch is ReplayEnd {
        state.turns -= 1
        return .replayExhausted
      }
      let messageID = try state.recorder.recordReply(reply, requestedModel: options.model, latencyMs: lastLatencyMs)
      state.lastTurnCostUSD = costBefore.flatMap { before in state.recorder.costUSD.map { $0 - before } }
      messages.append(reply.asMessage)
      onEvent(.assistant(turn: state.turns, message: reply))
      if !reply.text.isEmpty { state.lastText = reply.text }

      switch reply.stopReason {
      case .pauseTurn?:
        continue  // a long server-side turn was paused: sending the conversation back resumes it
      case .refusal?: return .refusal
      case .modelContextWindowExceeded?: return .contextWindowExceeded
      case .maxTokens? where reply.toolUses.isEmpty: return .maxTokens
      default: break
      }
      if reply.toolUses.isEmpty { return reply.stopReason == .stopSequence ? .stopSequence : .endTurn }

      let results = try await runTools(of: reply, messageID: messageID, &state)
      let user = ChatMessage(role: .user, content: results)
      messages.append(user)
      try state.recorder.recordSent(user)
      if state.divergence != nil { return .replayDiverged }
      if Interrupt.requested { return .interrupted }
    }
  }

  var lastLatencyMs = 0

  /// One model call, streaming text out; a replay that runs out of turns ends the run. With `tooLongIsRetried`,
  /// a 400 "prompt is too long" comes back as PromptTooLong for the caller to compact and retry.
  func modelTurn(_ request: MessageRequest, _ state: inout RunState, tooLongIsRetried: Bool = false) throws -> MessageResponse {
    let sent = Date()
    defer { lastLatencyMs = Int(Date().timeIntervalSince(sent) * 1000) }
    do {
      return try model.nextTurn(request) { event in
        if case .textDelta(let t) = event { onEvent(.textDelta(t)) }
      }
    } catch let error as ClaudeError {
      if tooLongIsRetried, let p = error.promptTooLong { throw PromptTooLong(tokens: p.tokens, maximum: p.maximum) }
      if let partial = error.partial, !partial.content.isEmpty || partial.usage != Usage() {
        _ = try? state.recorder.recordReply(partial, requestedModel: options.model, latencyMs: Int(Date().timeIntervalSince(sent) * 1000))
      }
      throw error.arrakisError
    } catch is ReplayModel.ReplayExhausted {
      throw ReplayEnd()
    }
  }

  struct ReplayEnd: Error {}

  /// Executes every tool call of a turn in order and returns one tool_result per call.
  private func runTools(of reply: MessageResponse, messageID: Int64, _ state: inout RunState) async throws -> [ContentBlock] {
    var results: [ContentBlock] = []
    var reasoning = ""
    for block in reply.content {
      if case .text(let t) = block { reasoning += t; continue }
      guard case .toolUse(let id, let name, let input) = block else { continue }
      if Interrupt.requested || state.divergence != nil {
        results.append(.toolResult(toolUseID: id, content: "Not run: the session was stopped.", isError: true))
        continue
      }
      onEvent(.toolCall(id: id, name: name, input: input))
      let started = Date()
      let outcome = await execute(name: name, input: input)
      let ms = Int((Date().timeIntervalSince(started) * 1000).rounded())  // rounded, not truncated: sums stay unbiased
      var output = outcome.output
      // A last-resort net: the tools budget their own results (whole lines, a footer naming the next
      // offset), and the net sits above every such budget, so it never cuts one a second time.
      output.content = Self.cap(output.content, to: max(options.maxToolResultChars, tools.limits.safetyNetChars))
      state.toolCalls += 1
      if let reason = outcome.denialReason { state.denials.append(PermissionDenial(tool: name, toolUseId: id, reason: reason)) }
      if let expected = model.expectedResult(toolUseID: id),
        let divergence = ReplayDivergence.describe(tool: name, id: id, turn: state.turns, expected: expected, actual: output)
      {
        state.divergence = divergence
      }
      // A call that ran but has no row would be a silent hole in the record: stop the run (exit 9) instead.
      do {
        _ = try ledger.recordToolOperation(
          sessionID: state.recorder.sessionID, messageID: messageID, toolName: name, parameters: input,
          result: output.content, success: !output.isError, deniedReason: outcome.denialReason, durationMs: ms,
          reasoning: reasoning.isEmpty ? nil : reasoning)
      } catch {
        throw ToolRecordLost(tool: name, summary: output.summary, cause: error).error
      }
      reasoning = ""
      onEvent(.toolResult(id: id, name: name, output: output, deniedReason: outcome.denialReason, durationMs: ms))
      results.append(.toolResult(toolUseID: id, content: output.content, isError: output.isError))
    }
    return results
  }

  /// The policy decides (and words any question); the loop only carries a question to `approve`.
  private func execute(name: String, input: JSONValue) async -> ToolOutcome {
    await registry.execute(name: name, input: input, context: tools, policy: options.policy, approve: approve)
  }

  private func finish(_ state: RunState, stop: AgentStop) -> AgentResult {
    let r = state.recorder
    let status: SessionStatus = stop == .interrupted ? .interrupted : (stop.isSuccess ? .success : .failed)
    var error: ArrakisError?
    if !stop.isSuccess {
      let detail = (state.divergence ?? state.stopDetail).map { ": \($0)" } ?? ""
      error = ArrakisError(stop == .interrupted ? .interrupted : .incomplete, stop.explanation + detail)
    }
    r.finish(status: status, error: error, exitReason: stop.rawValue)
    let result = AgentResult(
      result: state.lastText, sessionId: r.sessionID, stopReason: stop, isError: !stop.isSuccess, turns: state.turns,
      durationMs: r.elapsedMs, apiDurationMs: r.apiDurationMs, usage: UsageSummary(r.usage), costUsd: r.costUSD,
      toolCalls: state.toolCalls, permissionDenials: state.denials, divergence: state.divergence,
      stopDetail: stop.isSuccess ? nil : state.stopDetail)
    onEvent(.finished(result))
    return result
  }

  /// A resumed conversation that ended on tool calls must answer them before anything else.
  static func pendingResults(after messages: [ChatMessage]) -> [ContentBlock] {
    guard let last = messages.last, last.role == .assistant else { return [] }
    return last.content.compactMap {
      if case .toolUse(let id, _, _) = $0 { return .toolResult(toolUseID: id, content: "Not run: the session ended before this call.", isError: true) }
      return nil
    }
  }

  /// Long results keep their head and tail: the start says what it is, the end usually says how it ended.
  static func cap(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    let half = limit / 2
    return String(text.prefix(half)) + "\n[… \(text.count - 2 * half) characters cut …]\n" + String(text.suffix(half))
  }


}
