import Agent
import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// What the model step of an analysis did, as reported and stored in the summary.
public struct ModelOutcome: Codable, Equatable, Sendable {
  /// "ranked", "skipped" or "failed".
  public var status: String
  public var model: String?
  /// Why it was skipped, or the error it failed with.
  public var detail: String?
  public var inputTokens: Int
  public var outputTokens: Int
  public var costUsd: Double?

  public static func skipped(_ why: String) -> ModelOutcome {
    ModelOutcome(status: "skipped", model: nil, detail: why, inputTokens: 0, outputTokens: 0, costUsd: 0)
  }
}

/// One tool call (forced where the model allows it): the digest in, validated improvements out, every message and token recorded.
struct ModelRanking {
  let client: ClaudeClient
  let recorder: SessionRecorder
  let model: String
  let maxTokens: Int

  func rank(digest: String) throws -> [ProposedImprovement] {
    let user = ChatMessage.user(digest)
    try recorder.recordSent(user, systemSource: "analyze")
    let request = MessageRequest(
      model: model, maxTokens: maxTokens, messages: [user], system: AnalysisDigest.system,
      tools: [ImprovementTool.definition], toolChoice: ImprovementTool.toolChoice(model: model))
    let sent = Date()
    let reply: MessageResponse
    do {
      reply = try client.send(request, stream: true)
    } catch let error as ClaudeError {
      if let partial = error.partial, !partial.content.isEmpty || partial.usage != Usage() {
        _ = try? recorder.recordReply(partial, requestedModel: model, latencyMs: Int(Date().timeIntervalSince(sent) * 1000))
      }
      throw error.arrakisError
    }
    try recorder.recordReply(reply, requestedModel: model, latencyMs: Int(Date().timeIntervalSince(sent) * 1000))
    guard let call = reply.toolUses.first(where: { $0.name == ImprovementTool.name }) else {
      let why = reply.stopReason.map { "stop reason \($0.rawValue)" } ?? "no stop reason"
      throw ArrakisError(
        .protocolError, "the model did not call \(ImprovementTool.name) (\(why))",
        hint: reply.stopReason == .maxTokens ? "raise --max-tokens" : "run arrakis analyze again, or pass --no-model")
    }
    if reply.stopReason == .maxTokens {
      throw ArrakisError(.protocolError, "the \(ImprovementTool.name) input was cut at --max-tokens \(maxTokens)",
                         hint: "raise --max-tokens")
    }
    return try ImprovementTool.parse(call.input)
  }
}
