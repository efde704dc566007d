/// The SQL both engines speak is written once; what differs between SQLite and PostgreSQL goes through the
/// small functions here, each giving both spellings side by side. Values stay the same on both: booleans
/// are INTEGER 0/1, timestamps the sortable UTC text of Timestamps.swift, JSON columns are bound and read
/// as text (TEXT in SQLite, jsonb in PostgreSQL, which takes an untyped text parameter).
enum SQLDialect: Sendable, Equatable {
  case sqlite
  case postgres

  // MARK: - Expressions

  /// Whole milliseconds from timestamp `start` to timestamp `end` (columns or `?`), as an integer.
  func millisecondsBetween(_ start: String, _ end: String) -> String {
    switch self {
    case .sqlite:
      return "CAST(round((julianday(\(end)) - julianday(\(start))) * 86400000) AS INTEGER)"
    case .postgres:
      return "CAST(round(extract(epoch FROM (CAST(\(end) AS timestamptz) - CAST(\(start) AS timestamptz))) * 1000) AS BIGINT)"
    }
  }

  /// `a` equals `b`, NULL equal to NULL.
  func isSame(_ a: String, _ b: String) -> String {
    self == .sqlite ? "\(a) IS \(b)" : "\(a) IS NOT DISTINCT FROM \(b)"
  }

  /// `a` differs from `b`, NULL differing from any value.
  func isDistinct(_ a: String, _ b: String) -> String {
    self == .sqlite ? "\(a) IS NOT \(b)" : "\(a) IS DISTINCT FROM \(b)"
  }

  /// Number of rows of the group for which `condition` holds (0 for none).
  func countWhere(_ condition: String) -> String {
    self == .sqlite ? "sum(\(condition))" : "count(*) FILTER (WHERE \(condition))"
  }

  /// 1 when `condition` holds for some row of the group, else 0.
  func anyWhere(_ condition: String) -> String {
    self == .sqlite ? "max(\(condition))" : "max(CASE WHEN \(condition) THEN 1 ELSE 0 END)"
  }

  /// The sum of `expression` as a real, 0.0 when every value is NULL (SQLite's `total`).
  func total(_ expression: String) -> String {
    self == .sqlite ? "total(\(expression))" : "CAST(COALESCE(sum(\(expression)), 0) AS DOUBLE PRECISION)"
  }

  /// A condition on `column` starting with the text bound to the one `?` it holds; bind `prefixPattern`.
  /// SQLite's GLOB (case-sensitive) is turned into a range scan on the primary key; PostgreSQL's LIKE uses
  /// the `text_pattern_ops` index of the column.
  func startsWith(_ column: String) -> String {
    self == .sqlite ? "\(column) GLOB ?" : "\(column) LIKE ?"
  }

  /// The pattern to bind for `startsWith`; `prefix` must hold no wildcard of either engine.
  func prefixPattern(_ prefix: String) -> String {
    prefix + (self == .sqlite ? "*" : "%")
  }

  /// Ends a `SELECT` that picks a row to change: PostgreSQL locks the row and passes over one another
  /// transaction holds (a queue's `FOR UPDATE SKIP LOCKED`); SQLite's write transaction already holds the
  /// whole file.
  var skipLocked: String { self == .sqlite ? "" : "FOR UPDATE SKIP LOCKED" }

  // MARK: - Full-text search over messages.text

  /// What to bind as the search parameter of `messagesMatching` for what a person typed; nil when nothing
  /// searchable is left. SQLite: an FTS5 query where each word is a quoted string (so `-`, `:`, `*`, `AND`,
  /// quotes … are matched literally instead of being parsed as FTS5 syntax, which would throw), ANDed, or
  /// ORed with `anyWord`. PostgreSQL: the words as plain text for `plainto_tsquery`.
  func searchQuery(_ words: [String], anyWord: Bool = false) -> String? {
    let words = words.filter { !$0.isEmpty }
    guard !words.isEmpty else { return nil }
    switch self {
    case .sqlite:
      return words.map { "\"" + $0.replacing("\"", with: "\"\"") + "\"" }
        .joined(separator: anyWord ? " OR " : " ")
    case .postgres:
      return words.joined(separator: " ")
    }
  }

  /// A FROM clause over `messages` aliased `m`, restricted to the messages matching the search parameter:
  /// the clause holds exactly one `?`, for the value of `searchQuery`. Rank and snippet refer to it.
  /// SQLite: the FTS5 index `messages_fts`; PostgreSQL: the `text_tsv` column's GIN index, the query
  /// joined as a one-row function so that rank and snippet can use it.
  func messagesMatching(_ m: String = "m", anyWord: Bool = false) -> String {
    switch self {
    case .sqlite:
      return "messages_fts JOIN messages \(m) ON \(m).id = messages_fts.rowid AND messages_fts MATCH ?"
    case .postgres:
      // plainto_tsquery ANDs the words; its text form `'a' & 'b'` becomes `'a' | 'b'` for any word.
      let query = anyWord
        ? "CAST(replace(CAST(plainto_tsquery('simple', arrakis_search_text(?)) AS text), ' & ', ' | ') AS tsquery)"
        : "plainto_tsquery('simple', arrakis_search_text(?))"
      return "messages \(m) JOIN \(query) AS search_query ON \(m).text_tsv @@ search_query"
    }
  }

  /// A subquery of the ids of the messages matching the one `?` it holds (the value of `searchQuery`).
  func matchingMessageIDs() -> String {
    switch self {
    case .sqlite: return "SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?"
    case .postgres: return "SELECT id FROM messages WHERE text_tsv @@ plainto_tsquery('simple', arrakis_search_text(?))"
    }
  }

  /// A condition: message `m` matches the one `?` it holds. SQLite checks the FTS index for that rowid
  /// alone, which is what a walk over one session's messages wants.
  func messageMatches(_ m: String = "m") -> String {
    switch self {
    case .sqlite:
      return "EXISTS (SELECT 1 FROM messages_fts WHERE messages_fts MATCH ? AND messages_fts.rowid = \(m).id)"
    case .postgres:
      return "\(m).text_tsv @@ plainto_tsquery('simple', arrakis_search_text(?))"
    }
  }

  /// ORDER BY terms putting the best matches of `messagesMatching` first.
  func searchRank(_ m: String = "m") -> String {
    self == .sqlite ? "messages_fts.rank" : "ts_rank(\(m).text_tsv, search_query) DESC"
  }

  /// A short extract of the matching message with the matched words in [brackets], about 12 words.
  func searchSnippet(_ m: String = "m") -> String {
    switch self {
    case .sqlite:
      return "snippet(messages_fts, 0, '[', ']', '…', 12)"
    case .postgres:
      return "ts_headline('simple', arrakis_search_text(\(m).text), search_query, 'StartSel=[, StopSel=], MaxWords=12, MinWords=4, MaxFragments=1, FragmentDelimiter=…')"
    }
  }
}
