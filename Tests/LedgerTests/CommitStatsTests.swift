import Foundation
import Testing

@testable import Ledger

/// The `commit_stats` table analyze keeps: what is stored reads back the same, keyed by commit and variant.
@Suite struct CommitStatsTests {
  static let files = [
    CommitFileStat(path: "src/a.swift", additions: 12, deletions: 3, isBinary: false),
    CommitFileStat(path: "assets/logo.png", additions: 0, deletions: 0, isBinary: true),
    CommitFileStat(path: "docs/with\ttab and ünïcode.md", additions: 0, deletions: 40, isBinary: false),
  ]

  @Test(arguments: engines) func storedStatisticsReadBackByCommitAndVariant(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let a = CommitStats(commitID: String(repeating: "a", count: 40), parentID: String(repeating: "b", count: 40), files: Self.files)
    let root = CommitStats(commitID: String(repeating: "c", count: 40), parentID: nil, files: [])
    try ledger.storeCommitStats([a, root], variant: "v1")
    let found = try ledger.commitStats([a.commitID, root.commitID, String(repeating: "d", count: 40)], variant: "v1")
    #expect(found == [a.commitID: a, root.commitID: root])
    #expect(try ledger.commitStats([a.commitID], variant: "v2").isEmpty)

    // Storing again replaces.
    var changed = a
    changed.files.removeLast()
    try ledger.storeCommitStats([changed], variant: "v1")
    #expect(try ledger.commitStats([a.commitID], variant: "v1")[a.commitID] == changed)
  }

  /// More ids than one query binds, as a long window asks for.
  @Test(arguments: engines) func manyIdsAreReadInBatches(engine: TestEngine) throws {
    let ledger = try freshLedger(engine)
    let all = (0..<1_234).map { i in
      CommitStats(commitID: String(format: "%040x", i), parentID: nil,
                  files: [CommitFileStat(path: "f\(i)", additions: i, deletions: 1, isBinary: false)])
    }
    try ledger.storeCommitStats(all, variant: "v1")
    let found = try ledger.commitStats(all.map(\.commitID), variant: "v1")
    #expect(found.count == all.count)
    #expect(found[String(format: "%040x", 1_000)]?.files.first?.additions == 1_000)
  }

  /// A damaged row is a miss (the commit is diffed again), not a failed analysis.
  @Test func anUnreadableRowIsAMiss() throws {
    let path = tempLedgerPath()
    let ledger = try Ledger.open(path: path)
    let id = String(repeating: "e", count: 40)
    try ledger.storeCommitStats([CommitStats(commitID: id, parentID: nil, files: Self.files)], variant: "v1")
    try writing(try rawFile(path)) { try $0.execute(sql: "UPDATE commit_stats SET files = x'6e6f7420612073746174' WHERE commit_id = ?", arguments: [id]) }
    #expect(try Ledger.open(path: path).commitStats([id], variant: "v1").isEmpty)
  }
}
