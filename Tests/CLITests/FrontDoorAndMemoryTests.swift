import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis "prompt"` routing and the knowledge digest, end to end through the real binary.
@Suite struct FrontDoorAndMemoryTests {
  let dir = TempDir("frontdoor")
  var db: String { dir.file("ledger.db") }
  var repo: String { dir.file("repo") }

  init() throws {
    try dir.write("repo/Sources/Config.swift", "func parseConfig() -> Int { 1 }\n")
    try GitFixture.sh("git init -q", cwd: repo)
  }

  func run(_ args: [String], server: LoopbackServer) async throws -> CLIResult {
    try await CLIRunner.run(
      args, env: ["ARRAKIS_DB": db, "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-test-key-0123456789"],
      cwd: repo)
  }

  /// `--explain-route` only explains: nothing is sent, nothing recorded. Without it the same request runs and
  /// the route is recorded on the session.
  @Test func explainRoutePrintsTheReasonAndRunsNothing() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("It replays commits."))])
    let r = try await run(["--explain-route", "what does rebase --onto do?"], server: server)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("route: ask — a question"))
    #expect(r.stdout.isEmpty)
    #expect(server.requests.isEmpty)
    #expect(!FileManager.default.fileExists(atPath: db))
    let ran = try await run(["what does rebase --onto do?"], server: server)
    #expect(ran.status == 0, "\(ran.stderr)")
    #expect(ran.stdout == "It replays commits.\n")
    let s = try #require(try Ledger.open(path: db).listSessions().first)
    #expect(s.systemType == .ask)
    #expect(s.route == "ask: a question")
  }

  @Test func aChangeNamingASymbolGoesToCode() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("Done."))])
    let explained = try await run(["--explain-route", "rename parseConfig to loadConfig"], server: server)
    #expect(explained.stderr.contains("route: code"), "\(explained.stderr)")
    let r = try await run(["rename parseConfig to loadConfig"], server: server)
    #expect(r.status == 0, "\(r.stderr)")
    let s = try #require(try Ledger.open(path: db).listSessions().first)
    #expect(s.systemType == .code)
    #expect(s.route?.hasPrefix("code: asks to rename and names parseConfig") == true)
  }

  @Test func helpAndVersionStillWork() async throws {
    let server = try LoopbackServer([])
    #expect(try await run(["--version"], server: server).status == 0)
    #expect(try await run(["--help"], server: server).stdout.contains("SUBCOMMANDS"))
    #expect(try await run(["help", "log"], server: server).stdout.contains("stats"))
  }

  /// An earlier exchange about the same topic is in the digest, an unrelated one is not, and the digest
  /// stays within its budget.
  @Test func digestIsRelevantAndBounded() async throws {
    let ledger = try Ledger.open(path: db)
    for (prompt, answer) in [("why does the flux capacitor overheat", "The flux capacitor overheats because of gigawatts."),
                             ("favourite pizza topping", "Pineapple, obviously.")] {
      let id = try ledger.startSession(NewSession(systemType: .ask, workspace: repo, prompt: prompt))
      _ = try ledger.appendMessage(sessionID: id, role: "user", content: [["type": "text", "text": .string(prompt)]], text: prompt)
      _ = try ledger.appendMessage(sessionID: id, role: "assistant", content: [["type": "text", "text": .string(answer)]], text: answer)
      try ledger.finishSession(id: id, status: .success)
    }
    let server = try LoopbackServer([.sse(SSEBuilder.text("ok")), .sse(SSEBuilder.text("ok"))])
    let r = try await run(["ask", "--with-history", "is the flux capacitor still overheating?"], server: server)
    #expect(r.status == 0, "\(r.stderr)")
    let system = try #require(server.requests.first?.body?["system"].flatMap { $0.stringValue ?? $0[0]?["text"]?.stringValue })
    #expect(system.contains("gigawatts"))
    #expect(!system.contains("Pineapple"))
    let small = try await run(["ask", "--history-budget", "60", "flux capacitor"], server: server)
    #expect(small.status == 0, "\(small.stderr)")
    let bounded = server.requests.last?.body?["system"].flatMap { $0.stringValue ?? $0[0]?["text"]?.stringValue } ?? ""
    #expect(bounded.count <= 60 * 4)
    let last = try #require(try ledger.listSessions().first)
    #expect(try ledger.messages(sessionID: last.id).contains { $0.systemSource == "history-digest" })
  }

  @Test func noHistoryMeansNoDigest() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("ok"))])
    let r = try await run(["ask", "--no-history", "flux"], server: server)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(server.requests.first?.body?["system"] == nil)
  }
}
