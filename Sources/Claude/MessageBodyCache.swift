import ArrakisCore

/// Request bodies built from each message's JSON, encoded once and reused on later turns: a message does
/// not change once appended, so re-encoding the whole conversation every turn (the cost grew with the
/// history) is replaced by copying bytes. Each cached encoding is kept with the message it was made from
/// and reused only while the message at that position is still equal to it, so a message changed in
/// place (context compaction replacing a tool result, dropping thinking, or a summary shifting
/// everything) is encoded again and never sent stale. Comparing an unchanged message is cheap: the
/// conversation's copies share their storage, and Swift's equality checks identity first.
///
/// The last message carries the cache breakpoint (`cacheLast`), which it loses on the next turn, so it
/// is encoded fresh and not kept. Not safe to share between threads, like the ClaudeClient that owns it.
public final class MessageBodyCache {
  private var entries: [(message: ChatMessage, bytes: [UInt8])] = []
  /// The size of the last body, to allocate the next one at once.
  private var lastSize = 1024

  public init() {}

  /// `fields` (every member but "messages") and `messages` as one JSON object, keys sorted and every
  /// value written as `JSONValue.serialized()` writes it.
  func body(fields: [String: JSONValue], messages: [ChatMessage], cacheLast: Bool) -> String {
    precondition(fields["messages"] == nil, "the messages come from the cache")
    var out: [UInt8] = []
    out.reserveCapacity(lastSize + lastSize / 4)
    out.append(UInt8(ascii: "{"))
    for (i, key) in (Array(fields.keys) + ["messages"]).sorted().enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      JSONValue.appendSerialized(string: key, to: &out)
      out.append(UInt8(ascii: ":"))
      if let value = fields[key] { value.appendSerialized(to: &out) } else { append(messages, cacheLast: cacheLast, to: &out) }
    }
    out.append(UInt8(ascii: "}"))
    lastSize = out.count
    return String(decoding: out, as: UTF8.self)
  }

  private func append(_ messages: [ChatMessage], cacheLast: Bool, to out: inout [UInt8]) {
    out.append(UInt8(ascii: "["))
    for (i, m) in messages.enumerated() {
      if i > 0 { out.append(UInt8(ascii: ",")) }
      if cacheLast && i == messages.count - 1 {
        m.json(cacheLast: true).appendSerialized(to: &out)
      } else if i < entries.count && entries[i].message == m {
        out.append(contentsOf: entries[i].bytes)
      } else {
        var bytes: [UInt8] = []
        m.json().appendSerialized(to: &bytes)
        out.append(contentsOf: bytes)
        // Positions are filled in order, so i is at most entries.count here. Entries past the end of a
        // shorter conversation (a one-off summary request) stay for the longer one.
        if i < entries.count { entries[i] = (m, bytes) } else { entries.append((m, bytes)) }
      }
    }
    out.append(UInt8(ascii: "]"))
  }
}
