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
}
