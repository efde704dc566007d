import ArgumentParser
import ArrakisCore
import Foundation
import Ledger

struct LogPrune: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "prune",
    abstract: "Drop transcript bodies of old sessions; sessions, tokens, costs and durations are kept.")

  @Option(name: .long, help: ArgumentHelp("Prune sessions older than this: 30.days, 12w, 2026-01-01.", valueName: "age"))
  var olderThan: String

  @Flag(name: .long, help: "Only count what would be pruned.")
  var dryRun = false

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors(json: json) {
      let cutoff = try TimeWindow.parseSince(olderThan)
      guard let db = try Ledger.openIfExists(path: ledger.path) else {
        throw ArrakisError(.usage, "no ledger at \(ledger.path)", hint: "check --db / $ARRAKIS_DB")
      }
      var report: PruneReport?
      let run = { () throws -> String in
        let r = try db.prune(before: cutoff, dryRun: dryRun)
        report = r
        return "\(dryRun ? "would prune" : "pruned") \(r.sessions) sessions: \(r.messages) messages, \(r.toolOperations) tool operations"
      }
      // A dry run changes nothing, so it leaves no session behind either.
      let summary = dryRun ? try run() : try LogRun.record(db, prompt: "prune --older-than \(olderThan)", run)
      if json { Output.out(try JSONOutput.string(report) + "\n") } else { Output.out(summary + "\n") }
    }
  }
}
