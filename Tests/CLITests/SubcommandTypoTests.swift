import Foundation
import TestSupport
import Testing

/// A first word that looks like a mistyped subcommand is exit 2 with a suggestion, and the model is never
/// called; real prompts still go through the front door.
@Suite struct SubcommandTypoTests {
  let dir = TempDir("typo")

  func run(_ args: [String], server: LoopbackServer) async throws -> CLIResult {
    try await CLIRunner.run(
      args,
      env: ["ARRAKIS_DB": dir.file("ledger.db"), "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-test-key-0123456789"],
      cwd: dir.path)
  }

  @Test(arguments: [
    (["lgo"], "log"), (["rollbak", "--last"], "rollback"), (["anlyze", "--no-model"], "analyze"),
    (["improv", "make it faster"], "improve"), (["lgo", "show", "abc"], "log"), (["confg"], "config"), (["hepl"], "help"),
    (["stats"], "log stats"),
  ] as [([String], String)])
  func aTypoIsAnErrorWithASuggestion(args: [String], suggestion: String) async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("a paid answer"))])
    let r = try await run(args, server: server)
    #expect(r.status == 2, "\(args): \(r.stderr)")
    #expect(r.stderr.contains("did you mean `\(suggestion)`?"), "\(args): \(r.stderr)")
    #expect(r.stderr.contains("`\(args[0])` is not an arrakis subcommand"))
    #expect(server.requests.isEmpty, "\(args) reached the model")
  }

  @Test func commandWordsThatAreNotPromptsAreErrors() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("a paid answer"))])
    for word in ["init", "status", "version"] {
      let r = try await run([word], server: server)
      #expect(r.status == 2, "\(word): \(r.stderr)")
      #expect(r.stderr.contains("`\(word)` is not an arrakis subcommand"), "\(r.stderr)")
    }
    #expect(server.requests.isEmpty)
  }

  @Test func helpForAnUnknownTopicIsExit2() async throws {
    let server = try LoopbackServer([])
    let r = try await run(["help", "bogus"], server: server)
    #expect(r.status == 2)
    #expect(r.stderr.contains("no help for 'bogus'"), "\(r.stderr)")
    let typo = try await run(["help", "rollbak"], server: server)
    #expect(typo.status == 2)
    #expect(typo.stderr.contains("did you mean `rollback`?"), "\(typo.stderr)")
    let known = try await run(["help", "log"], server: server)
    #expect(known.status == 0)
    #expect(known.stdout.contains("stats"))
  }

  @Test(arguments: ["hello", "why is the sky blue?", "core dumps on start", "summarize"])
  func realPromptsStillReachTheModel(prompt: String) async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("an answer"))])
    let args = prompt == "core dumps on start" ? ["core", "dumps", "on", "start"] : [prompt]
    let r = try await run(args, server: server)
    #expect(r.status == 0, "\(prompt): \(r.stderr)")
    #expect(r.stdout == "an answer\n")
    #expect(server.requests.count == 1)
  }
}
