import Foundation
import Ledger
import SQLite
import TestSupport
import Testing

/// A tool call that ran but could not be recorded stops the run with exit 9 and says what is missing,
/// instead of going on with a hole in the ledger. The failing write is real: a trigger in the ledger file
/// refuses tool_operations rows, as a full disk or a lost lock would.
@Suite struct RecordLossTests {
  let dir = TempDir("record-loss")

  @Test func aToolOperationThatCannotBeRecordedStopsTheRunWithExit9() async throws {
    let db = dir.file("ledger.db")
    _ = try Ledger.open(path: db)
    let raw = try SQLiteDatabase(filename: db)
    try raw.transaction(.immediate) {
      try raw.execute("CREATE TRIGGER refuse BEFORE INSERT ON tool_operations BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END")
    }
    raw.close()
    try GitFixture.sh("git init -q", cwd: dir.path)
    let marker = dir.file("ran.txt")
    try dir.write("turns.jsonl", #"""
      [{"type":"tool_use","id":"b1","name":"Bash","input":{"command":"echo ran > \#(marker)"}}]
      [{"type":"text","text":"never reached"}]

      """#)
    let r = try await CLIRunner.run(
      ["code", "--sandbox", "policy", "--permission", "full-access", "--replay", dir.file("turns.jsonl"), "x"],
      env: ["ARRAKIS_DB": db], cwd: dir.path)
    #expect(r.status == 9, "status \(r.status): \(r.stderr)")
    #expect(FileManager.default.fileExists(atPath: marker), "the call did not run")
    #expect(r.stderr.contains("Bash call that ran"), "\(r.stderr)")
    #expect(r.stderr.contains("could not be recorded"))
    #expect(!r.stdout.contains("never reached"))
    let ledger = try Ledger.open(path: db)
    let s = try #require(try ledger.listSessions().first)
    #expect(s.status == .failed)
    #expect(s.error?.contains("could not be recorded") == true)
  }
}
