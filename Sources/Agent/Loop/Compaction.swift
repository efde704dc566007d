import ArrakisCore
import Claude
import FoundationEssentials
import Glibc

/// One compaction of the context sent to the model. The ledger keeps every original message; this says
/// what the model no longer sees, recorded as a `system` message (source "compaction") and reported as an
/// event.
public struct CompactionRecord: Sendable, Equatable {
  public enum Kind: String, Sendable {
    /// Old tool results replaced by placeholders.
    case clearToolResults = "clear_tool_results"
    /// The oldest turns replaced by a summary note.
    case summary
  }

  public var kind: Kind
  /// "budget" (the estimate was over it) or "prompt_too_long" (the API said so).
  public var trigger: String
  public var clearedToolUseIDs: [String] = []
  public var summarizedMessages = 0
  public var tokensBefore: Int
  public var tokensAfter: Int
  public var budget: Int
  public var window: Int

  public var json: JSONValue {
    [
      "type": "compaction", "kind": .string(kind.rawValue), "trigger": .string(trigger),
      "cleared_tool_use_ids": .array(clearedToolUseIDs.map(JSONValue.string)),
      "summarized_messages": .number(Double(summarizedMessages)),
      "tokens_before": .number(Double(tokensBefore)), "tokens_after": .number(Double(tokensAfter)),
      "budget": .number(Double(budget)), "window": .number(Double(window)),
    ]
  }

  public var description: String {
    let what = kind == .clearToolResults
      ? "cleared \(clearedToolUseIDs.count) old tool result\(clearedToolUseIDs.count == 1 ? "" : "s")"
      : "summarized the oldest \(summarizedMessages) messages"
    return "context: \(what) (~\(tokensBefore) → ~\(tokensAfter) tokens; budget \(budget) of a \(window)-token window)"
  }
}

/// The two ways of making a context smaller, cheapest first.
enum Compaction {
  /// The newest tool results always reach the model whole.
  static let keepNewestResults = 3
  static let placeholderPrefix = "[cleared to fit the context window:"
  /// A result shorter than this is left alone: its placeholder would not be much smaller.
  static let worthClearing = 1_000

  /// Replaces the oldest tool results with placeholders until the estimate is at most `target` and at
  /// least `minimumFreed` tokens were freed (clearing in big chunks breaks the cache prefix rarely).
  /// Returns the cleared ids and the first message changed.
  static func clearToolResults(
    _ messages: inout [ChatMessage], _ ctx: inout ContextBudget, target: Int, minimumFreed: Int, session: String
  ) -> (ids: [String], firstChanged: Int?) {
    var positions: [(message: Int, block: Int, clearable: Bool)] = []
    for (i, m) in messages.enumerated() where m.role == .user {
      for (j, b) in m.content.enumerated() {
        guard case .toolResult(_, let content, _) = b else { continue }
        positions.append((i, j, content.utf8.count >= worthClearing && !content.hasPrefix(placeholderPrefix)))
      }
    }
    let start = ctx.estimate
    var ids: [String] = []
    var first: Int?
    for p in positions.dropLast(keepNewestResults) where p.clearable {
      if ctx.estimate <= target && start - ctx.estimate >= minimumFreed { break }
      guard case .toolResult(let id, let content, let isError) = messages[p.message].content[p.block] else { continue }
      let call = p.message > 0 ? toolUse(id, in: messages[p.message - 1]) : nil
      var m = messages[p.message]
      m.content[p.block] = .toolResult(
        toolUseID: id, content: placeholder(call: call, characters: content.count, session: ctx.origin(of: p.message, current: session)),
        isError: isError)
      ctx.replace(p.message, in: &messages, with: m)
      ids.append(id)
      first = first ?? p.message
    }
    return (ids, first)
  }

  static func placeholder(call: (name: String, input: JSONValue)?, characters: Int, session: String) -> String {
    let what = call.map { "\($0.name) \(PermissionPolicy.describe($0.input))" } ?? "this tool call"
    return "\(placeholderPrefix) \(what) returned \(characters) characters. Run the tool again if you need it; "
      + "the whole result is in the ledger: arrakis log show \(session.prefix(8))]"
  }

  static func toolUse(_ id: String, in m: ChatMessage) -> (name: String, input: JSONValue)? {
    for case .toolUse(let useID, let name, let input) in m.content where useID == id { return (name, input) }
    return nil
  }

  /// Where the kept part of the conversation begins when the oldest turns are summarized: the latest
  /// assistant message such that it and everything after it take at most half the budget (but always
  /// keeping the newest exchange). nil when no earlier cut exists.
  static func summaryCut(_ messages: [ChatMessage], _ ctx: ContextBudget) -> Int? {
    var kept = 0
    var cut: Int?
    for i in stride(from: messages.count - 1, through: 1, by: -1) {
      kept += ctx.sizes[i]
      if messages[i].role == .assistant {
        if cut != nil && ctx.estimate(bytes: ctx.fixedBytes + kept) > ctx.budget / 2 { break }
        cut = i
      }
    }
    return cut
  }

  /// The oldest messages as text for the summarizer, bounded to `maxBytes` (long blocks keep their head).
  static func transcript(_ messages: ArraySlice<ChatMessage>, maxBytes: Int) -> String {
    var out = ""
    for m in messages {
      for b in m.content {
        let line: String
        switch b {
        case .text(let t): line = "\(m.role.rawValue): \(AgentLoop.cap(t, to: 2_000))"
        case .toolUse(_, let name, let input): line = "assistant called \(name) \(PermissionPolicy.describe(input))"
        case .toolResult(_, let content, let isError): line = "tool \(isError ? "error" : "result"): \(AgentLoop.cap(content, to: 600))"
        default: continue
        }
        out += line + "\n"
      }
    }
    guard out.utf8.count > maxBytes else { return out }
    // The start says what the task was; the end is what led to where the session is now.
    let half = maxBytes / 2
    return String(decoding: out.utf8.prefix(half), as: UTF8.self) + "\n[… middle of the transcript left out …]\n"
      + String(decoding: out.utf8.suffix(half), as: UTF8.self)
  }

  static let summarySystem = """
    You are compacting the transcript of a coding agent's session so that it can continue in a smaller \
    context. Summarize what the task is, what has been done (files read and changed, commands run and their \
    outcomes), what was learned, and what remains to do. Be concrete: paths, names, numbers. At most 400 words.
    """

  /// A summary made without the model (a replay, or a summarizer call that failed): the calls made.
  static func mechanicalSummary(_ messages: ArraySlice<ChatMessage>) -> String {
    var calls: [String] = []
    for m in messages {
      for case .toolUse(_, let name, let input) in m.content { calls.append("\(name) \(PermissionPolicy.describe(input))") }
    }
    let shown = calls.suffix(40)
    return "Tool calls made (\(calls.count)\(calls.count > shown.count ? ", the last \(shown.count) shown" : "")):\n"
      + shown.map { "- \($0)" }.joined(separator: "\n")
  }

  /// The note's markers, written by `note` and read back by `task(in:)` on the next compaction.
  static let noteStart = "[Compaction note:"
  static let taskHeading = "The task, as first given:\n"
  static let summaryHeading = "\n\nSummary of the work so far:"

  /// The note that stands for the summarized messages: the task as first given, and the summary.
  static func note(task: String?, summary: String, count: Int, session: String) -> ChatMessage {
    var text = noteStart + " the first \(count) messages of this session were summarized to fit the context "
      + "window; the whole transcript is in the ledger: arrakis log show \(session.prefix(8))]\n"
    if let task { text += "\n" + taskHeading + AgentLoop.cap(task, to: 8_000) + "\n" }
    text += String(summaryHeading.dropFirst()) + "\n\(summary)"
    return ChatMessage(role: .user, content: [.text(text)])
  }

  /// The task as the user first gave it: the first message's text, or the task an earlier note carried.
  static func task(in messages: [ChatMessage]) -> String? {
    guard let first = messages.first, first.role == .user else { return nil }
    let text = first.content.reduce(into: "") { out, b in if case .text(let t) = b { out += t } }
    guard text.hasPrefix(noteStart) else { return text.isEmpty ? nil : text }
    guard let a = text.firstRange(of: taskHeading), let b = text.firstRange(of: summaryHeading), a.upperBound <= b.lowerBound else { return nil }
    return String(text[a.upperBound..<b.lowerBound])
  }

  /// Thinking blocks are bound to everything before them: after `first` changed they are no longer valid
  /// and are left out of the context (the ledger keeps them). A message keeps at least one block.
  static func dropThinking(after first: Int, _ messages: inout [ChatMessage], _ ctx: inout ContextBudget) {
    guard first + 1 < messages.count else { return }
    for i in (first + 1)..<messages.count where messages[i].role == .assistant {
      let kept = messages[i].content.filter {
        switch $0 { case .thinking, .redactedThinking: return false; default: return true }
      }
      if kept.count != messages[i].content.count && !kept.isEmpty {
        ctx.replace(i, in: &messages, with: ChatMessage(role: .assistant, content: kept))
      }
    }
  }
}
