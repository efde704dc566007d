import Foundation
import Testing
@testable import Workflows

/// The rules behind improve's memory of its attempts: what counts as the same goal, which earlier outcome
/// refuses a repeat, and the bounds of the "previously tried" section.
@Suite struct PriorAttemptsTests {
  func attempt(_ n: Int, _ outcome: PriorAttempt.Outcome, base: String = "abc", cause: String? = nil) -> PriorAttempt {
    PriorAttempt(
      sessionId: String(format: "%08d-session", n), startedAt: Date(timeIntervalSince1970: Double(1_800_000_000 - n * 3600)),
      baseCommit: base, outcome: outcome, cause: cause, files: ["Sources/File\(n).swift"])
  }

  @Test func goalsDifferingOnlyInCaseSpacingAndAFullStopAreTheSame() {
    #expect(PriorAttempts.normalise("  Simplify\tthe  Parser. ") == PriorAttempts.normalise("simplify the parser"))
    #expect(PriorAttempts.normalise("simplify the parser") != PriorAttempts.normalise("simplify the lexer"))
  }

  @Test func onlyAFailedNewestAttemptAtTheSameCommitRefuses() {
    #expect(PriorAttempts.refusal([attempt(1, .redGate)], baseline: "abc")?.status == .incomplete)
    #expect(PriorAttempts.refusal([attempt(1, .tampered), attempt(2, .kept)], baseline: "abc") != nil)
    #expect(PriorAttempts.refusal([attempt(1, .redGate, base: "old")], baseline: "abc") == nil)
    #expect(PriorAttempts.refusal([attempt(1, .kept), attempt(2, .redGate)], baseline: "abc") == nil)
    #expect(PriorAttempts.refusal([attempt(1, .incomplete)], baseline: "abc") == nil)
    #expect(PriorAttempts.refusal([attempt(1, .rolledBackByUser)], baseline: "abc")?.message.contains("00000001") == true)
  }

  @Test func theSectionShowsAtMostThreeNewestFirstInAbout1500Characters() throws {
    let long = String(repeating: "FAIL something important ", count: 200)
    let attempts = (1...5).map { attempt($0, .redGate, cause: long) }
    let section = try #require(PriorAttempts.section(attempts, baseline: "abc"))
    #expect(section.count <= 1600)
    #expect(section.components(separatedBy: "\n- ").count - 1 == 3)
    let first = try #require(section.range(of: "00000001")), second = try #require(section.range(of: "00000002"))
    #expect(first.lowerBound < second.lowerBound)
    #expect(section.contains("2 older attempt(s) not shown"))
    #expect(PriorAttempts.section([], baseline: "abc") == nil)
  }
}
