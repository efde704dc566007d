import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
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
      let db = try ledger.existing()
      var report: PruneReport?
      var space: SpaceReclaimed?
      let sizeBefore = db.sizeOnDisk()
      let run = { () throws -> String in
        let r = try db.prune(before: cutoff, dryRun: dryRun)
        report = r
        let counts = "\(r.sessions) sessions: \(r.messages) messages, \(r.toolOperations) tool operations"
        if dryRun {
          return "would prune \(counts); the ledger is \(Format.bytes(sizeBefore.bytes))"
        }
        // Pruning only frees pages inside the file; VACUUM gives them back to the disk.
        let s = try db.reclaimSpace(before: sizeBefore)
        space = s
        return "pruned \(counts); freed \(Format.bytes(s.freedBytes)), the ledger is now \(Format.bytes(s.after.bytes))"
      }
      // A dry run changes nothing, so it leaves no session behind either.
      let summary = dryRun ? try run() : try LogRun.record(db, prompt: "prune --older-than \(olderThan)", run)
      if json {
        Output.out(try JSONOutput.string(PruneOutput(report: report, space: space)) + "\n")
      } else {
        Output.out(summary + "\n")
      }
    }
  }
}

/// `log prune --json`: the prune report's fields, plus the space given back (absent in a dry run).
struct PruneOutput: Encodable {
  var report: PruneReport?
  var space: SpaceReclaimed?

  func encode(to encoder: Encoder) throws {
    try report?.encode(to: encoder)
    if let space {
      var c = encoder.container(keyedBy: Key.self)
      try c.encode(space.freedBytes, forKey: .freedBytes)
      try c.encode(space.after.bytes, forKey: .ledgerBytes)
    }
  }
  enum Key: String, CodingKey { case freedBytes, ledgerBytes }
}

