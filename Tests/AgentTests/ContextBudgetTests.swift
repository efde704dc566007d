import ArrakisCore
import Claude
import Foundation
import Testing

@testable import Agent

/// The estimate and the two compactions on real message values (the end-to-end runs are in
/// Tests/CLITests/LongSessionTests.swift).
@Suite struct ContextBudgetTests {
  static func conversation(results: Int, size: Int) -> [ChatMessage] {
    var m: [ChatMessage] = [.user("read the files")]
    for i in 0..<results {
      m.append(ChatMessage(role: .assistant, content: [
        .thinking(thinking: "next file", signature: "sig\(i)"), .toolUse(id: "t\(i)", name: "Read", input: ["file_path": .string("f\(i).txt")]),
      ]))
      m.append(ChatMessage(role: .user, content: [.toolResult(toolUseID: "t\(i)", content: String(repeating: "x", count: size), isError: false)]))
    }
    return m
  }

  static func budget(window: Int = 100_000) -> ContextBudget {
    ContextBudget(window: window, fraction: 0.8, maxTokens: 4096, system: "s", tools: [], origins: [])
  }

  @Test func estimateIsConservativeUntilCalibratedThenFollowsTheReport() {
    var ctx = Self.budget()
    let messages = Self.conversation(results: 2, size: 3000)
    ctx.sync(messages)
    #expect(ctx.estimate >= ctx.bytes / 3)
    ctx.willSend()
    ctx.calibrate(promptTokens: ctx.bytes / 4)
    #expect(ctx.estimate == ctx.bytes / 4)
    // What is added since counts at 1 token per 3 bytes.
    let more = Self.conversation(results: 3, size: 3000)
    let before = ctx.bytes
    ctx.sync(more)
    #expect(ctx.estimate == before / 4 + Int((Double(ctx.bytes - before) / 3).rounded(.up)))
    // A report of 1 token per 100 bytes is not believed.
    ctx.willSend()
    ctx.calibrate(promptTokens: ctx.bytes / 100)
    #expect(ctx.estimate > ctx.bytes / 8)
  }

  @Test func clearingFreesAChunkFromTheOldestAndKeepsTheNewestWhole() {
    var messages = Self.conversation(results: 40, size: 9000)
    var ctx = Self.budget()
    ctx.sync(messages)
    let start = ctx.estimate
    #expect(start > ctx.budget)
    let (ids, first) = Compaction.clearToolResults(&messages, &ctx, target: ctx.budget, minimumFreed: ctx.budget / 5, session: "abcdef123456")
    #expect(ctx.estimate <= ctx.budget && start - ctx.estimate >= ctx.budget / 5)
    #expect(ids.first == "t0" && first == 2)
    // Oldest first, in one contiguous run, and never the newest three.
    #expect(ids == (0..<ids.count).map { "t\($0)" })
    #expect(ids.count <= 37)
    let placeholder = messages[2].content[0]
    guard case .toolResult("t0", let text, false) = placeholder else { Issue.record("not a tool result: \(placeholder)"); return }
    #expect(text.contains("Read f0.txt") && text.contains("9000 characters") && text.contains("arrakis log show abcdef12"))
    for i in 37..<40 {
      guard case .toolResult(_, let content, _) = messages[2 + 2 * i].content[0] else { continue }
      #expect(content.count == 9000)
    }
    // Thinking after the first change is left out; before it, kept.
    Compaction.dropThinking(after: first!, &messages, &ctx)
    #expect(messages[1].content.count == 2)
    #expect(messages[3].content.count == 1)
    ctx.sync(messages)
    #expect(ctx.sizes == messages.map(ContextBudget.size(of:)))
  }

  @Test func summaryCutKeepsTheNewestExchangeAndStartsAtAnAssistantTurn() throws {
    var messages = Self.conversation(results: 30, size: 200)
    var ctx = Self.budget(window: 10_000)
    ctx.sync(messages)
    let cut = try #require(Compaction.summaryCut(messages, ctx))
    #expect(messages[cut].role == .assistant && cut > 1 && cut < messages.count - 1)
    #expect(ctx.estimate(bytes: ctx.fixedBytes + ctx.sizes[cut...].reduce(0, +)) <= ctx.budget / 2)
    let note = Compaction.note(task: Compaction.task(in: messages), summary: "did things", count: cut, session: "s")
    ctx.collapse(&messages, first: cut, into: note, origin: "s")
    #expect(messages[0].role == .user && messages[1].role == .assistant)
    #expect(Compaction.task(in: messages) == "read the files")  // a second summary keeps the task
    #expect(ctx.sizes == messages.map(ContextBudget.size(of:)))
  }

  @Test func promptTooLongIsRead() {
    let e = ClaudeError.http(status: 400, body: ["type": "error", "error": ["type": "invalid_request_error", "message": "prompt is too long: 201234 tokens > 200000 maximum"]], requestID: nil)
    #expect(e.promptTooLong?.tokens == 201_234 && e.promptTooLong?.maximum == 200_000)
    #expect(ClaudeError.http(status: 400, body: ["type": "error", "error": ["type": "invalid_request_error", "message": "bad"]], requestID: nil).promptTooLong == nil)
  }
}
