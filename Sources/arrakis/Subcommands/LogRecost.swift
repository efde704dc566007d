import ArgumentParser
import ArrakisCore
import Claude
import FoundationEssentials
import Glibc
import Ledger

struct LogRecost: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recost",
    abstract: "Price recorded sessions again with the current price table and your configured prices.",
    discussion: """
      Each model call is priced from the tokens it recorded, at the prices in force on the session's start \
      date (see `arrakis models`; `prices` in config.toml overrides them). Only the sessions' costs change; \
      tokens, transcripts and everything else stay as recorded, and this run records no session of its own.
      """)

  @Option(name: .long, help: ArgumentHelp("Only sessions since: 90.days, 12h, 2026-11-01 (default: all).", valueName: "when"))
  var since: String?

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  @OptionGroup var ledger: LedgerOptions

  func run() async throws {
    try await reportingErrors(json: json) {
      let cutoff = try since.map { try TimeWindow.parseSince($0) }
      _ = try RunConfiguration.load(flags: [:], workspaceRoot: Workspace.detect(from: FileManager.default.currentDirectoryPath).root)
      let db = try ledger.existing()
      let (examined, changed) = try db.recost(since: cutoff) { model, usage, start in
        Pricing.recordedCost(model: model ?? "", usage: Usage(json: usage), on: start)
      }
      let unknown = changed.filter { $0.after == nil }.count
      if json {
        let rows: [JSONValue] = changed.map {
          ["session_id": .string($0.sessionID), "before": $0.before.map(JSONValue.number) ?? .null,
           "after": $0.after.map(JSONValue.number) ?? .null]
        }
        Output.out(JSONValue.object(["examined": .number(Double(examined)), "changed": .array(rows)]).serialized() + "\n")
        return
      }
      for c in changed {
        Output.out("\(c.sessionID.prefix(8))  \(Format.cost(c.before)) → \(Format.cost(c.after))\n")
      }
      var summary = "re-priced \(examined) session\(examined == 1 ? "" : "s"): \(changed.count) changed"
      if unknown > 0 { summary += ", \(unknown) now of unknown cost (a model without a price; see arrakis models)" }
      Output.err(summary + "\n")
    }
  }
}
