import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// Options every subcommand shares.
struct LedgerOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The ledger: a SQLite file or a postgresql:// URL (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).", valueName: "path"))
  var db: String?

  /// Where the ledger is, for messages; `location()` is what opening uses.
  var path: String { path(environment: Environment()) }

  func path(environment: Environment) -> String {
    (try? location(environment: environment).display) ?? environment.ledgerPath(flag: db)
  }

  /// `environment`: a copy of the process environment the caller already holds (`Environment()` copies the
  /// whole environment each time; `log` would otherwise make one per use).
  func location(environment: Environment = Environment()) throws -> LedgerLocation {
    try LedgerLocation(flag: db, environment: environment)
  }

  /// Opens the ledger, creating the file (and, for the default location only, its folder).
  func open() throws -> Ledger {
    let location = try location()
    try location.prepareFolder()
    return try Ledger.open(path: location.path)
  }

  /// Opens an existing ledger; nil when there is none yet (a reader never creates one).
  func openIfExists() throws -> Ledger? { try Ledger.openIfExists(path: try location().path) }

  /// Opens an existing ledger for reading only (log list, show, stats, insights); nil when there is none.
  func openReadOnly(environment: Environment = Environment()) throws -> Ledger? {
    try Ledger.openReadOnly(path: try location(environment: environment).path)
  }

  /// `openIfExists` and `openReadOnly` for a command that has nothing to do without a ledger: none is a
  /// usage error naming where it looked.
  func existing() throws -> Ledger { try openIfExists() ?? { throw missing }() }
  func existingReadOnly() throws -> Ledger { try openReadOnly() ?? { throw missing }() }

  var missing: ArrakisError { ArrakisError(.usage, "no ledger at \(path)", hint: "check --db / $ARRAKIS_DB") }
}
