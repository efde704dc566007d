import FoundationEssentials
import Glibc

extension Ledger {
  /// Copies every record of `source` into this ledger (`arrakis log copy`), idempotently: rows the target
  /// already holds are recognised by natural keys and left alone, so a second copy writes nothing and an
  /// interrupted one is completed by running it again. Integer-keyed rows get new ids here and the rows
  /// that point at them are remapped. Each batch of `batchSize` sessions (with their messages and tool
  /// operations) is one write transaction, so other runs keep writing in between and an interruption
  /// loses at most the batch under way. See LedgerCopier for the keys.
  public func copy(
    from source: Ledger, batchSize: Int = 500, progress: ((CopyProgress) -> Void)? = nil
  ) throws -> CopyReport {
    var copier = LedgerCopier(source: source, target: self, batchSize: max(1, batchSize), progress: progress)
    return try copier.run()
  }
}

/// The copy, table by table, in an order that has every row's parent in the target before the row:
/// sessions (with their messages and tool operations), analyses, improvements, self-modifications,
/// commit stats, then the --continue links between sessions.
///
/// Natural keys: sessions and improvements by their text ids; messages by (session_id, seq); analyses by
/// (workspace, created_at, session_id, head_commit); tool operations and self-modifications by their rank
/// within their session (rows are only ever appended to a session, so the target's first n rows of a
/// session are the source's first n); commit stats by (commit_id, variant).
struct LedgerCopier {
  let source: Ledger
  let target: Ledger
  let batchSize: Int
  let progress: ((CopyProgress) -> Void)?
  /// The columns both ledgers have, per table (a source from an older schema lacks some; the target's
  /// defaults fill them).
  var columns: [String: [String]] = [:]
  var counts: [String: CopyReport.Table] = [:]

  static let tables = ["sessions", "messages", "tool_operations", "analyses", "improvements", "self_modifications", "commit_stats"]
  /// Bound values per multi-row INSERT: far under both engines' limits (SQLite 32766, PostgreSQL 65535);
  /// larger statements gained nothing measurable on SQLite, and the PostgreSQL connection's placeholder
  /// numbering grows faster than linearly with them (Engine/PostgresConnection.swift).
  static let maxParameters = 1_000
  /// Child rows read from the source per query, which bounds the memory a batch of long transcripts takes.
  static let page = 2_000

  init(source: Ledger, target: Ledger, batchSize: Int, progress: ((CopyProgress) -> Void)?) {
    self.source = source
    self.target = target
    self.batchSize = batchSize
    self.progress = progress
  }

  mutating func run() throws -> CopyReport {
    let start = Date()
    let theirs = try source.copyRead("read the schema") { c in try Self.tables.map { try c.columns(of: $0) } }
    let ours = try target.copyRead("read the schema") { c in try Self.tables.map { try c.columns(of: $0) } }
    for (i, table) in Self.tables.enumerated() {
      columns[table] = ours[i].filter { theirs[i].contains($0) }
      counts[table] = CopyReport.Table(table: table)
    }
    try copySessions()
    let analyses = try copyAnalyses()
    try copyImprovements(analyses: analyses)
    try copySelfModifications()
    try copyCommitStats()
    try linkContinuedSessions()
    return CopyReport(tables: Self.tables.map { counts[$0]! }, seconds: Date().timeIntervalSince(start))
  }

  mutating func add(_ table: String, copied: Int = 0, already: Int = 0) {
    counts[table]!.copied += copied
    counts[table]!.alreadyThere += already
  }

  func count(_ table: String) throws -> Int {
    guard columns[table]?.isEmpty == false else { return 0 }
    return try source.copyRead("count \(table)") { c in
      Int(try c.rows("SELECT count(*) AS n FROM \(table)", [], columns: ["n"]).first?.first?.int64 ?? 0)
    }
  }

  // MARK: - Sessions, messages, tool operations

  mutating func copySessions() throws {
    let cols = columns["sessions"]!
    guard cols.contains("id") else { return }
    let total = try count("sessions")
    var after: String?
    var done = 0
    progress?(CopyProgress(what: "sessions", done: 0, total: total))
    while true {
      let batch = try source.copyRead("read sessions") { c in
        try c.rows(
          "SELECT \(SQLText.list(cols)) FROM sessions \(after == nil ? "" : "WHERE id > ?") ORDER BY id LIMIT ?",
          (after.map { [CopyValue.of($0)] } ?? []) + [CopyValue.of(Int64(batchSize))], columns: cols)
      }
      guard let last = batch.last else { break }
      let result = try target.copyWrite("copy sessions") { t in try copySessionBatch(batch, into: t) }
      for (table, c) in result { add(table, copied: c.copied, already: c.alreadyThere) }
      after = last[cols.firstIndex(of: "id")!].string
      done += batch.count
      progress?(CopyProgress(what: "sessions", done: done, total: total))
    }
  }

  /// One batch of sessions and their children, in the target's transaction `t`; returns the counts.
  func copySessionBatch(_ batch: [[CopyValue]], into t: any CopyConnection) throws -> [String: CopyReport.Table] {
    var result: [String: CopyReport.Table] = [:]
    let cols = columns["sessions"]!
    let idAt = cols.firstIndex(of: "id")!, statusAt = cols.firstIndex(of: "status")
    let ids = batch.map { $0[idAt] }
    let present = Dictionary(
      try t.rows("SELECT id, status FROM sessions WHERE id IN (\(SQLText.marks(ids.count)))", ids, columns: ["id", "status"])
        .map { ($0[0].string ?? "", $0[1].string ?? "") }, uniquingKeysWith: { a, _ in a })
    var fresh = batch.filter { present[$0[idAt].string ?? ""] == nil }
    // A parent not in the target yet is linked at the end (linkContinuedSessions): the foreign key
    // would refuse it now.
    if let parentAt = cols.firstIndex(of: "parent_session_id") {
      let parents = Array(Set(fresh.compactMap { $0[parentAt].string }))
      let known = parents.isEmpty ? [] : Set(try t.rows(
        "SELECT id FROM sessions WHERE id IN (\(SQLText.marks(parents.count)))", parents.map { CopyValue.of($0) },
        columns: ["id"]).compactMap { $0[0].string })
      for i in fresh.indices where fresh[i][parentAt].string.map({ !known.contains($0) }) ?? false {
        fresh[i][parentAt] = .null
      }
    }
    let inserted = try SQLText.insert(into: "sessions", columns: cols, rows: fresh, conflict: "(id)", returning: ["id"], t).count
    // A session that was still running when an earlier copy took it is brought up to date once it ended.
    var updated = 0
    if let statusAt {
      for row in batch {
        guard let id = row[idAt].string, present[id] == "running", row[statusAt].string != "running" else { continue }
        let set = cols.filter { $0 != "id" && $0 != "parent_session_id" }
        try t.execute(
          "UPDATE sessions SET \(set.map { "\(SQLText.quote($0)) = ?" }.joined(separator: ", ")) WHERE id = ?",
          set.map { row[cols.firstIndex(of: $0)!] } + [row[idAt]])
        updated += 1
      }
    }
    result["sessions"] = CopyReport.Table(table: "sessions", copied: inserted + updated, alreadyThere: batch.count - inserted - updated)

    // Children: only sessions of which the target holds fewer rows than the source are read.
    let messageCounts = try childCounts("messages", ids, t)
    let toolCounts = try childCounts("tool_operations", ids, t)
    var detailed: [String] = []
    var messages = CopyReport.Table(table: "messages"), tools = CopyReport.Table(table: "tool_operations")
    for id in ids.compactMap(\.string) {
      let m = messageCounts[id] ?? (0, 0), o = toolCounts[id] ?? (0, 0)
      if m.source > m.target || o.source > o.target {
        detailed.append(id)
      } else {
        messages.alreadyThere += m.source
        tools.alreadyThere += o.source
      }
    }
    if !detailed.isEmpty {
      let ids = try copyMessages(of: detailed, into: t, &messages)
      try copyRanked(
        "tool_operations", of: detailed, targetCounts: toolCounts.mapValues(\.target), into: t, &tools
      ) { row, cols in
        // The operation's message under its new id; one the target lacks (pruned there) is dropped.
        if let at = cols.firstIndex(of: "message_id"), let old = row[at].int64 {
          row[at] = ids[old].map { CopyValue.of($0) } ?? .null
        }
      }
    }
    result["messages"] = messages
    result["tool_operations"] = tools
    return result
  }

  /// Per session: rows of `table` in the source and in the target.
  func childCounts(_ table: String, _ ids: [CopyValue], _ t: any CopyConnection) throws -> [String: (source: Int, target: Int)] {
    guard columns[table]?.contains("session_id") == true else { return [:] }
    let sql = "SELECT session_id, count(*) AS n FROM \(table) WHERE session_id IN (\(SQLText.marks(ids.count))) GROUP BY session_id"
    var counts: [String: (source: Int, target: Int)] = [:]
    for row in try source.copyRead("count \(table)", { try $0.rows(sql, ids, columns: ["session_id", "n"]) }) {
      counts[row[0].string ?? "", default: (0, 0)].source = Int(row[1].int64 ?? 0)
    }
    for row in try t.rows(sql, ids, columns: ["session_id", "n"]) {
      counts[row[0].string ?? "", default: (0, 0)].target = Int(row[1].int64 ?? 0)
    }
    return counts
  }

  /// Copies the messages of `sessions` the target lacks, by (session_id, seq); returns source id → target
  /// id for every message of these sessions, for the tool operations that point at them.
  func copyMessages(of sessions: [String], into t: any CopyConnection, _ count: inout CopyReport.Table) throws -> [Int64: Int64] {
    let cols = columns["messages"]!.filter { $0 != "id" }
    guard let sessionAt = cols.firstIndex(of: "session_id"), let seqAt = cols.firstIndex(of: "seq") else { return [:] }
    let keys = sessions.map { CopyValue.of($0) }
    var targetIDs: [String: Int64] = [:]  // "session seq" → target id
    for row in try t.rows(
      "SELECT id, session_id, seq FROM messages WHERE session_id IN (\(SQLText.marks(keys.count)))", keys,
      columns: ["id", "session_id", "seq"])
    {
      targetIDs[Self.key(row[1], row[2])] = row[0].int64
    }
    var map: [Int64: Int64] = [:]
    var after: (String, Int64)?
    while true {
      let rows = try source.copyRead("read messages") { c in
        try c.rows(
          """
          SELECT id, \(SQLText.list(cols)) FROM messages WHERE session_id IN (\(SQLText.marks(keys.count)))
          \(after == nil ? "" : "AND (session_id > ? OR (session_id = ? AND seq > ?))")
          ORDER BY session_id, seq LIMIT \(Self.page)
          """,
          keys + (after.map { [CopyValue.of($0.0), CopyValue.of($0.0), CopyValue.of($0.1)] } ?? []), columns: ["id"] + cols)
      }
      guard let last = rows.last else { break }
      after = (last[1 + sessionAt].string ?? "", last[1 + seqAt].int64 ?? 0)
      var missing: [[CopyValue]] = []
      var missingIDs: [String: Int64] = [:]
      for row in rows {
        let key = Self.key(row[1 + sessionAt], row[1 + seqAt])
        if let id = targetIDs[key], let old = row[0].int64 {
          map[old] = id
          count.alreadyThere += 1
        } else {
          missing.append(Array(row.dropFirst()))
          missingIDs[key] = row[0].int64
        }
      }
      let inserted = try SQLText.insert(
        into: "messages", columns: cols, rows: missing, conflict: "(session_id, seq)", returning: ["id", "session_id", "seq"], t)
      for row in inserted {
        if let old = missingIDs[Self.key(row[1], row[2])], let new = row[0].int64 { map[old] = new }
      }
      count.copied += inserted.count
      count.alreadyThere += missing.count - inserted.count
    }
    return map
  }

  static func key(_ session: CopyValue, _ seq: CopyValue) -> String { "\(session.string ?? "") \(seq.int64 ?? 0)" }

  /// Copies the rows of `table` (tool operations, self-modifications) of `sessions` past the target's
  /// count for each session, in id order; `adjust` rewrites a row's references for the target.
  func copyRanked(
    _ table: String, of sessions: [String], targetCounts: [String: Int], into t: any CopyConnection,
    _ count: inout CopyReport.Table, adjust: (inout [CopyValue], [String]) throws -> Void
  ) throws {
    let cols = columns[table]!.filter { $0 != "id" }
    guard let sessionAt = cols.firstIndex(of: "session_id") else { return }
    let keys = sessions.map { CopyValue.of($0) }
    var after: (String, Int64)?
    var rank: [String: Int] = [:]
    while true {
      let rows = try source.copyRead("read \(table)") { c in
        try c.rows(
          """
          SELECT id, \(SQLText.list(cols)) FROM \(table) WHERE session_id IN (\(SQLText.marks(keys.count)))
          \(after == nil ? "" : "AND (session_id > ? OR (session_id = ? AND id > ?))")
          ORDER BY session_id, id LIMIT \(Self.page)
          """,
          keys + (after.map { [CopyValue.of($0.0), CopyValue.of($0.0), CopyValue.of($0.1)] } ?? []), columns: ["id"] + cols)
      }
      guard let last = rows.last else { break }
      after = (last[1 + sessionAt].string ?? "", last[0].int64 ?? 0)
      var missing: [[CopyValue]] = []
      for row in rows {
        let session = row[1 + sessionAt].string ?? ""
        rank[session, default: 0] += 1
        if rank[session]! <= targetCounts[session] ?? 0 {
          count.alreadyThere += 1
        } else {
          var values = Array(row.dropFirst())
          try adjust(&values, cols)
          missing.append(values)
        }
      }
      _ = try SQLText.insert(into: table, columns: cols, rows: missing, conflict: nil, returning: [], t)
      count.copied += missing.count
    }
  }

  // MARK: - Analyses, improvements, self-modifications

  /// Source analysis id → target analysis id, for every analysis (copied or already there).
  mutating func copyAnalyses() throws -> [Int64: Int64] {
    let cols = columns["analyses"]!.filter { $0 != "id" }
    let keyCols = ["workspace", "created_at", "session_id", "head_commit"].filter { cols.contains($0) }
    guard !cols.isEmpty else { return [:] }
    func key(_ row: [CopyValue]) -> String { row.map { $0.string ?? "\u{0}" }.joined(separator: "\u{1}") }
    var known: [String: Int64] = [:]
    for row in try target.copyRead("read analyses", {
      try $0.rows("SELECT id, \(SQLText.list(keyCols)) FROM analyses", [], columns: ["id"] + keyCols)
    }) {
      known[key(Array(row.dropFirst()))] = row[0].int64
    }
    var map: [Int64: Int64] = [:]
    var after: Int64 = Int64.min
    while true {
      let rows = try source.copyRead("read analyses") { c in
        try c.rows(
          "SELECT id, \(SQLText.list(cols)) FROM analyses WHERE id > ? ORDER BY id LIMIT ?",
          [CopyValue.of(after), CopyValue.of(Int64(batchSize))], columns: ["id"] + cols)
      }
      guard let last = rows.last else { break }
      after = last[0].int64 ?? after
      var copied = 0, already = 0
      let new = try target.copyWrite("copy analyses") { t -> [(Int64, Int64, String)] in
        var new: [(Int64, Int64, String)] = []
        copied = 0
        already = 0
        for row in rows {
          let values = Array(row.dropFirst())
          let k = key(keyCols.map { values[cols.firstIndex(of: $0)!] })
          guard let old = row[0].int64 else { continue }
          if let id = known[k] {
            map[old] = id
            already += 1
            continue
          }
          let id = try SQLText.insert(into: "analyses", columns: cols, rows: [values], conflict: nil, returning: ["id"], t)
          if let id = id.first?[0].int64 { new.append((old, id, k)) }
          copied += 1
        }
        return new
      }
      // Only once committed: a retried transaction must not see ids it rolled back.
      for (old, id, k) in new {
        map[old] = id
        known[k] = id
      }
      add("analyses", copied: copied, already: already)
    }
    return map
  }

  mutating func copyImprovements(analyses: [Int64: Int64]) throws {
    let cols = columns["improvements"]!
    guard let idAt = cols.firstIndex(of: "id") else { return }
    let analysisAt = cols.firstIndex(of: "analysis_id")
    var after = ""
    while true {
      let rows = try source.copyRead("read improvements") { c in
        try c.rows(
          "SELECT \(SQLText.list(cols)) FROM improvements WHERE id > ? ORDER BY id LIMIT ?",
          [CopyValue.of(after), CopyValue.of(Int64(batchSize))], columns: cols)
      }
      guard let last = rows.last else { break }
      after = last[idAt].string ?? after
      let remapped = rows.map { row -> [CopyValue] in
        var row = row
        if let at = analysisAt, let old = row[at].int64 { row[at] = analyses[old].map { CopyValue.of($0) } ?? .null }
        return row
      }
      let inserted = try target.copyWrite("copy improvements") { t in
        try SQLText.insert(into: "improvements", columns: cols, rows: remapped, conflict: "(id)", returning: ["id"], t).count
      }
      add("improvements", copied: inserted, already: rows.count - inserted)
    }
  }

  mutating func copySelfModifications() throws {
    guard columns["self_modifications"]?.contains("session_id") == true else { return }
    let sql = "SELECT session_id, count(*) AS n FROM self_modifications GROUP BY session_id"
    func counts(_ c: any CopyConnection) throws -> [String: Int] {
      Dictionary(try c.rows(sql, [], columns: ["session_id", "n"]).map { ($0[0].string ?? "", Int($0[1].int64 ?? 0)) },
                 uniquingKeysWith: +)
    }
    let theirs = try source.copyRead("count self-modifications", counts)
    let ours = try target.copyRead("count self-modifications", counts)
    var pending: [String] = []
    for (session, n) in theirs.sorted(by: { $0.key < $1.key }) {
      if n > ours[session] ?? 0 { pending.append(session) } else { add("self_modifications", already: n) }
    }
    // Self-modifications carry whole files before and after: fewer sessions per transaction.
    let chunk = max(1, min(batchSize, 50))
    for start in stride(from: 0, to: pending.count, by: chunk) {
      let sessions = Array(pending[start..<min(start + chunk, pending.count)])
      let result = try target.copyWrite("copy self-modifications") { t -> CopyReport.Table in
        var count = CopyReport.Table(table: "self_modifications")
        let improvementIDs = try source.copyRead("read self-modifications") { c in
          try c.rows(
            "SELECT DISTINCT improvement_id FROM self_modifications WHERE improvement_id IS NOT NULL AND session_id IN (\(SQLText.marks(sessions.count)))",
            sessions.map { CopyValue.of($0) }, columns: ["improvement_id"]
          ).map { $0[0] }
        }
        let known = improvementIDs.isEmpty ? [] : Set(try t.rows(
          "SELECT id FROM improvements WHERE id IN (\(SQLText.marks(improvementIDs.count)))", improvementIDs,
          columns: ["id"]).compactMap { $0[0].string })
        try copyRanked("self_modifications", of: sessions, targetCounts: ours, into: t, &count) { row, cols in
          if let at = cols.firstIndex(of: "improvement_id"), let id = row[at].string, !known.contains(id) { row[at] = .null }
        }
        return count
      }
      add("self_modifications", copied: result.copied, already: result.alreadyThere)
    }
  }

  // MARK: - Commit stats, --continue links

  mutating func copyCommitStats() throws {
    let cols = columns["commit_stats"]!
    guard let commitAt = cols.firstIndex(of: "commit_id"), let variantAt = cols.firstIndex(of: "variant") else { return }
    let total = try count("commit_stats")
    var after: (CopyValue, CopyValue)?
    var done = 0
    while true {
      let rows = try source.copyRead("read commit stats") { c in
        try c.rows(
          """
          SELECT \(SQLText.list(cols)) FROM commit_stats
          \(after == nil ? "" : "WHERE commit_id > ? OR (commit_id = ? AND variant > ?)")
          ORDER BY commit_id, variant LIMIT \(Self.page)
          """, after.map { [$0.0, $0.0, $0.1] } ?? [], columns: cols)
      }
      guard let last = rows.last else { break }
      after = (last[commitAt], last[variantAt])
      let inserted = try target.copyWrite("copy commit stats") { t in
        try SQLText.insert(into: "commit_stats", columns: cols, rows: rows, conflict: "(commit_id, variant)", returning: ["commit_id"], t).count
      }
      add("commit_stats", copied: inserted, already: rows.count - inserted)
      done += rows.count
      progress?(CopyProgress(what: "commit stats", done: done, total: total))
    }
  }

  /// Sets the parent of every copied session whose parent was not in the target when it was copied
  /// (sessions go in id order, not parents first). Idempotent, and it repairs an interrupted copy's links.
  func linkContinuedSessions() throws {
    guard columns["sessions"]?.contains("parent_session_id") == true else { return }
    let links = try source.copyRead("read --continue links") { c in
      try c.rows("SELECT id, parent_session_id FROM sessions WHERE parent_session_id IS NOT NULL", [], columns: ["id", "parent_session_id"])
    }
    for start in stride(from: 0, to: links.count, by: batchSize) {
      let chunk = Array(links[start..<min(start + batchSize, links.count)])
      try target.copyWrite("link continued sessions") { t in
        let ids = chunk.map { $0[0] }
        let unlinked = Set(try t.rows(
          "SELECT id FROM sessions WHERE parent_session_id IS NULL AND id IN (\(SQLText.marks(ids.count)))", ids,
          columns: ["id"]).compactMap { $0[0].string })
        for link in chunk where unlinked.contains(link[0].string ?? "") {
          try t.execute(
            "UPDATE sessions SET parent_session_id = ? WHERE id = ? AND parent_session_id IS NULL AND EXISTS (SELECT 1 FROM sessions p WHERE p.id = ?)",
            [link[1], link[0], link[1]])
        }
      }
    }
  }
}
