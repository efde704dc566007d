import Foundation
import TestSupport
import Testing

/// `arrakis doctor` against the loopback API server: one line per check, the key never shown, the exit
/// code of the first required check that fails.
@Suite struct DoctorTests {
  let dir = TempDir("doctor")
  let key = "sk-ant-test-SECRET-0123456789"

  func doctor(_ args: [String] = [], env: [String: String]) async throws -> CLIResult {
    try await CLIRunner.run(["doctor"] + args, env: ["XDG_DATA_HOME": dir.file("data")].merging(env) { _, b in b }, cwd: dir.path)
  }

  @Test func allGoodIsExit0WithALinePerCheckAndNoKey() async throws {
    let server = try LoopbackServer([])
    let r = try await doctor(env: ["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.baseURL])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.count == 6, "\(r.stdout)")
    for (line, name) in zip(lines, ["API key", "API", "ledger", "git", "bubblewrap", "rg"]) {
      #expect(line.dropFirst(6).hasPrefix(name), "\(line)")
    }
    #expect(lines[0].hasPrefix("ok") && lines[1].hasPrefix("ok") && lines[2].hasPrefix("ok") && lines[3].hasPrefix("ok"), "\(r.stdout)")
    #expect(r.stdout.contains("\(server.baseURL) reachable"))
    #expect(!r.stdout.contains("SECRET") && !r.stderr.contains("SECRET"))
    #expect(server.requests.isEmpty, "doctor must not send a request")
    // The ledger is looked at, not created.
    #expect(!FileManager.default.fileExists(atPath: dir.file("data/arrakis/arrakis.db")))
  }

  @Test func noKeyIsExit3() async throws {
    let server = try LoopbackServer([])
    let r = try await doctor(env: ["ANTHROPIC_BASE_URL": server.baseURL])
    #expect(r.status == 3, "\(r.stdout)")
    #expect(r.stdout.hasPrefix("fail  API key"), "\(r.stdout)")
  }

  @Test func anUnreachableAPIIsExit7() async throws {
    // Port 1 on the loopback interface: privileged and unused, so the connection is refused at once.
    let url = "http://127.0.0.1:1"
    let r = try await doctor(env: ["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": url])
    #expect(r.status == 7, "\(r.stdout)")
    #expect(r.stdout.contains("fail  API"), "\(r.stdout)")
    #expect(r.stdout.contains("unreachable"), "\(r.stdout)")
  }

  @Test func gitMissingIsExit10AndOptionalToolsAreWarnings() async throws {
    let server = try LoopbackServer([])
    let r = try await doctor(env: ["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.baseURL, "PATH": dir.file("empty-bin")])
    #expect(r.status == 10, "\(r.stdout)")
    #expect(r.stdout.contains("fail  git"), "\(r.stdout)")
    #expect(r.stdout.contains("warn  rg"), "\(r.stdout)")
    #expect(r.stdout.contains("warn  bubblewrap"), "\(r.stdout)")
  }

  @Test func jsonListsEveryCheck() async throws {
    let server = try LoopbackServer([])
    let r = try await doctor(["--json"], env: ["ANTHROPIC_BASE_URL": server.baseURL])
    #expect(r.status == 3)
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(obj["ok"] as? Bool == false)
    let checks = try #require(obj["checks"] as? [[String: Any]])
    #expect(checks.compactMap { $0["name"] as? String } == ["API key", "API", "ledger", "git", "bubblewrap", "rg"])
    #expect(checks.first?["status"] as? String == "fail")
    #expect(checks.first?["required"] as? Bool == true)
  }

  @Test func aLedgerFolderThatIsMissingFails() async throws {
    let server = try LoopbackServer([])
    let r = try await doctor(env: ["ANTHROPIC_API_KEY": key, "ANTHROPIC_BASE_URL": server.baseURL, "ARRAKIS_DB": dir.file("typo/arrakis.db")])
    #expect(r.status == 9, "\(r.stdout)")
    #expect(r.stdout.contains("fail  ledger"), "\(r.stdout)")
  }
}
