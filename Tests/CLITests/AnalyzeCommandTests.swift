import ArrakisCore
import Foundation
import Ledger
import SQLite
import TestSupport
import Testing

/// `arrakis analyze` end to end on real repositories with scripted history: the real binary, libgit2,
/// a real ledger file, and the loopback Messages API server for the model step.
@Suite struct AnalyzeCommandTests {
  let dir = TempDir("analyze")
  var db: String { dir.file("ledger.db") }

  func analyze(_ args: [String], in repo: String, server: LoopbackServer? = nil, key: String? = nil) async throws -> CLIResult {
    var env = ["ARRAKIS_DB": db, "ARRAKIS_STALL_TIMEOUT": "2"]
    if let server { env["ANTHROPIC_BASE_URL"] = server.baseURL }
    if let key { env["ANTHROPIC_API_KEY"] = key }
    return try await CLIRunner.run(["analyze"] + args, env: env, cwd: repo)
  }

  func json(_ r: CLIResult) throws -> JSONValue { try JSONValue.parse(r.stdout) }
  var ledger: Ledger { get throws { try Ledger.open(path: db) } }

  static let proposals: JSONValue = ["improvements": [
    ["title": "Split process() in big.py", "rationale": "Largest, most fixed function.", "files": ["src/big.py"],
     "category": "readability", "impact": 3, "risk": 2, "effort": "medium", "acceptance": "make test passes"],
    ["title": "Add tests for big.py", "rationale": "Six commits, three fixes, no tests.", "files": ["src/big.py"],
     "category": "test", "impact": 5, "risk": 1, "effort": "small", "acceptance": "tests/test_big.py exists and passes"],
  ]]

  static func modelServer(_ input: JSONValue = proposals) throws -> LoopbackServer {
    try LoopbackServer([.sse(SSEBuilder.toolUse(id: "toolu_1", name: "record_improvements", input: input))])
  }

  @Test func theChurnyFixedBigFileIsTheTopHotspotWithReasons() async throws {
    let repo = try ScriptedRepository.standard()
    let r = try await analyze(["--json", "--no-model"], in: repo.path)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let hotspots = try #require(try json(r)["signals"]?["hotspots"]?.arrayValue)
    #expect(hotspots.first?["path"]?.stringValue == "src/big.py")
    let reasons = hotspots.first?["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
    #expect(reasons.contains { $0.contains("changed in 7 commits (4 fixes)") && $0.contains("2 authors") })
    #expect(reasons.contains { $0.contains("TODO") })
    // The big file untouched in the window is no hotspot at all.
    #expect(!hotspots.contains { $0["path"]?.stringValue == "src/stable.py" })
    let history = try json(r)["signals"]?["history"]
    #expect(history?["commits"]?.intValue == 7)
    #expect(history?["fix_commits"]?.intValue == 4)
  }

  @Test func runTestsRecordsTheFailureAndFailOnFailingTestsExitsOne() async throws {
    let repo = try ScriptedRepository.standard()
    let r = try await analyze(["--json", "--no-model", "--run-tests"], in: repo.path)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let tests = try json(r)["signals"]?["tests"]
    #expect(tests?["passed"]?.boolValue == false)
    #expect(tests?["command"]?.stringValue == "make test")
    #expect(tests?["failing_tests"]?[0]?.stringValue == "tests/test_small.py::test_add")
    #expect(tests?["duration_ms"]?.intValue != nil)

    let failing = try await analyze(["--quiet", "--no-model", "--run-tests", "--fail-on", "failing-tests"], in: repo.path)
    #expect(failing.status == 1)
    #expect(failing.stdout.isEmpty)
    #expect(failing.stderr.contains("tests failing"))
  }

  @Test func withoutAKeyLocalSignalsAreStoredAndTheSessionIsLogged() async throws {
    let repo = try ScriptedRepository.standard()
    let r = try await analyze([], in: repo.path)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("Hotspots"))
    #expect(r.stdout.contains("model skipped (no ANTHROPIC_API_KEY)"))
    let session = try #require(try ledger.listSessions(SessionFilter(limit: 10)).first)
    #expect(session.systemType == .analyze)
    #expect(session.status == .success)
    let analysis = try #require(try ledger.latestAnalysis(workspace: session.workspace ?? ""))
    #expect(analysis.sessionID == session.id)
    #expect(analysis.signals?["hotspots"]?[0]?["path"]?.stringValue == "src/big.py")
    #expect(analysis.summary?["model"]?.stringValue == "skipped")
    let log = try await CLIRunner.run(["log"], env: ["ARRAKIS_DB": db], cwd: repo.path)
    #expect(log.status == 0)
    #expect(log.stdout.contains("analyze"))
  }

  @Test func theCurrentModelsAreAskedWithAutoToolChoiceNotForced() async throws {
    // Sonnet 5.5 (the default), Opus 5.5 and Fable 5.1 reject a forced tool_choice with a 400.
    for model in ["sonnet", "opus", "fable"] {
      let repo = try ScriptedRepository.standard()
      let server = try Self.modelServer()
      let r = try await analyze(["--json", "--model", model], in: repo.path, server: server, key: "sk-test")
      #expect(r.status == 0, "\(model): \(r.stderr)")
      let body = try #require(server.requests.first?.body)
      #expect(body["tool_choice"] == ["type": "auto"], "\(model)")
      #expect(try json(r)["improvements"]?.arrayValue?.count == 2, "\(model)")
    }
  }

  @Test func modelRankingForcesTheToolAndStoresRankedOpenImprovements() async throws {
    let repo = try ScriptedRepository.standard()
    let server = try Self.modelServer()
    // A model that accepts a forced tool_choice gets one.
    let r = try await analyze(["--json", "--model", "claude-sonnet-4-5"], in: repo.path, server: server, key: "sk-test")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let body = try #require(server.requests.first?.body)
    #expect(body["tool_choice"] == ["type": "tool", "name": "record_improvements"])
    #expect(body["tools"]?[0]?["name"]?.stringValue == "record_improvements")
    #expect(body["tools"]?[0]?["input_schema"]?["properties"]?["improvements"] != nil)
    let digest = body["messages"]?[0]?["content"]?[0]?["text"]?.stringValue ?? body["messages"]?[0]?["content"]?.stringValue ?? ""
    #expect(digest.contains("src/big.py"))
    #expect(digest.contains("TODO: split process()"))
    #expect(digest.contains("def process(items)"))  // the excerpt of the longest function

    let report = try json(r)
    let titles = report["improvements"]?.arrayValue?.compactMap { $0["title"]?.stringValue }
    #expect(titles == ["Add tests for big.py", "Split process() in big.py"])
    let stored = try ledger.improvements(analysisID: Int64(report["analysis_id"]?.intValue ?? -1))
    #expect(stored.map(\.title) == titles)
    #expect(stored.allSatisfy { $0.status == .open && $0.fingerprint != nil })
    let session = try #require(try ledger.listSessions(SessionFilter(limit: 1)).first)
    #expect(session.status == .success)
    #expect(session.inputTokens > 0)
    #expect(session.costUSD != nil)
  }

  @Test func malformedToolInputIsAClearErrorButTheLocalSignalsAreStored() async throws {
    let repo = try ScriptedRepository.standard()
    let bad: JSONValue = ["improvements": [
      ["title": "Do it", "rationale": "r", "files": ["src/big.py"], "category": "bug", "impact": 9, "risk": 1,
       "effort": "small", "acceptance": "a"],
    ]]
    let r = try await analyze([], in: repo.path, server: try Self.modelServer(bad), key: "sk-test")
    #expect(r.status == 8)
    #expect(r.stderr.contains("malformed record_improvements tool input: improvements[0].impact must be an integer 1–5, got 9"))
    #expect(r.stdout.contains("src/big.py"))  // the local report is still printed
    let session = try #require(try ledger.listSessions(SessionFilter(limit: 1)).first)
    #expect(session.status == .failed)
    #expect(session.exitCode == 8)
    let analysis = try #require(try ledger.latestAnalysis(workspace: session.workspace ?? ""))
    #expect(analysis.signals?["hotspots"]?[0]?["path"]?.stringValue == "src/big.py")
    #expect(analysis.summary?["model"]?.stringValue == "failed")
    #expect(try ledger.improvements(analysisID: analysis.id).isEmpty)
  }

  @Test func jsonHasTheDocumentedKeys() async throws {
    let repo = try ScriptedRepository.standard()
    let report = try json(try await analyze(["--json", "--no-model"], in: repo.path))
    let keys = Set(report.objectValue?.keys.map { $0 } ?? [])
    #expect(keys == ["analysis_id", "session_id", "workspace", "created_at", "summary", "signals", "model",
                     "improvements", "filtered_as_rolled_back", "failed_conditions", "warnings"])
    let signals = Set(report["signals"]?.objectValue?.keys.map { $0 } ?? [])
    #expect(signals.isSuperset(of: ["workspace", "is_git_repository", "head_commit", "branch", "window", "history",
                                    "hotspots", "tree", "test_command"]))
    #expect(report["signals"]?["tree"]?["marker_count"]?.intValue == 1)
  }

  @Test func markdownHasTheHeadings() async throws {
    let repo = try ScriptedRepository.standard()
    let r = try await analyze(["--markdown", "--no-model"], in: repo.path)
    #expect(r.status == 0)
    for heading in ["## arrakis analysis #", "### Hotspots", "### Markers", "### Tests", "### Languages", "### Improvements"] {
      #expect(r.stdout.contains(heading), "missing \(heading)")
    }
    #expect(r.stdout.contains("| 1 | `src/big.py` |"))
  }

  @Test func compareShowsANewHotspotAndMarkerAfterANewCommit() async throws {
    let repo = try ScriptedRepository.standard()
    #expect(try await analyze(["--quiet", "--no-model"], in: repo.path).status == 0)
    try repo.write("src/parser.py", ScriptedRepository.bigFunction(name: "parse", lines: 80) + "# FIXME: handle empty input\n")
    try repo.commit("add parser", daysAgo: 1)
    let r = try await analyze(["--json", "--no-model"], in: repo.path)
    let c = try #require(try json(r)["comparison"])
    #expect(c["new_hotspots"]?.arrayValue?.contains("src/parser.py") == true)
    #expect(c["markers_before"]?.intValue == 1)
    #expect(c["markers_after"]?.intValue == 2)
    #expect(c["new_markers"]?[0]?["path"]?.stringValue == "src/parser.py")
    let text = try await analyze(["--no-model"], in: repo.path)
    #expect(text.stdout.contains("Since analysis #2"))
    #expect(try await analyze(["--json", "--no-model", "--no-compare"], in: repo.path).stdout.contains("\"comparison\"") == false)
  }

  @Test func failOnNewMarkersExitsOneWhenAMarkerWasAdded() async throws {
    let repo = try ScriptedRepository.standard()
    #expect(try await analyze(["--quiet", "--no-model", "--fail-on", "new-markers"], in: repo.path).status == 0)
    #expect(try await analyze(["--quiet", "--no-model", "--fail-on", "new-markers"], in: repo.path).status == 0)
    try repo.append("src/small.py", "# HACK: temporary\n")
    let r = try await analyze(["--quiet", "--no-model", "--fail-on", "new-markers"], in: repo.path)
    #expect(r.status == 1)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains("new markers: src/small.py"))
    #expect(try await analyze(["--no-model", "--fail-on", "new-bugs"], in: repo.path).status == 2)
  }

  @Test func aHeldLockFailsFastWithTwelve() async throws {
    let repo = try ScriptedRepository.standard()
    try FileManager.default.createDirectory(atPath: repo.path + "/.git/arrakis", withIntermediateDirectories: true)
    let fd = open(repo.path + "/.git/arrakis/analyze.lock", O_RDWR | O_CREAT, 0o644)
    #expect(flock(fd, LOCK_EX) == 0)
    defer { close(fd) }
    // Exit 12 (rather than the runner's kill after its timeout) is what shows it did not wait.
    let r = try await analyze(["--no-model"], in: repo.path)
    #expect(r.status == 12)
    #expect(r.stderr.contains("another analyze is running on"))
    let session = try #require(try ledger.listSessions(SessionFilter(limit: 1)).first)
    #expect(session.status == .failed)
  }

  @Test func aRolledBackImprovementWithUnchangedFilesIsFilteredOut() async throws {
    let repo = try ScriptedRepository.standard()
    #expect(try await analyze(["--quiet"], in: repo.path, server: try Self.modelServer(), key: "sk-test").status == 0)
    let first = try #require(try ledger.improvements(status: .open).first { $0.title == "Add tests for big.py" })
    try ledger.setImprovementStatus(id: first.id, status: .rolledBack)

    let server = try Self.modelServer()
    let r = try await analyze(["--json"], in: repo.path, server: server, key: "sk-test")
    #expect(r.status == 0, "stderr: \(r.stderr)")
    let report = try json(r)
    #expect(report["improvements"]?.arrayValue?.compactMap { $0["title"]?.stringValue } == ["Split process() in big.py"])
    #expect(report["filtered_as_rolled_back"] == ["Add tests for big.py"])
    let digest = server.requests.first?.body?["messages"]?[0]?["content"]?[0]?["text"]?.stringValue ?? ""
    #expect(digest.contains("Rolled back before"))
    #expect(digest.contains("Add tests for big.py"))

    // Once the file changed, the same proposal is welcome again.
    try repo.append("src/big.py", "\ndef extra():\n    pass\n")
    let again = try json(try await analyze(["--json"], in: repo.path, server: try Self.modelServer(), key: "sk-test"))
    #expect(again["improvements"]?.arrayValue?.count == 2)
  }

  @Test func aPlainDirectoryGetsTreeSignalsOnlyAndAMissingPathIsAUsageError() async throws {
    let plain = TempDir("analyze-plain")
    try plain.write("main.py", "# TODO: everything\nprint('hi')\n")
    let r = try await analyze(["--no-model"], in: plain.path)
    #expect(r.status == 0, "stderr: \(r.stderr)")
    #expect(r.stdout.contains("not a git repository: tree signals only"))
    #expect(r.stdout.contains("Markers: 1"))
    let missing = try await analyze(["--no-model", plain.path + "/nope"], in: plain.path)
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("no such directory"))
    #expect(try ledger.listSessions(SessionFilter(limit: 10)).first?.status == .failed)
  }

  func storedCommits() throws -> Int {
    guard case .integer(let count)? = try SQLiteDatabase(filename: db).value("SELECT count(*) FROM commit_stats") else { return -1 }
    return Int(count)
  }

  /// The report's signals without the timings, which differ from run to run.
  static func withoutTimings(_ value: JSONValue?) -> JSONValue? {
    switch value {
    case .object(let o)?: return .object(o.filter { $0.key != "duration_ms" }.mapValues { withoutTimings($0) ?? .null })
    case .array(let a)?: return .array(a.map { withoutTimings($0) ?? .null })
    default: return value
    }
  }

  /// The per-commit statistics analyze keeps in the ledger change nothing in its report: a cold run, a
  /// warm run and a run after new commits print the signals `--no-cache` prints; pipes see no progress.
  @Test func theCommitCacheChangesNothingInTheReport() async throws {
    let repo = TempDir("analyze-cache")
    try HistoryFixture.make(at: repo.path, commits: 120, endingDaysAgo: 2)
    let args = ["--json", "--no-model", "--no-compare", "--since", "2000-01-01"]
    func signals(_ extra: [String] = []) async throws -> JSONValue? {
      let r = try await analyze(args + extra, in: repo.path)
      #expect(r.status == 0, "stderr: \(r.stderr)")
      #expect(r.stderr.isEmpty, "\(r.stderr.debugDescription)")
      return Self.withoutTimings(try json(r)["signals"])
    }
    let noCache = try await signals(["--no-cache"])
    #expect(noCache?["history"]?["commits"]?.intValue == 122)  // 120 on main (the merge skipped), 2 on the side branch
    #expect(try storedCommits() == 0)
    let cold = try await signals()
    #expect(try storedCommits() == 122)
    let warm = try await signals()
    #expect(cold == noCache)
    #expect(warm == noCache)

    try GitFixture.sh("printf 'more\\n' >> src/mod3.swift && git add -A && git commit -qm 'fix: later'", cwd: repo.path)
    let after = try await signals()
    let afterNoCache = try await signals(["--no-cache"])
    #expect(after == afterNoCache)
    #expect(after?["history"]?["commits"]?.intValue == 123)
    #expect(try storedCommits() == 123)
    #expect(after != warm)
  }
}
