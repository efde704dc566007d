import Testing

@testable import Workflows

@Suite struct HotspotsTests {
  func file(_ path: String, lines: Int, function: FunctionSpan? = nil) -> FileSignals {
    FileSignals(path: path, language: "swift", bytes: lines * 30, lines: lines, codeLines: lines, isTest: false,
                longestFunction: function, markerCount: 0)
  }

  var signals: TreeSignals {
    let files = [
      file("Sources/Big.swift", lines: 1240, function: FunctionSpan(name: "foo", startLine: 10, length: 180)),
      file("Sources/Stable.swift", lines: 1500),
      file("Sources/Small.swift", lines: 30),
      file("Sources/Quiet.swift", lines: 400),
    ].sorted { $0.path < $1.path }
    let markers = [
      Marker(path: "Sources/Big.swift", line: 3, kind: .todo, text: "TODO: a"),
      Marker(path: "Sources/Big.swift", line: 9, kind: .todo, text: "TODO: b"),
      Marker(path: "Sources/Big.swift", line: 90, kind: .todo, text: "TODO: c"),
      Marker(path: "Sources/Small.swift", line: 1, kind: .fixme, text: "FIXME"),
      Marker(path: "Sources/Small.swift", line: 2, kind: .hack, text: "HACK"),
    ]
    return TreeSignals(root: "/r", files: files, markers: markers, untestedSources: ["Sources/Big.swift"],
                       languages: [:], skipped: SkipCounts(), durationMs: 0)
  }

  @Test func churnySizeableFilesWithFixesRankFirst() throws {
    let churn = [
      FileChurn(path: "Sources/Stable.swift", commits: 1, linesAdded: 3, linesDeleted: 1, authors: ["a"]),
      FileChurn(path: "Sources/Small.swift", commits: 20, linesAdded: 300, linesDeleted: 280, fixCommits: 2, authors: ["a"]),
      FileChurn(path: "Sources/Big.swift", commits: 14, linesAdded: 600, linesDeleted: 420, fixCommits: 6, authors: ["a", "b", "c"]),
      FileChurn(path: "Sources/Deleted.swift", commits: 50, linesAdded: 5000, linesDeleted: 5000),
    ]
    let ranked = Hotspots.rank(churn: churn, signals: signals)
    try #require(ranked.map(\.path) == ["Sources/Big.swift", "Sources/Small.swift", "Sources/Stable.swift"])
    #expect(ranked[0].score == 1)
    #expect(ranked[1].score < 1 && ranked[2].score < ranked[1].score)
    #expect(ranked[0].reasons == [
      "changed in 14 commits (6 fixes) in the window by 3 authors",
      "+600/−420 lines",
      "1,240 lines; longest function foo() 180 lines",
      "3 TODO markers",
      "no tests",
    ])
    #expect(ranked[1].reasons.contains("2 markers (1 FIXME, 1 HACK)"))
    #expect(ranked[2].reasons.first == "changed in 1 commit in the window")
  }

  @Test func deterministicTiesAndLimits() throws {
    let churn = ["Sources/Quiet.swift", "Sources/Big.swift"].map {
      FileChurn(path: $0, commits: 2, linesAdded: 10, linesDeleted: 0)
    }
    let ranked = Hotspots.rank(churn: churn, signals: signals, limit: 1)
    try #require(ranked.count == 1)
    #expect(ranked[0].path == "Sources/Big.swift")  // bigger file wins at equal churn
    #expect(Hotspots.rank(churn: [], signals: signals).isEmpty)
    #expect(Hotspots.grouped(1_234_567) == "1,234,567")
    #expect(Hotspots.grouped(999) == "999")
  }

  @Test func coChangedPairs() {
    let commits = [
      ["a.swift", "b.swift", "c.swift"],
      ["b.swift", "a.swift"],
      ["a.swift", "b.swift", "a.swift"],
      ["c.swift", "d.swift"],
      ["c.swift", "d.swift"],
      ["e.swift", "f.swift"],
      (0..<100).map { "mass\($0).swift" } + ["e.swift", "f.swift"],
    ]
    let pairs = Hotspots.coChanges(commits: commits)
    #expect(pairs == [CoChange(a: "a.swift", b: "b.swift", count: 3), CoChange(a: "c.swift", b: "d.swift", count: 2)])
    #expect(Hotspots.coChanges(commits: commits, limit: 1).count == 1)
  }
}
