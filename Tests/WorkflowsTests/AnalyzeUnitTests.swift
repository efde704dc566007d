import ArrakisCore
import Foundation
import Ledger
import Testing

@testable import Workflows

@Suite struct ImprovementToolTests {
  static let good: JSONValue = [
    "title": "Add tests", "rationale": "r", "files": ["a.swift"], "category": "test", "impact": 4, "risk": 2,
    "effort": "small", "acceptance": "swift test",
  ]

  func input(_ item: JSONValue) -> JSONValue { ["improvements": [item]] }

  func error(_ input: JSONValue) -> String? {
    do { _ = try ImprovementTool.parse(input); return nil } catch let e as ArrakisError {
      #expect(e.status == .protocolError)
      return e.message
    } catch { return "\(error)" }
  }

  @Test func aValidInputParses() throws {
    let items = try ImprovementTool.parse(input(Self.good))
    #expect(items == [ProposedImprovement(title: "Add tests", rationale: "r", files: ["a.swift"], category: "test",
                                          impact: 4, risk: 2, effort: "small", acceptance: "swift test")])
  }

  @Test func eachViolationIsNamed() {
    var o = Self.good.objectValue!
    #expect(error(.string("x"))?.contains("the input is not an object") == true)
    #expect(error(["improvements": "x"])?.contains("'improvements' is not an array") == true)
    #expect(error(["other": []])?.contains("unexpected field 'other'") == true)
    o["impact"] = 0
    #expect(error(input(.object(o)))?.contains("improvements[0].impact must be an integer 1–5, got 0") == true)
    o["impact"] = 4; o["category"] = "style"
    #expect(error(input(.object(o)))?.contains("improvements[0].category must be one of bug, test") == true)
    o["category"] = "bug"; o["files"] = []
    #expect(error(input(.object(o)))?.contains("improvements[0].files is empty") == true)
    o["files"] = ["a"]; o["title"] = nil
    #expect(error(input(.object(o)))?.contains("improvements[0].title is missing") == true)
    o["title"] = "t"; o["colour"] = "red"
    #expect(error(input(.object(o)))?.contains("unexpected field 'colour'") == true)
  }

  @Test func rankingIsImpactThenRiskThenEffort() {
    func p(_ t: String, _ i: Int, _ r: Int, _ e: String) -> ProposedImprovement {
      ProposedImprovement(title: t, rationale: "", files: ["f"], category: "bug", impact: i, risk: r, effort: e, acceptance: "")
    }
    let ranked = ImprovementTool.ranked([p("a", 3, 1, "small"), p("b", 5, 4, "large"), p("c", 5, 2, "large"), p("d", 5, 2, "small")])
    #expect(ranked.map(\.title) == ["d", "c", "b", "a"])
  }
}

@Suite struct AnalyzeHelperTests {
  @Test func fixCommitsAreWordish() {
    for m in ["fix: crash", "Fixes #12", "fixed typo", "Revert \"x\"", "bugfix in parser", "a regression", "hotfix"] {
      #expect(FixCommit.matches(m), "\(m)")
    }
    for m in ["add prefix option", "debugger support", "suffix handling", "refactor"] { #expect(!FixCommit.matches(m), "\(m)") }
  }

  @Test func fingerprintFollowsTitleFilesAndContent() throws {
    let tree = try TempTree()
    try tree.write("a.swift", "let a = 1\n")
    let one = Fingerprint.of(title: "Split  Foo!", files: ["a.swift"], root: tree.root)
    #expect(one == Fingerprint.of(title: "split foo", files: ["a.swift", "a.swift"], root: tree.root))
    #expect(one != Fingerprint.of(title: "split bar", files: ["a.swift"], root: tree.root))
    try tree.write("a.swift", "let a = 2\n")
    let changed = Fingerprint.of(title: "Split Foo", files: ["a.swift"], root: tree.root)
    #expect(changed != one)
    #expect(changed.split(separator: ".")[0] == one.split(separator: ".")[0])
  }

  @Test func aSecondLockHolderFailsFastWithTwelve() throws {
    let tree = try TempTree()
    let first = RepositoryLock(name: "analyze", gitCommonDir: tree.root)
    try first.acquire(wait: false, repository: "repo")
    // flock locks belong to the open file description, so a second open in the same process conflicts too.
    let second = RepositoryLock(name: "analyze", gitCommonDir: tree.root)
    #expect(throws: ArrakisError.self) { try second.acquire(wait: false, repository: "repo") }
    do { try second.acquire(wait: false, repository: "repo") } catch let e as ArrakisError {
      #expect(e.status == .locked)
      #expect(e.message == "another analyze is running on repo")
    }
    first.release()
    try second.acquire(wait: false, repository: "repo")
    #expect(second.isHeld)
  }

  @Test func topOpenImprovementTakesTheBestOfTheNewestAnalysis() throws {
    let tree = try TempTree()
    let ledger = try Ledger.open(path: tree.root + "/l.db")
    let old = try ledger.insertAnalysis(sessionID: nil, workspace: "/w", headCommit: nil, signals: nil, summary: nil,
                                        createdAt: Date(timeIntervalSinceNow: -60))
    let new = try ledger.insertAnalysis(sessionID: nil, workspace: "/w", headCommit: nil, signals: nil, summary: nil)
    try ledger.insertImprovements([
      ImprovementRow(id: "o1", analysisID: old, title: "old best", impact: "5", risk: "1", effort: "small"),
      ImprovementRow(id: "n1", analysisID: new, title: "medium", impact: "3", risk: "1", effort: "small"),
      ImprovementRow(id: "n2", analysisID: new, title: "best", impact: "5", risk: "2", effort: "large"),
      ImprovementRow(id: "n3", analysisID: new, title: "riskier", impact: "5", risk: "4", effort: "small"),
    ])
    #expect(try ledger.topOpenImprovement(workspace: "/w")?.id == "n2")
    try ledger.setImprovementStatus(id: "n2", status: .attempted)
    #expect(try ledger.topOpenImprovement(workspace: "/w")?.id == "n3")
    #expect(try ledger.topOpenImprovement(workspace: "/elsewhere") == nil)
  }
}
