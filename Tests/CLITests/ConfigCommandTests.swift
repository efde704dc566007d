import Foundation
import TestSupport
import Testing

/// Configuration files end to end: real files in a temp home and a temp repository, the real binary.
/// Each level of the precedence (flag > env > repo > user > default) is seen through `arrakis config --json`
/// and through the model an `ask` request actually carries.
@Suite struct ConfigCommandTests {
  let dir = TempDir("config")
  var repo: String { dir.file("repo") }
  var userFile: String { dir.file("xdg/arrakis/config.toml") }
  var repoFile: String { repo + "/.arrakis.toml" }

  init() throws {
    try FileManager.default.createDirectory(atPath: repo + "/.git", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: dir.file("xdg/arrakis"), withIntermediateDirectories: true)
  }

  func write(_ path: String, _ text: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }

  func run(_ args: [String], env: [String: String] = [:], stdin: String? = nil) async throws -> CLIResult {
    var e = ["XDG_CONFIG_HOME": dir.file("xdg"), "ARRAKIS_DB": dir.file("ledger.db"), "ARRAKIS_STALL_TIMEOUT": "1"]
    e.merge(env) { _, n in n }
    return try await CLIRunner.run(args, env: e, stdin: stdin, cwd: repo)
  }

  /// settings.<key> of `arrakis config --json`.
  func setting(_ key: String, _ args: [String] = [], env: [String: String] = [:]) async throws -> [String: Any] {
    let r = try await run(["config", "--json"] + args, env: env)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    return try #require((obj["settings"] as? [String: Any])?[key] as? [String: Any])
  }

  @Test func eachLevelOverridesTheOneBelowAndNamesItself() async throws {
    var s = try await setting("model")
    #expect(s["source"] as? String == "default")

    try write(userFile, "# mine\nmodel = \"claude-from-user\"\n")
    s = try await setting("model")
    #expect(s["source"] as? String == "user")
    #expect(s["value"] as? String == "claude-from-user")
    #expect((s["origin"] as? String)?.hasSuffix("xdg/arrakis/config.toml:2") == true)

    try write(repoFile, "model = \"claude-from-repo\"\n")
    s = try await setting("model")
    #expect(s["source"] as? String == "repo")
    #expect(s["value"] as? String == "claude-from-repo")
    #expect((s["origin"] as? String)?.hasSuffix("repo/.arrakis.toml:1") == true)

    s = try await setting("model", env: ["ARRAKIS_MODEL": "claude-from-env"])
    #expect(s["source"] as? String == "env")
    #expect(s["origin"] as? String == "ARRAKIS_MODEL")

    s = try await setting("model", ["--model", "claude-from-flag"], env: ["ARRAKIS_MODEL": "claude-from-env"])
    #expect(s["source"] as? String == "flag")
    #expect(s["value"] as? String == "claude-from-flag")
  }

  @Test func typedKeysAndDenyRulesAddingUp() async throws {
    try write(userFile, "max_turns = 7\nallow_network = true\ndeny = [\n  \"Write\",  # never\n]\n")
    try write(repoFile, "max_budget_usd = 0.25\nsandbox = 'os'\ndeny = [\"Bash(git push:*)\"]\n")
    #expect(try await setting("max_turns")["value"] as? Int == 7)
    #expect(try await setting("allow_network")["value"] as? Bool == true)
    #expect(try await setting("max_budget_usd")["value"] as? Double == 0.25)
    #expect(try await setting("sandbox")["value"] as? String == "os")
    #expect(try await setting("max_turns", env: ["ARRAKIS_MAX_TURNS": "3"])["value"] as? Int == 3)
    let deny = try await setting("deny", ["--deny", "Edit"])
    #expect(deny["value"] as? [String] == ["Edit", "Bash(git push:*)", "Write"])
    #expect(deny["source"] as? String == "flag")
    #expect((deny["sources"] as? [String])?.count == 3)
  }

  @Test func theModelAndMaxTokensSentFollowPrecedence() async throws {
    try write(userFile, "model = \"claude-from-user\"\nmax_tokens = 1000\n")
    try write(repoFile, "model = \"claude-from-repo\"\n")
    let server = try LoopbackServer(Array(repeating: .sse(SSEBuilder.text("ok")), count: 3))
    let api = ["ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-test-key-0123456789"]

    var r = try await run(["ask", "hi"], env: api)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(server.requests.last?.body?["model"]?.stringValue == "claude-from-repo")
    #expect(server.requests.last?.body?["max_tokens"]?.intValue == 1000)

    r = try await run(["ask", "hi"], env: api.merging(["ARRAKIS_MODEL": "claude-from-env"]) { a, _ in a })
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(server.requests.last?.body?["model"]?.stringValue == "claude-from-env")

    r = try await run(["ask", "-m", "claude-from-flag", "--max-tokens", "55", "hi"], env: api.merging(["ARRAKIS_MODEL": "claude-from-env"]) { a, _ in a })
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(server.requests.last?.body?["model"]?.stringValue == "claude-from-flag")
    #expect(server.requests.last?.body?["max_tokens"]?.intValue == 55)
  }

  @Test func aMalformedValueExitsThreeNamingFileLineAndKey() async throws {
    try write(repoFile, "model = \"opus\"\n\n# budget\nmax_tokens = \"lots\"\n")
    for args in [["config"], ["ask", "hi"], ["code", "--permission", "read-only", "look"]] {
      let r = try await run(args, env: ["ANTHROPIC_API_KEY": "sk-test-key-0123456789"])
      #expect(r.status == 3, "\(args): \(r.stderr)")
      #expect(r.stderr.contains(".arrakis.toml:4: max_tokens must be a positive integer, got \"lots\""), "\(r.stderr)")
      #expect(r.stderr.contains("hint:"))
    }
  }

  @Test func aSyntaxErrorNamesTheLineAndKey() async throws {
    try write(userFile, "model = \"opus\"\npermission = full-access\n")
    let r = try await run(["config"])
    #expect(r.status == 3)
    #expect(r.stderr.contains("config.toml:2: permission: cannot read value 'full-access'"), "\(r.stderr)")
  }

  @Test func aBadEnvironmentValueIsAConfigurationError() async throws {
    let r = try await run(["config"], env: ["ARRAKIS_MAX_TOKENS": "lots"])
    #expect(r.status == 3)
    #expect(r.stderr.contains("ARRAKIS_MAX_TOKENS must be a positive integer, got \"lots\""))
  }

  @Test func unknownKeysAndTablesAreWarningsNotErrors() async throws {
    try write(userFile, "colour = \"always\"\nmodel = \"haiku\"\n[profiles.work]\nmodel = \"opus\"\n")
    let r = try await run(["config"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("config.toml:1: unknown key 'colour' is ignored"), "\(r.stderr)")
    #expect(r.stderr.contains("config.toml:3: [profiles.work] is not an arrakis setting"))
    // The table's keys did not leak into the top level.
    #expect(r.stdout.contains("haiku"))
    #expect(!r.stdout.contains("opus"))
  }

  @Test func configPathPrintsBothFiles() async throws {
    let r = try await run(["config", "path"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("user: \(userFile)\n"))
    #expect(r.stdout.contains("repo: "))
    #expect(r.stdout.contains("/repo/.arrakis.toml\n"))
  }
}
