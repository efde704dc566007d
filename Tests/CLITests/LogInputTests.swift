import Foundation
import Ledger
import TestSupport
import Testing

/// Bad values and empty results of `arrakis log`, and what its maintenance commands say.
@Suite struct LogInputTests {
  let dir = TempDir("loginput")
  var db: String { dir.file("ledger.db") }

  func log(_ args: [String]) async throws -> CLIResult {
    try await CLIRunner.run(["log"] + args, env: ["ARRAKIS_DB": db], cwd: dir.path)
  }

  func seed(_ count: Int = 2, body: String = "how does rebase onto work") throws {
    let ledger = try Ledger.open(path: db)
    for _ in 0..<count {
      let id = try ledger.startSession(NewSession(systemType: .ask, workspace: dir.path, prompt: "q"))
      _ = try ledger.appendMessage(sessionID: id, role: "user", content: [["type": "text", "text": .string(body)]], text: body)
      try ledger.finishSession(id: id, status: .success)
    }
  }

  @Test(arguments: [("2026-13-45", "no month 13"), ("2026-02-30", "2026-02 has 28 days"), ("2024-02-30", "2024-02 has 29 days")])
  func impossibleDatesAreExit2NamingTheValue(value: String, why: String) async throws {
    try seed()
    for args in [["--since", value], ["stats", "--since", value], ["prune", "--older-than", value, "--dry-run"]] {
      let r = try await log(args)
      #expect(r.status == 2, "\(args): \(r.stderr)")
      #expect(r.stderr.contains("'\(value)' is not a date"), "\(r.stderr)")
      #expect(r.stderr.contains(why), "\(r.stderr)")
    }
    #expect(try await log(["--since", "2024-02-29", "--json"]).status == 0)
  }

  @Test func aFilterMatchingNothingSaysSo() async throws {
    try seed()
    let r = try await log(["--system", "code", "--since", "1.day"])
    #expect(r.status == 0)
    #expect(r.stderr.contains("no sessions match --system code --since 1.day"), "\(r.stderr)")
    #expect(r.stderr.contains("holds 2"))
    let empty = TempDir("loginput-empty")
    let none = try await CLIRunner.run(["log", "--system", "code"], env: ["ARRAKIS_DB": empty.file("x.db")], cwd: dir.path)
    #expect(none.stderr.contains("no sessions recorded"), "\(none.stderr)")
  }

  @Test func statsHTMLToAFolderIsAPlainError() async throws {
    try seed()
    try FileManager.default.createDirectory(atPath: dir.file("out"), withIntermediateDirectories: true)
    let r = try await log(["stats", "--html", dir.file("out")])
    #expect(r.status == 2)
    #expect(r.stderr.contains("cannot write the stats page to \(dir.file("out")): it is a folder"), "\(r.stderr)")
    #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    let missing = try await log(["stats", "--html", dir.file("nowhere/stats.html")])
    #expect(missing.status == 2)
    #expect(!missing.stderr.contains("NSCocoaErrorDomain") && !missing.stderr.contains("Error Domain"), "\(missing.stderr)")
  }

  @Test func backupToAMissingFolderBlamesTheFolderNotTheLedger() async throws {
    try seed()
    let r = try await log(["backup", dir.file("nowhere/copy.db")])
    #expect(r.status == 2, "\(r.stderr)")
    #expect(r.stderr.contains("the folder \(dir.file("nowhere")) does not exist"), "\(r.stderr)")
    #expect(!r.stderr.contains("--db") && !r.stderr.contains("ARRAKIS_DB"), "\(r.stderr)")
  }

  @Test func pruneGivesTheSpaceBackAndStatsShowTheSize() async throws {
    // ~4 MB of transcript bodies.
    try seed(40, body: String(repeating: "lorem ipsum dolor sit amet ", count: 4_000))
    let before = try await log(["stats", "--json"])
    let stats = try #require(try JSONSerialization.jsonObject(with: Data(before.stdout.utf8)) as? [String: Any])
    let sizeBefore = try #require(stats["ledger_bytes"] as? Int)
    #expect(sizeBefore > 3_000_000)
    #expect(try await log(["stats"]).stdout.contains("ledger: \(db), "))
    let pruned = try await log(["prune", "--older-than", "2099-01-01"])
    #expect(pruned.status == 0, "\(pruned.stderr)")
    #expect(pruned.stdout.contains("pruned 40 sessions"), "\(pruned.stdout)")
    #expect(pruned.stdout.contains("freed "), "\(pruned.stdout)")
    let onDisk = { (p: String) in ((try? FileManager.default.attributesOfItem(atPath: p))?[.size] as? NSNumber)?.intValue ?? 0 }
    let sizeAfter = onDisk(db) + onDisk(db + "-wal")
    #expect(sizeAfter < sizeBefore / 4, "before \(sizeBefore), after \(sizeAfter)")
    let json = try await log(["prune", "--older-than", "2099-01-01", "--json"])
    let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(obj["freed_bytes"] is Int)
    #expect(obj["ledger_bytes"] is Int)
  }
}
