import ArgumentParser
import ArrakisCore
import Foundation
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
      let stats = try Ledger.openReadOnly(path: ledger.path)?.stats(since: from) ?? .empty(since: from)
      if let html {
        do {
          try StatsHTML.render(stats).write(toFile: html, atomically: true, encoding: .utf8)
        } catch {
          throw ArrakisError(.usage, "cannot write \(html): \(error.localizedDescription)", hint: "check that the directory exists and is writable")
        }
      }
      if json {
        Output.out(try JSONOutput.string(stats) + "\n")
      } else {
        Output.out(StatsText.render(stats, sparklines: isatty(STDOUT_FILENO) == 1))
      }
    }
  }
}
