import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
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
      let db = try ledger.existing()
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
