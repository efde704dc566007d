/// SQL text both engines read the same way, for the copier's statements over column lists it learns at
/// run time.
enum SQLText {
  /// A quoted identifier: column names such as `text` or `usage` are key words in some dialect.
  static func quote(_ name: String) -> String { "\"" + name.replacing("\"", with: "\"\"") + "\"" }

  static func list(_ columns: [String]) -> String { columns.map(quote).joined(separator: ", ") }

  /// `?, ?, ?` (n ≥ 1).
  static func marks(_ n: Int) -> String { Array(repeating: "?", count: max(n, 1)).joined(separator: ", ") }

  /// Inserts `rows` (values in `columns` order) with multi-row INSERTs of at most
  /// LedgerCopier.maxParameters values each; `conflict` names the key whose duplicates are skipped.
  /// Returns the `returning` columns of the rows actually inserted.
  static func insert(
    into table: String, columns: [String], rows: [[CopyValue]], conflict: String?, returning: [String],
    _ t: any CopyConnection
  ) throws -> [[CopyValue]] {
    guard !rows.isEmpty, !columns.isEmpty else { return [] }
    let perStatement = max(1, min(500, LedgerCopier.maxParameters / columns.count))
    let one = "(" + marks(columns.count) + ")"
    var out: [[CopyValue]] = []
    for start in stride(from: 0, to: rows.count, by: perStatement) {
      let chunk = rows[start..<min(start + perStatement, rows.count)]
      let sql = "INSERT INTO \(table) (\(list(columns))) VALUES "
        + Array(repeating: one, count: chunk.count).joined(separator: ", ")
        + (conflict.map { " ON CONFLICT \($0) DO NOTHING" } ?? "")
        + (returning.isEmpty ? "" : " RETURNING " + list(returning))
      let arguments = chunk.flatMap { $0 }
      if returning.isEmpty {
        try t.execute(sql, arguments)
      } else {
        out += try t.rows(sql, arguments, columns: returning)
      }
    }
    return out
  }
}
