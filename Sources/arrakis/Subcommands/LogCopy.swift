import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// `arrakis log copy`: every record of one ledger into another, SQLite file or PostgreSQL database, e.g. a
/// laptop's file into the team's server, or the team's records into a file to read offline. Either side defaults to the current ledger
/// (--db, $ARRAKIS_DB, else the default file), so `log copy --to B` exports it and `log copy --from A`
/// imports into it. The copy records no session of its own: a second copy adds nothing, and copying back
/// and forth converges.
struct LogCopy: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "copy",
    abstract: "Copy every record of one ledger into another; a second copy adds nothing.",
    discussion: """
      Sessions, messages, tool operations, analyses, improvements, self-modifications and commit stats are \
      copied; rows the target already holds are recognised and left alone. Interrupted, it is completed by \
      running it again. The current ledger is the side not named.
      """)

  @Option(name: .long, help: ArgumentHelp("The ledger to copy from, a path or postgresql:// URL (default: the current ledger).", valueName: "ledger"))
  var from: String?

  @Option(name: .long, help: ArgumentHelp("The ledger to copy into, created if needed (default: the current ledger).", valueName: "ledger"))
  var to: String?

  @Option(name: .long, help: ArgumentHelp("Sessions per transaction.", valueName: "n"))
  var batch: Int = 500

  @Flag(name: .long, help: "Print one JSON object.")
  var json = false

  @OptionGroup var ledger: LedgerOptions

  func validate() throws {
    guard batch > 0 else { throw ValidationError("--batch must be a positive number") }
    guard from?.isEmpty == false || to?.isEmpty == false else {
      throw ValidationError("name the other ledger: --from LEDGER (copy into the current one) or --to LEDGER (copy the current one)")
    }
  }

  func run() async throws {
    try await reportingErrors(json: json) {
      let from = try location(from, "--from"), to = try location(to, "--to")
      guard Self.identity(from) != Self.identity(to) else {
        throw ArrakisError(.usage, "--from and --to both name the ledger at \(from.display)", hint: "name two different ledgers")
      }
      guard let source = try Ledger.openReadOnly(path: from.path) else {
        throw ArrakisError(.usage, "no ledger at \(from.display) to copy from", hint: "check --from (or --db / $ARRAKIS_DB when --from is not given)")
      }
      try to.prepareFolder()
      let target = try Ledger.open(path: to.path)
      let line = CopyProgressLine.start()
      defer { line?.stop() }
      let report = try target.copy(from: source, batchSize: batch) { line?.show($0) }
      line?.stop()
      let summary = CopySummary(from: from.display, to: to.display, report: report)
      Output.out(json ? try JSONOutput.string(summary) + "\n" : summary.text)
    }
  }

  /// The side named by `value`, else the current ledger.
  func location(_ value: String?, _ flag: String) throws -> LedgerLocation {
    guard let value, !value.isEmpty else { return try ledger.location() }
    return LedgerLocation(path: try LedgerLocation.filePath(value, source: flag), isDefault: false, source: flag)
  }

  /// The same file under two spellings (a symlink, `./`) is one ledger: copying it into itself would
  /// wait on its own lock. A server's database is named by its URL (without the password).
  static func identity(_ location: LedgerLocation) -> String {
    location.isServer ? location.display : location.path.resolvingSymlinksInPath
  }
}

/// What `log copy` prints: the text table, or with --json one object.
struct CopySummary: Encodable {
  var from: String
  var to: String
  var seconds: Double
  var sessionsPerSecond: Double
  var tables: [CopyReport.Table]

  init(from: String, to: String, report: CopyReport) {
    self.from = from
    self.to = to
    seconds = (report.seconds * 1000).rounded() / 1000
    let sessions = report["sessions"].map { $0.copied + $0.alreadyThere } ?? 0
    sessionsPerSecond = report.seconds > 0 ? (Double(sessions) / report.seconds).rounded() : 0
    tables = report.tables
  }

  var text: String {
    let copied = tables.reduce(0) { $0 + $1.copied }
    var out = copied == 0
      ? "nothing to copy: \(to) already holds every record of \(from)\n"
      : "copied \(from) into \(to) in \(String(cFormat: "%.1f", seconds)) s (\(Int(sessionsPerSecond)) sessions/s)\n"
    out += Format.pad("table", 20) + Format.padLeft("copied", 10) + Format.padLeft("already there", 15) + "\n"
    for t in tables {
      out += Format.pad(t.table, 20) + Format.padLeft("\(t.copied)", 10) + Format.padLeft("\(t.alreadyThere)", 15) + "\n"
    }
    return out
  }
}
