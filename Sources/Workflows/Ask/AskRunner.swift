import Agent
import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Ledger

/// System A: one question, one streamed answer, recorded. Errors are recorded on the session and then
/// rethrown as `ArrakisError` for the caller to show.
public final class AskRunner {
  let ledger: Ledger
  let client: ClaudeClient

  public init(ledger: Ledger, client: ClaudeClient) {
    self.ledger = ledger
    self.client = client
  }

  public func run(_ o: AskRequest, onText: (String) -> Void) throws -> AskReport {
    let model = ModelCatalog.resolve(o.model)
    let thinking = try ThinkingSettings.forModel(model, effort: o.effort, adaptive: false)
    let parent = try parentSession(o)
    let content = Self.userText(prompt: o.prompt, stdin: o.stdin)
    let recorder = try SessionRecorder(
      ledger: ledger,
      session: NewSession(
        systemType: .ask, workspace: o.workspace.root, gitBranch: o.workspace.gitBranch, model: model,
        prompt: Self.summary(o.prompt ?? o.stdin), parentSessionID: parent, route: o.route))
    do {
      guard let content else {
        throw ArrakisError(
          .usage, "no prompt: nothing in the arguments and nothing on stdin",
          hint: "arrakis ask \"your question\", or pipe text in: git diff | arrakis ask \"review this\"")
      }
      let user = ChatMessage.user(content)
      var messages = try parent.map { try Conversation.history(of: $0, in: ledger) } ?? []
      messages.append(user)
      messages = Conversation.fitted(messages, model: model, maxTokens: o.maxTokens, fixedBytes: 20_000, session: parent)
      let sentID = try recorder.recordSent(user)
      var request = MessageRequest(
        model: model, maxTokens: o.maxTokens, messages: messages, system: try system(o, prompt: content, recorder),
        temperature: o.temperature)
      request.apply(thinking)
      let sent = Date()
      let reply: MessageResponse
      do {
        reply = try client.send(request, stream: o.stream) { event in
          if case .textDelta(let t) = event { onText(t) }
        }
      } catch let error as ClaudeError {
        if error.kind == .tooLarge || error.kind == .invalidRequest {
          try? recorder.shortenRefused(messageID: sentID, user, status: error.kind == .tooLarge ? "413" : "400")
        }
        let latency = Int(Date().timeIntervalSince(sent) * 1000)
        if let partial = error.partial, !partial.content.isEmpty || partial.usage != Usage() {
          _ = try? recorder.recordReply(partial, requestedModel: model, latencyMs: latency)
        }
        throw error.arrakisError
      }
      try recorder.recordReply(reply, requestedModel: model, latencyMs: Int(Date().timeIntervalSince(sent) * 1000))
      if !o.stream { onText(reply.text) }
      let result = AskReport(
        text: reply.text, sessionId: recorder.sessionID, model: reply.model.isEmpty ? model : reply.model,
        stopReason: reply.stopReason?.rawValue, usage: UsageSummary(recorder.usage), costUsd: recorder.costUSD,
        durationMs: recorder.elapsedMs, continues: parent)
      if reply.stopReason == .refusal {
        let why = reply.stopDetails?["explanation"]?.stringValue ?? "no explanation given"
        let error = ArrakisError(.incomplete, "the model declined to answer (refusal): \(why)", hint: "rephrase the request")
        recorder.finish(status: .failed, error: error, exitReason: "refusal")
        throw error
      }
      recorder.finish(status: .success, exitReason: reply.stopReason?.rawValue)
      return result
    } catch let error as ArrakisError {
      if error.status != .incomplete {
        recorder.finish(status: error.status == .interrupted ? .interrupted : .failed, error: error)
      }
      throw error
    } catch {
      let wrapped = ArrakisError(.ledger, "\(error)")
      recorder.finish(status: .failed, error: wrapped)
      throw wrapped
    }
  }

  /// `--system` plus, when asked for, the knowledge digest of the workspace (recorded on the session).
  func system(_ o: AskRequest, prompt: String, _ recorder: SessionRecorder) throws -> String? {
    guard let budget = o.historyBudgetTokens, o.workspace.isGitRepository,
      let digest = try KnowledgeDigest.build(
        ledger: ledger, workspace: o.workspace.root, prompt: prompt, budgetTokens: budget,
        excludingSession: recorder.sessionID)
    else { return o.system }
    try recorder.recordSystemNote(digest, source: KnowledgeDigest.systemSource)
    return [o.system, digest].compactMap { $0 }.joined(separator: "\n\n")
  }

  /// The session to continue, if any: `--session ID`, or the last ask in this workspace for `--continue`.
  func parentSession(_ o: AskRequest) throws -> String? {
    if let id = o.sessionID { return try ledger.session(idOrPrefix: id).id }
    guard o.continueLast else { return nil }
    guard let last = try ledger.lastSession(systemType: .ask, workspace: o.workspace.root) else {
      throw ArrakisError(
        .usage, "nothing to continue: no earlier ask session in \(o.workspace.root)",
        hint: "drop --continue, or name a session with --session ID (see arrakis log --system ask)")
    }
    return last.id
  }

  /// Piped input goes first, fenced, so that the instruction in the arguments reads as being about it.
  public static func userText(prompt: String?, stdin: String?) -> String? {
    let p = prompt?.trimmed
    let s = stdin.flatMap { $0.trimmed.isEmpty ? nil : $0 }
    switch (p?.isEmpty == false ? p : nil, s) {
    case (nil, nil): return nil
    case (let p?, nil): return p
    case (nil, let s?): return s
    case (let p?, let s?): return "<stdin>\n\(s)\(s.hasSuffix("\n") ? "" : "\n")</stdin>\n\n\(p)"
    }
  }

  static func summary(_ text: String?) -> String? {
    guard let text else { return nil }
    let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    return String(line.prefix(200))
  }
}
