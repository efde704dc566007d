import ArrakisCore

/// A tool call that ran but could not be recorded: the run stops with exit 9 (ledger) and says what is
/// missing from the ledger, rather than going on with a hole in the record.
struct ToolRecordLost {
  var tool: String
  var summary: String
  var cause: Error

  var error: ArrakisError {
    let why = (cause as? ArrakisError)?.message ?? "\(cause)"
    return ArrakisError(
      .ledger, "stopped: the \(tool) call that ran (\(summary)) could not be recorded, so the ledger lacks it: \(why)",
      hint: (cause as? ArrakisError)?.hint ?? "check the ledger's disk and permissions, or pass --db / set ARRAKIS_DB")
  }
}
