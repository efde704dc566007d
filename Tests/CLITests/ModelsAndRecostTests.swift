import ArrakisCore
import Foundation
import Ledger
import TestSupport
import Testing

/// `arrakis models` and `arrakis log recost` through the binary, with a real ledger and a real config file.
@Suite struct ModelsAndRecostTests {
  let dir = TempDir("models")
  var db: String { dir.file("ledger.db") }
  var env: [String: String] { ["ARRAKIS_DB": db, "ANTHROPIC_API_KEY": "sk-test", "XDG_CONFIG_HOME": dir.file("config")] }

  func run(_ args: [String], server: LoopbackServer? = nil) async throws -> CLIResult {
    var e = env
    if let server { e["ANTHROPIC_BASE_URL"] = server.baseURL }
    return try await CLIRunner.run(args, env: e, cwd: dir.path)
  }

  @Test func modelsListsAliasesWindowsAndPrices() async throws {
    let r = try await run(["models"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    let sonnet = try #require(lines.first { $0.hasPrefix("sonnet ") })
    #expect(sonnet.contains("claude-sonnet-5-5") && sonnet.contains("1M") && sonnet.contains("128K") && sonnet.contains("$2.00") && sonnet.contains("$10.00"))
    #expect(lines.contains { $0.hasPrefix("opus ") && $0.contains("claude-opus-5-5") && $0.contains("$4.00") })
    #expect(lines.contains { $0.hasPrefix("fable ") && $0.contains("claude-fable-5-1") && $0.contains("$0.25") })
    #expect(lines.contains { $0.contains("prompts over 100,000 tokens") && $0.contains("$2.50") })
    #expect(lines.contains { $0.contains("claude-haiku-4-5") && $0.contains("200K") && $0.contains("64K") })

    let j = try await run(["models", "--json"])
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
    #expect((obj["aliases"] as? [String: String])?["haiku"] == "claude-haiku-5-5")
    let models = try #require(obj["models"] as? [[String: Any]])
    let haiku = try #require(models.first { $0["id"] as? String == "claude-haiku-5-5" })
    #expect(haiku["context_window"] as? Int == 1_000_000 && haiku["max_output_tokens"] as? Int == 128_000)
    #expect((haiku["prices_usd_per_mtok"] as? [[String: Any]])?.count == 2)
  }

  @Test func configuredPriceShowsInModels() async throws {
    try dir.write("config/arrakis/config.toml", "prices = [\"claude-opus-5-5 input=3 output=15\"]\n")
    let r = try await run(["models"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.split(separator: "\n").contains { $0.hasPrefix("opus ") && $0.contains("$3.00") && $0.contains("(config)") })
    // A repository's file cannot set prices (it could hide its own cost): a warning, and the table's price.
    try FileManager.default.removeItem(atPath: dir.file("config/arrakis/config.toml"))
    try dir.write(".arrakis.toml", "prices = [\"claude-opus-5-5 input=0 output=0\"]\n")
    let repo = try await run(["models"])
    #expect(repo.status == 0 && repo.stderr.contains("prices can only be set in your own"))
    #expect(repo.stdout.split(separator: "\n").contains { $0.hasPrefix("opus ") && $0.contains("$4.00") })
    try FileManager.default.removeItem(atPath: dir.file(".arrakis.toml"))
    try dir.write("config/arrakis/config.toml", "prices = [\"claude-opus-5-5 input=cheap\"]\n")
    let bad = try await run(["models"])
    #expect(bad.status == 3)
    #expect(bad.stderr.contains("bad price") && bad.stderr.contains("config.toml:1"))
  }

  @Test func recostChangesRecordedCostsAndNothingElse() async throws {
    // A real ask on Sonnet 5.5: 12 input + 7 output tokens at $2 / $10.
    let server = try LoopbackServer([.sse(SSEBuilder.text("hello", model: "claude-sonnet-5-5"))])
    let asked = try await run(["ask", "--model", "sonnet", "hi"], server: server)
    #expect(asked.status == 0, "\(asked.stderr)")
    let ledger = try Ledger.open(path: db)
    // A session on a model without a price, recorded with a (wrong) known cost, and an old one.
    let unknown = try ledger.startSession(NewSession(systemType: .ask, model: "claude-future-9", prompt: "x"))
    try ledger.appendMessage(sessionID: unknown, role: "assistant", content: [], text: "", model: "claude-future-9",
                             usage: ["input_tokens": 10, "output_tokens": 10])
    try ledger.addUsage(sessionID: unknown, input: 10, output: 10, costUSD: 0.5)
    let old = try ledger.startSession(NewSession(systemType: .ask, model: "claude-sonnet-5-5", prompt: "old", startedAt: Date(timeIntervalSinceNow: -90 * 86400)))
    try ledger.appendMessage(sessionID: old, role: "assistant", content: [], text: "", model: "claude-sonnet-5-5",
                             usage: ["input_tokens": 1000, "output_tokens": 0])
    try ledger.addUsage(sessionID: old, input: 1000, output: 0, costUSD: 0.002)

    let all = try ledger.listSessions(SessionFilter(limit: 10))
    let askSession = try #require(all.first { $0.systemType == .ask && $0.prompt == "hi" })
    #expect(abs((askSession.costUSD ?? 0) - 0.000094) < 1e-12)
    let messagesBefore = try all.map { try ledger.messages(sessionID: $0.id) }

    try dir.write("config/arrakis/config.toml", "prices = [\"claude-sonnet-5-5 input=20 output=100\"]\n")
    let r = try await run(["log", "recost", "--since", "30.days"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("re-priced 2 sessions: 2 changed"))
    #expect(r.stderr.contains("1 now of unknown cost"))

    let after = try ledger.listSessions(SessionFilter(limit: 10))
    #expect(after.count == all.count)  // recost records no session of its own
    let repriced = try #require(after.first { $0.id == askSession.id })
    #expect(abs((repriced.costUSD ?? 0) - (12 * 20 + 7 * 100) / 1e6) < 1e-12)
    #expect(after.first { $0.id == unknown }?.costUSD == nil)
    #expect(after.first { $0.id == old }?.costUSD == 0.002)  // before --since: untouched
    // Nothing but the cost changed: every other column and every message is as it was.
    for (b, a) in zip(all.sorted { $0.id < $1.id }, after.sorted { $0.id < $1.id }) {
      var b = b, a = a
      b.costUSD = nil; a.costUSD = nil
      #expect(a == b)
    }
    #expect(try all.map { try ledger.messages(sessionID: $0.id) } == messagesBefore)

    // Again: nothing left to change.
    let again = try await run(["log", "recost", "--json"])
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
    #expect(obj["examined"] as? Int == 3)
    #expect((obj["changed"] as? [Any])?.count == 1)  // the old session, now at the configured price
  }

  @Test func aModelWithoutAPriceReportsTokensAndAnUnknownCost() async throws {
    let server = try LoopbackServer([.sse(SSEBuilder.text("hi", model: "claude-future-9"))])
    let r = try await run(["ask", "--json", "--model", "claude-future-9", "hello"], server: server)
    #expect(r.status == 0, "\(r.stderr)")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect((obj["usage"] as? [String: Any])?["output_tokens"] as? Int == 7)
    #expect(obj.keys.contains("usage") && !(obj["cost_usd"] is Double))
    let s = try #require(try Ledger.open(path: db).listSessions().first)
    #expect(s.costUSD == nil && s.inputTokens == 12)
    let log = try await run(["log"])
    #expect(log.stdout.contains("?") && !log.stdout.contains("$0 "))
  }

  @Test func recostPricesEachSessionAtTheRatesOfItsStartDate() async throws {
    let ledger = try Ledger.open(path: db)
    func session(_ day: String) throws -> String {
      let date = try #require(ISO8601DateFormatter().date(from: day + "T12:00:00Z"))
      let id = try ledger.startSession(NewSession(systemType: .code, model: "claude-sonnet-5-5", prompt: day, startedAt: date))
      try ledger.appendMessage(sessionID: id, role: "assistant", content: [], text: "", model: "claude-sonnet-5-5",
                               usage: ["input_tokens": 0, "output_tokens": 0, "cache_read_input_tokens": 1_000_000])
      try ledger.addUsage(sessionID: id, input: 0, output: 0, cacheRead: 1_000_000, costUSD: 0)
      return id
    }
    let before = try session("2026-10-06"), after = try session("2026-10-07")
    let r = try await run(["log", "recost"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = try ledger.listSessions(SessionFilter(limit: 10))
    #expect(abs((rows.first { $0.id == before }?.costUSD ?? 0) - 0.20) < 1e-9)
    #expect(abs((rows.first { $0.id == after }?.costUSD ?? 0) - 0.10) < 1e-9)
  }
}

