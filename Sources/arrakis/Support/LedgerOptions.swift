import ArgumentParser
import ArrakisCore
import Ledger

/// Options every subcommand shares.
struct LedgerOptions: ParsableArguments {
  @Option(name: .long, help: ArgumentHelp("The ledger file (default: $ARRAKIS_DB, else $XDG_DATA_HOME/arrakis/arrakis.db).", valueName: "path"))
  var db: String?

  var path: String { Environment().ledgerPath(flag: db) }

  func open() throws -> Ledger { try Ledger.open(path: path) }
}
