import ArrakisCore
import FoundationEssentials
import Glibc

/// `analyze` results: one analysis per run, with ranked improvements that `improve` later picks up.
public struct AnalysisRow: Codable, Sendable, Equatable {
  public var id: Int64
  public var sessionID: String?
  public var workspace: String
  /// The repository's identity (Repository.identity) when recorded; the workspace path for older rows.
  public var repository: String?
  public var createdAt: Date
  public var headCommit: String?
  public var signals: JSONValue?
  public var summary: JSONValue?

  init(row: SQLRow) throws {
    id = row["id"]
    sessionID = row["session_id"]
    workspace = row["workspace"]
    repository = row["repository"]
    createdAt = try decodeDate(row, "created_at")
    headCommit = row["head_commit"]
    signals = decodeJSON(row, "signals")
    summary = decodeJSON(row, "summary")
  }
}

/// An improvement, as inserted and as read back. Its id is chosen by the caller (short and typeable, for
/// `arrakis improve <id>`).
public struct ImprovementRow: Codable, Sendable, Equatable {
  public var id: String
  public var analysisID: Int64?
  public var title: String
  public var rationale: String?
  public var files: [String]
  public var category: String?
  public var impact: String?
  public var risk: String?
  public var effort: String?
  public var acceptance: String?
  public var status: ImprovementStatus
  public var fingerprint: String?
  public var createdAt: Date
  public var updatedAt: Date
  /// The repository of its analysis (set by the ledger on insert).
  public var repository: String?
  /// The run (a session id, or the claim token of a run not yet started) that took it with
  /// `improve --next`, and until when; see ImprovementClaims.swift.
  public var claimedBy: String?
  public var claimedUntil: Date?

  public init(
    id: String, analysisID: Int64?, title: String, rationale: String? = nil, files: [String] = [],
    category: String? = nil, impact: String? = nil, risk: String? = nil, effort: String? = nil,
    acceptance: String? = nil, status: ImprovementStatus = .open, fingerprint: String? = nil,
    createdAt: Date = Date(), updatedAt: Date? = nil
  ) {
    self.id = id
    self.analysisID = analysisID
    self.title = title
    self.rationale = rationale
    self.files = files
    self.category = category
    self.impact = impact
    self.risk = risk
    self.effort = effort
    self.acceptance = acceptance
    self.status = status
    self.fingerprint = fingerprint
    self.createdAt = createdAt
    self.updatedAt = updatedAt ?? createdAt
  }

  init(row: SQLRow) throws {
    id = row["id"]
    analysisID = row["analysis_id"]
    title = row["title"]
    rationale = row["rationale"]
    files = decodeJSON(row, "files")?.arrayValue?.compactMap(\.stringValue) ?? []
    category = row["category"]
    impact = row["impact"]
    risk = row["risk"]
    effort = row["effort"]
    acceptance = row["acceptance"]
    status = row["status"]
    fingerprint = row["fingerprint"]
    createdAt = try decodeDate(row, "created_at")
    updatedAt = try decodeDate(row, "updated_at")
    repository = row["repository"]
    claimedBy = row["claimed_by"]
    claimedUntil = try decodeOptionalDate(row, "claimed_until")
  }
}

extension Ledger {
  @discardableResult
  /// Records an analysis of `workspace`, filed under `repository` (its Repository.identity; the path when
  /// nil: a folder that is not a git repository).
  public func insertAnalysis(
    sessionID: String?, workspace: String, repository: String? = nil, headCommit: String?, signals: JSONValue?,
    summary: JSONValue?, createdAt: Date = Date()
  ) throws -> Int64 {
    try write("record an analysis") { db in
      try db.value(
        Int64.self,
        sql: """
          INSERT INTO analyses (session_id, workspace, repository, created_at, head_commit, signals, summary)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          RETURNING id
          """,
        arguments: [
          sessionID, workspace, repository ?? workspace, Timestamp.string(createdAt), headCommit, signals?.columnText,
          summary?.columnText,
        ])!
    }
  }

  public func analysis(id: Int64) throws -> AnalysisRow? {
    try read("read an analysis") { db in
      try db.row(sql: "SELECT * FROM analyses WHERE id = ?", arguments: [id]).map(AnalysisRow.init(row:))
    }
  }

  /// The newest analysis of a repository, whichever clone made it (or of this path, for older rows).
  public func latestAnalysis(repository: RepositoryRef) throws -> AnalysisRow? {
    try read("read an analysis") { db in
      try db.row(
        sql: "SELECT * FROM analyses a WHERE \(RepositoryRef.matching("a")) ORDER BY created_at DESC, id DESC LIMIT 1",
        arguments: repository.arguments
      ).map(AnalysisRow.init(row:))
    }
  }

  /// The newest analysis of a workspace path.
  public func latestAnalysis(workspace: String) throws -> AnalysisRow? {
    try read("read an analysis") { db in
      try db.row(
        sql: "SELECT * FROM analyses WHERE workspace = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        arguments: [workspace]
      ).map(AnalysisRow.init(row:))
    }
  }

  /// Inserts improvements in one transaction (an analysis's list lands whole or not at all).
  public func insertImprovements(_ items: [ImprovementRow]) throws {
    try write("record improvements") { db in
      for i in items {
        try db.execute(
          sql: """
            INSERT INTO improvements (id, analysis_id, title, rationale, files, category, impact, risk, effort,
              acceptance, status, fingerprint, created_at, updated_at, repository)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,
              (SELECT repository FROM analyses WHERE id = ?2))
            """,
          arguments: [
            i.id, i.analysisID, i.title, i.rationale, JSONValue.array(i.files.map { .string($0) }).columnText,
            i.category, i.impact, i.risk, i.effort, i.acceptance, i.status, i.fingerprint,
            Timestamp.string(i.createdAt), Timestamp.string(i.updatedAt),
          ])
      }
    }
  }

  public func improvement(id: String) throws -> ImprovementRow? {
    try read("read an improvement") { db in
      try db.row(sql: "SELECT * FROM improvements WHERE id = ?", arguments: [id]).map(ImprovementRow.init(row:))
    }
  }

  /// Improvements of one analysis, in insertion (rank) order; or all with a given status.
  public func improvements(analysisID: Int64? = nil, status: ImprovementStatus? = nil) throws -> [ImprovementRow] {
    try read("list improvements") { db in
      try db.rows(
        sql: """
          SELECT * FROM improvements WHERE (?1 IS NULL OR analysis_id = ?1) AND (?2 IS NULL OR status = ?2)
          ORDER BY rowid
          """,
        arguments: [analysisID, status]
      ).map(ImprovementRow.init(row:))
    }
  }

  /// The newest improvement with this fingerprint (the same finding seen by an earlier analysis).
  public func improvement(fingerprint: String) throws -> ImprovementRow? {
    try read("read an improvement") { db in
      try db.row(
        sql: "SELECT * FROM improvements WHERE fingerprint = ? ORDER BY created_at DESC LIMIT 1",
        arguments: [fingerprint]
      ).map(ImprovementRow.init(row:))
    }
  }

  public func setImprovementStatus(id: String, status: ImprovementStatus, at: Date = Date()) throws {
    try write("update an improvement") { db in
      let changed = try db.execute(
        sql: "UPDATE improvements SET status = ?, updated_at = ? WHERE id = ?",
        arguments: [status, Timestamp.string(at), id])
      if changed == 0 { throw ArrakisError(.usage, "no improvement '\(id)' in the ledger") }
    }
  }
}
