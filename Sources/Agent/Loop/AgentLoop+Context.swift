import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// The loop's side of "context that always fits": before each request the prompt is estimated and, over the
/// budget, compacted (old tool results first, then a summary of the oldest turns); a 400 "prompt is too
/// long" compacts harder and retries once. The ledger is never touched: it keeps every original message.
extension AgentLoop {
  struct PromptTooLong: Error {
    var tokens: Int
    var maximum: Int
  }

  func makeContextBudget(system: String, tools: [ToolDefinition], origins: [String]) -> ContextBudget {
    let window = options.contextWindow ?? ModelCatalog.info(options.model)?.contextWindow ?? ModelCatalog.fallbackContextWindow
    return ContextBudget(
      window: window, fraction: options.contextBudgetFraction, maxTokens: options.maxTokens, system: system, tools: tools,
      origins: origins)
  }

  /// One model turn on a context that fits.
  func fittedTurn(
    _ messages: inout [ChatMessage], _ ctx: inout ContextBudget, _ state: inout RunState, system: String,
    tools: [ToolDefinition], thinking: ThinkingSettings
  ) throws -> MessageResponse {
    func send(_ retried: Bool) throws -> MessageResponse {
      var request = MessageRequest(
        model: options.model, maxTokens: options.maxTokens, messages: messages, system: system, tools: tools,
        cacheSystemAndTools: true, cacheLastMessage: true)
      request.apply(thinking)
      ctx.willSend()
      let reply = try modelTurn(request, &state, tooLongIsRetried: !retried)
      let u = reply.usage
      ctx.calibrate(promptTokens: u.inputTokens + u.cacheReadInputTokens + u.cacheCreationInputTokens)
      return reply
    }
    try fit(&messages, &ctx, &state, trigger: "budget")
    do {
      return try send(false)
    } catch let tooLong as PromptTooLong {
      // The estimate was wrong: take the API's count and limit, and aim well below that limit.
      ctx.learn(tokens: tooLong.tokens, maximum: tooLong.maximum)
      // A message without the figures still means "smaller": aim 30 % below the current estimate.
      let target = tooLong.maximum > 0
        ? min(ctx.budget, Int(Double(ctx.window) * options.contextBudgetFraction)) : Int(Double(ctx.estimate) * 0.7)
      try fit(&messages, &ctx, &state, trigger: "prompt_too_long", target: target,
              minimumFreed: max(ctx.budget / 5, ctx.estimate - target))
      return try send(true)
    }
  }

  /// Compacts until the estimate is at most `target` (default: the budget).
  func fit(
    _ messages: inout [ChatMessage], _ ctx: inout ContextBudget, _ state: inout RunState, trigger: String,
    target: Int? = nil, minimumFreed: Int? = nil
  ) throws {
    ctx.sync(messages)
    let target = target ?? ctx.budget
    guard ctx.estimate > target else { return }
    let sid = state.recorder.sessionID
    let before = ctx.estimate
    let cleared = Compaction.clearToolResults(
      &messages, &ctx, target: target, minimumFreed: minimumFreed ?? ctx.budget / 5, session: sid)
    if let first = cleared.firstChanged {
      Compaction.dropThinking(after: first, &messages, &ctx)
      try record(CompactionRecord(
        kind: .clearToolResults, trigger: trigger, clearedToolUseIDs: cleared.ids, tokensBefore: before,
        tokensAfter: ctx.estimate, budget: target, window: ctx.window), &state)
    }
    guard ctx.estimate > target, let cut = Compaction.summaryCut(messages, ctx) else { return }
    let beforeSummary = ctx.estimate
    let summary = summarize(messages[..<cut], ctx, &state)
    let note = Compaction.note(task: Compaction.task(in: messages), summary: summary, count: cut, session: sid)
    ctx.collapse(&messages, first: cut, into: note, origin: sid)
    Compaction.dropThinking(after: 0, &messages, &ctx)
    try record(CompactionRecord(
      kind: .summary, trigger: trigger, summarizedMessages: cut, tokensBefore: beforeSummary, tokensAfter: ctx.estimate,
      budget: target, window: ctx.window), &state)
  }

  /// A summary of the oldest messages by the model, from a transcript bounded to half the budget; without a
  /// live model, or when that call fails, a list of the tool calls made.
  private func summarize(_ old: ArraySlice<ChatMessage>, _ ctx: ContextBudget, _ state: inout RunState) -> String {
    let fallback = Compaction.mechanicalSummary(old)
    guard !(model is ReplayModel) else { return fallback }
    let transcript = Compaction.transcript(old, maxBytes: min(ctx.budget * 3 / 2, 400_000))
    let request = MessageRequest(
      model: options.model, maxTokens: min(options.maxTokens, 2048),
      messages: [.user("<transcript>\n\(transcript)</transcript>\n\nSummarize this transcript for the agent that continues the session.")],
      system: Compaction.summarySystem)
    let sent = Date()
    guard let reply = try? model.nextTurn(request, onEvent: { _ in }) else { return fallback }
    let ms = Int(Date().timeIntervalSince(sent) * 1000)
    let model = reply.model.isEmpty ? options.model : reply.model
    // Recorded with its usage so that the session's cost (and `log recost`) includes the call.
    _ = try? state.recorder.ledger.appendMessage(
      sessionID: state.recorder.sessionID, role: "system", content: .array(reply.content.map(\.json)), text: reply.text,
      model: model, usage: SessionRecorder.usageJSON(reply.usage), latencyMs: ms, systemSource: "compaction-summary")
    try? state.recorder.addUsage(reply.usage, model: model, latencyMs: ms)
    return reply.text.isEmpty ? fallback : reply.text
  }

  private func record(_ c: CompactionRecord, _ state: inout RunState) throws {
    try state.recorder.ledger.appendMessage(
      sessionID: state.recorder.sessionID, role: "system", content: [["type": "text", "text": .string(c.description)], c.json],
      text: c.description, systemSource: "compaction")
    onEvent(.compaction(c))
  }
}
