import ArrakisCore
import Claude
import Ledger

/// Rebuilds a conversation from the ledger for `--continue` / `--session`: the messages of the session and
/// of every session it continues, oldest first. Only complete user→assistant exchanges are kept, so that a
/// run that failed before its answer does not leave two user turns in a row.
public enum Conversation {
  public static func history(of sessionID: String, in ledger: Ledger) throws -> [ChatMessage] {
    try records(of: sessionID, in: ledger).map(\.message)
  }

  /// The same, with the session that recorded each message (compaction placeholders name it).
  public static func records(of sessionID: String, in ledger: Ledger) throws -> [(message: ChatMessage, sessionID: String)] {
    var chain: [String] = []
    var next: String? = sessionID
    while let id = next, !chain.contains(id), chain.count < 1000 {
      chain.append(id)
      next = try ledger.session(idOrPrefix: id).parentSessionID
    }
    var messages: [(message: ChatMessage, sessionID: String)] = []
    for id in chain.reversed() {
      var pendingUser: ChatMessage?
      for row in try ledger.messages(sessionID: id) {
        let blocks = (row.content.arrayValue ?? []).map(ContentBlock.init(json:))
        guard !blocks.isEmpty else { continue }
        if row.role == "user" {
          pendingUser = ChatMessage(role: .user, content: blocks)
        } else if row.role == "assistant", let user = pendingUser {
          messages.append((user, id))
          messages.append((ChatMessage(role: .assistant, content: blocks), id))
          pendingUser = nil
        }
      }
    }
    return messages
  }

  /// For `ask -c` / `--session`: the conversation cut to fit the model's window, newest exchanges first.
  /// The oldest exchanges are left out (the ledger keeps them) and the first one kept says so; the new
  /// prompt, last, is always kept. The estimate is 1 token per 3 bytes, like the agent loop's before the
  /// API has reported anything (see ContextBudget).
  public static func fitted(
    _ messages: [ChatMessage], model: String, maxTokens: Int, fixedBytes: Int, session: String?
  ) -> [ChatMessage] {
    let window = ModelCatalog.info(model)?.contextWindow ?? ModelCatalog.fallbackContextWindow
    let budget = min(Int(Double(window) * 0.8), window - maxTokens)
    var bytes = fixedBytes
    var start = messages.count
    // Whole exchanges only, so that the kept part starts with a user message.
    while start >= 1 {
      let from = start == messages.count ? start - 1 : start - 2
      guard from >= 0 else { break }
      let more = messages[from..<start].reduce(0) { $0 + ContextBudget.size(of: $1) }
      if start != messages.count && Int(Double(bytes + more) / ContextBudget.newBytesPerToken) > budget { break }
      bytes += more
      start = from
    }
    guard start > 0 else { return messages }
    var kept = Array(messages[start...])
    let note = "[The first \(start) messages of this conversation were left out to fit the context window"
      + (session.map { "; arrakis log show \($0.prefix(8)) has them" } ?? "") + ".]"
    kept[0].content.insert(.text(note), at: 0)
    return kept
  }
}

