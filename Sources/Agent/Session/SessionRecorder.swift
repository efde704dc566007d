import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Ledger

/// Writes one run into the ledger as it happens: the session row first, every message as soon as it exists,
/// usage and cost after each model turn, and the outcome last, also when the run fails. Nothing received is
/// lost to a later failure because nothing waits for the end to be written.
public final class SessionRecorder {
  public let ledger: Ledger
  public let sessionID: String
  public private(set) var usage = Usage()
  /// nil once any turn had no known price: the total is then unknown, never understated.
  public private(set) var costUSD: Double? = 0
  public private(set) var apiDurationMs = 0
  /// Prices are those in force when the session started (see Pricing).
  private let started = Date()

  public init(ledger: Ledger, session: NewSession) throws {
    self.ledger = ledger
    self.sessionID = try ledger.startSession(session)
  }

  /// Records a message we send (a user turn or tool results).
  @discardableResult
  public func recordSent(_ message: ChatMessage, systemSource: String? = nil) throws -> Int64 {
    try ledger.appendMessage(
      sessionID: sessionID, role: message.role.rawValue, content: .array(message.content.map(\.json)),
      text: Self.plainText(message.content), model: nil, stopReason: nil, usage: nil, latencyMs: nil,
      systemSource: systemSource, toolCalls: nil)
  }

  /// What is kept of a prompt the API refused (too large, or invalid): its first 64 KB and a note of what was
  /// left out, so that a refused 40 MB stdin does not grow the ledger by 40 MB on every try.
  public func shortenRefused(messageID: Int64, _ message: ChatMessage, status: String, keep: Int = 65_536) throws {
    let text = Self.plainText(message.content)
    let bytes = text.utf8.count
    guard bytes > keep else { return }
    var cut = text.utf8.prefix(keep)
    while !cut.isEmpty, String(bytes: cut, encoding: .utf8) == nil { cut = cut.dropLast() }
    let kept = (String(bytes: cut, encoding: .utf8) ?? "") + "\n[… \(bytes - cut.count) more bytes not kept: the API refused this request (\(status))]"
    try ledger.shortenMessage(id: messageID, content: .array([["type": "text", "text": .string(kept)]]), text: kept)
  }

  /// Records text that went into the system prompt (a knowledge digest, say) as a `system` message, so the
  /// transcript shows what the model was told. `Conversation.history` rebuilds user/assistant turns only.
  public func recordSystemNote(_ text: String, source: String) throws {
    try ledger.appendMessage(
      sessionID: sessionID, role: "system", content: .array([["type": "text", "text": .string(text)]]), text: text,
      systemSource: source)
  }

  /// Records a model reply (complete or partial) with its usage, and adds its cost to the session.
  @discardableResult
  public func recordReply(_ reply: MessageResponse, requestedModel: String, latencyMs: Int) throws -> Int64 {
    let model = reply.model.isEmpty ? requestedModel : reply.model
    let calls = reply.toolUses.map { JSONValue.object(["id": .string($0.id), "name": .string($0.name), "input": $0.input]) }
    let id = try ledger.appendMessage(
      sessionID: sessionID, role: "assistant", content: .array(reply.content.map(\.json)),
      text: Self.plainText(reply.content), model: model, stopReason: reply.stopReason?.rawValue,
      usage: Self.usageJSON(reply.usage), latencyMs: latencyMs, systemSource: nil,
      toolCalls: calls.isEmpty ? nil : .array(calls))
    try addUsage(reply.usage, model: model, latencyMs: latencyMs)
    return id
  }

  /// Adds one call's tokens and cost to the session totals (also for a call whose reply was lost).
  public func addUsage(_ u: Usage, model: String, latencyMs: Int) throws {
    usage += u
    apiDurationMs += latencyMs
    let cost = Pricing.recordedCost(model: model, usage: u, on: started)
    if let c = costUSD, let cost { costUSD = c + cost } else { costUSD = nil }
    try ledger.addUsage(
      sessionID: sessionID, input: u.inputTokens, output: u.outputTokens,
      cacheCreation: u.cacheCreationInputTokens, cacheRead: u.cacheReadInputTokens, costUSD: cost)
  }

  public var elapsedMs: Int { Int(Date().timeIntervalSince(started) * 1000) }

  /// The outcome. Errors while finishing are reported but never hide the run's own error.
  public func finish(status: SessionStatus, error: ArrakisError? = nil, exitReason: String? = nil) {
    try? ledger.finishSession(
      id: sessionID, status: status, error: error.map { $0.message }, exitCode: Int(error?.status.rawValue ?? 0),
      exitReason: exitReason, durationMs: elapsedMs, apiDurationMs: apiDurationMs)
  }

  /// Records a failure as the run's outcome and returns it, as the ArrakisError the caller rethrows:
  /// Ctrl-C makes the session `interrupted`, anything else `failed`; a non-arrakis error (the ledger's,
  /// a tool's) is named as it is.
  public func fail(_ error: Error) -> ArrakisError {
    let e = error as? ArrakisError ?? ArrakisError(.ledger, "\(error)")
    finish(status: e.status == .interrupted ? .interrupted : .failed, error: e)
    return e
  }

  static func plainText(_ blocks: [ContentBlock]) -> String {
    var parts: [String] = []
    for b in blocks {
      switch b {
      case .text(let t): parts.append(t)
      case .toolResult(_, let content, _): parts.append(content)
      case .toolUse(_, let name, let input): parts.append("\(name) \(input.serialized())")
      default: break
      }
    }
    return parts.joined(separator: "\n")
  }

  public static func usageJSON(_ u: Usage) -> JSONValue {
    [
      "input_tokens": .number(Double(u.inputTokens)), "output_tokens": .number(Double(u.outputTokens)),
      "cache_creation_input_tokens": .number(Double(u.cacheCreationInputTokens)),
      "cache_read_input_tokens": .number(Double(u.cacheReadInputTokens)),
      // The 1-hour share of the writes, priced higher: kept so `log recost` prices them as billed.
      "cache_creation": ["ephemeral_1h_input_tokens": .number(Double(u.cacheCreation1hInputTokens))],
    ]
  }
}
