import ArgumentParser
import ArrakisCore
import Foundation
import Ledger

struct LogBackup: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backup", abstract: "Write a consistent copy of the ledger to FILE, also while other runs write to it.")

  @Argument(help: "The copy to write.")
  var file: String

  @Flag(name: .long, help: "Overwrite FILE if it exists.")
  var force = false

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors {
      guard let db = try ledger.openIfExists() else {
        throw ArrakisError(.usage, "no ledger at \(ledger.path)", hint: "check --db / $ARRAKIS_DB")
      }
      let target = URL(fileURLWithPath: file).standardizedFileURL.path
      guard target != URL(fileURLWithPath: ledger.path).standardizedFileURL.path else {
        throw ArrakisError(.usage, "the backup cannot be the ledger itself", hint: "name another file")
      }
      if force { try? FileManager.default.removeItem(atPath: target) }
      try LogRun.record(db, prompt: "backup to \(target)") {
        try db.backup(to: target)
        return "backed up to \(target)"
      }
      Output.err("backed up \(ledger.path) to \(target)\n")
    }
  }
}

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
      guard let db = try ledger.openIfExists() else {
        throw ArrakisError(.usage, "no ledger at \(ledger.path)", hint: "check --db / $ARRAKIS_DB")
      }
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

/// Maintenance commands are runs like any other: a `log` session says what was done (exit_reason) or why not.
enum LogRun {
  @discardableResult
  static func record(_ db: Ledger, prompt: String, _ body: () throws -> String) throws -> String {
    let id = try db.startSession(NewSession(systemType: .log, workspace: nil, prompt: prompt))
    do {
      let done = try body()
      try db.finishSession(id: id, status: .success, exitCode: 0, exitReason: done)
      return done
    } catch let error as ArrakisError {
      try? db.finishSession(id: id, status: .failed, error: error.message, exitCode: Int(error.status.rawValue))
      throw error
    }
  }
}
