import Agent
import ArgumentParser
import ArrakisCore
import Claude
import Ledger

/// Values the shell completions offer, beyond flag names: the permission levels, the model aliases, and
/// the ids of recent sessions, read from the ledger when TAB is pressed (argument-parser runs the binary
/// with `---completion`; nothing is created or written).
enum Completions {
  static let permission = CompletionKind.list(PermissionLevel.allCases.map(\.rawValue))
  static let model = CompletionKind.list(ModelCatalog.aliases.map(\.alias))

  /// The newest sessions' ids, from the ledger `--db` on the command line names, else ARRAKIS_DB or the
  /// default; none when there is no ledger.
  static let sessionIDs = CompletionKind.custom { words, _, _ in
    let flag = words.firstIndex(of: "--db").flatMap { words.indices.contains($0 + 1) ? words[$0 + 1] : nil }
    guard let location = try? LedgerLocation(flag: flag, environment: Environment()),
      let ledger = try? Ledger.openReadOnly(path: location.path),
      let rows = try? ledger.listSessions(SessionFilter(limit: 50))
    else { return [] }
    return rows.map(\.id)
  }
}
