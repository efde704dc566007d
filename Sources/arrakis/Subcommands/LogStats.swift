import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

struct LogStats: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats",
    abstract: "Runs, success, latency, tokens and cost per subcommand; tool failure rates; self-modification outcomes.")

  @Option(name: .long, help: ArgumentHelp("Window start: 30.days (default), 12h, 2026-11-01.", valueName: "when"))
  var since = "30.days"

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  @Option(name: .long, help: ArgumentHelp("Also write a self-contained HTML page with charts to this file.", valueName: "file"))
  var html: String?

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors(json: json) {
      let from = try TimeWindow.parseSince(since)
      let db = try ledger.openReadOnly()
      let stats = try db?.stats(since: from) ?? .empty(since: from)
      let size = db?.sizeOnDisk()
      if let html { try write(StatsHTML.render(stats), to: html) }
      if json {
        Output.out(try JSONOutput.string(StatsOutput(stats: stats, size: size)) + "\n")
      } else {
        Output.out(StatsText.render(stats, sparklines: isatty(STDOUT_FILENO) == 1))
        Output.out("\nledger: \(ledger.path), " + (size.map(StatsText.size) ?? "not created yet") + "\n")
      }
    }
  }

  func write(_ page: String, to file: String) throws {
    var isDirectory: Bool = false
    if FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory {
      throw ArrakisError(.usage, "cannot write the stats page to \(file): it is a folder", hint: "name a file, e.g. \(file)/stats.html")
    }
    do {
      try page.write(toFile: file, atomically: true, encoding: .utf8)
    } catch {
      throw ArrakisError(.usage, "cannot write the stats page to \(file): \(FileProblem.reason(error))", hint: "check that its folder exists and is writable")
    }
  }
}

/// `log stats --json`: the figures, plus the ledger's size on disk.
struct StatsOutput: Encodable {
  var stats: LedgerStats
  var size: LedgerSize?

  func encode(to encoder: Encoder) throws {
    try stats.encode(to: encoder)
    var c = encoder.container(keyedBy: Key.self)
    try c.encode(size?.bytes, forKey: .ledgerBytes)
    try c.encode(size?.freeBytes, forKey: .ledgerFreeBytes)
  }
  enum Key: String, CodingKey { case ledgerBytes, ledgerFreeBytes }
}
