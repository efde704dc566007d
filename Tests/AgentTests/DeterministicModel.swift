import ArrakisCore
import Claude
import Foundation

@testable import Agent

/// A model whose turns the test writes: each call the loop makes gets the next scripted turn, and every
/// request it was sent is kept, so a test can check what the model was shown (the tool results, the tools
/// offered). Everything else — tools, permission checks, the ledger — is the real thing. The same idea as
/// mini-swe-agent's DeterministicModel.
final class DeterministicModel: ModelSource {
  struct Turn {
    var content: [ContentBlock]
    var stopReason: StopReason
    var usage: Usage

    /// A turn that ends with text.
    static func say(_ text: String, usage: Usage = Usage(inputTokens: 10, outputTokens: 5)) -> Turn {
      Turn(content: [.text(text)], stopReason: .endTurn, usage: usage)
    }

    /// A turn that calls one tool, after an optional line of reasoning.
    static func call(_ id: String, _ name: String, _ input: JSONValue, saying text: String? = nil,
                     usage: Usage = Usage(inputTokens: 10, outputTokens: 5)) -> Turn {
      Turn(content: (text.map { [ContentBlock.text($0)] } ?? []) + [.toolUse(id: id, name: name, input: input)],
           stopReason: .toolUse, usage: usage)
    }
  }

  /// Thrown when the loop asks for more turns than were written: the test fails saying so.
  struct ScriptExhausted: Error, CustomStringConvertible {
    var turnsWritten: Int
    var description: String { "the loop asked for a turn after the \(turnsWritten) written for it" }
  }

  let modelName: String
  private let turns: [Turn]
  /// Repeat the last turn for ever (for tests of the loop's limits).
  private let repeatLast: Bool
  private(set) var requests: [MessageRequest] = []

  init(_ turns: [Turn], model: String = "claude-sonnet-4-6", repeatLast: Bool = false) {
    self.turns = turns
    self.modelName = model
    self.repeatLast = repeatLast
  }

  func nextTurn(_ request: MessageRequest, onEvent: (StreamEvent) -> Void) throws -> MessageResponse {
    requests.append(request)
    let n = requests.count - 1
    guard let turn = n < turns.count ? turns[n] : (repeatLast ? turns.last : nil) else {
      throw ScriptExhausted(turnsWritten: turns.count)
    }
    for case .text(let t) in turn.content { onEvent(.textDelta(t)) }
    return MessageResponse(id: "msg_deterministic_\(n + 1)", model: modelName, content: turn.content,
                           stopReason: turn.stopReason, usage: turn.usage)
  }

  func expectedResult(toolUseID: String) -> ExpectedToolResult? { nil }

  /// The tool results the model was sent in its `n`-th request (1-based), by tool_use id.
  func toolResults(inRequest n: Int) -> [String: (content: String, isError: Bool)] {
    guard n >= 1, n <= requests.count, let last = requests[n - 1].messages.last else { return [:] }
    var out: [String: (content: String, isError: Bool)] = [:]
    for case .toolResult(let id, let content, let isError) in last.content { out[id] = (content, isError) }
    return out
  }
}
