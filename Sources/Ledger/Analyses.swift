import ArrakisCore
import Foundation
import GRDB

/// `analyze` results: one analysis per run, with ranked improvements that `improve` later picks up.
public struct AnalysisRow: Codable, Sendable, Equatable, FetchableRecord {
  public var id: Int64
  public var sessionID: String?
  public var workspace: String
  public var createdAt: Date
  public var headCommit: String?
  public var signals: JSONValue?
  public var summary: JSONValue?

  public init(row: Row) throws {
    id = row["id"]
    sessionID = row["session_id"]
    workspace = row["workspace"]
    createdAt = try decodeDate(row, "created_at")
    headCommit = row["head_commit"]
    signals = decodeJSON(row, "signals")
    summary = decodeJSON(row, "summary")
  }
}

/// An improvement, as inserted and as read back. Its id is chosen by the caller (short and typeable, for
/// `arrakis improve <id>`).
public struct ImprovementRow: Codable, Sendable, Equatable, FetchableRecord {
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

  public init(row: Row) throws {
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
  }
}

extension Ledger {
  @discardableResult
  public func insertAnalysis(
    sessionID: String?, workspace: String, headCommit: String?, signals: JSONValue?, summary: JSONValue?,
    createdAt: Date = Date()
  ) throws -> Int64 {
    try writeGRDB("record an analysis") { db in
      try db.execute(
        sql: """
          INSERT INTO analyses (session_id, workspace, created_at, head_commit, signals, summary)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          sessionID, workspace, Timestamp.string(createdAt), headCommit, signals?.columnText, summary?.columnText,
        ])
      return db.lastInsertedRowID
    }
  }

  public func analysis(id: Int64) throws -> AnalysisRow? {
    try readGRDB("read an analysis") { db in
      try AnalysisRow.fetchOne(db, sql: "SELECT * FROM analyses WHERE id = ?", arguments: [id])
    }
  }

  /// The newest analysis of a workspace.
  public func latestAnalysis(workspace: String) throws -> AnalysisRow? {
    try readGRDB("read an analysis") { db in
      try AnalysisRow.fetchOne(
        db, sql: "SELECT * FROM analyses WHERE workspace = ? ORDER BY created_at DESC, id DESC LIMIT 1",
        arguments: [workspace])
    }
  }

  /// Inserts improvements in one transaction (an analysis's list lands whole or not at all).
  public func insertImprovements(_ items: [ImprovementRow]) throws {
    try writeGRDB("record improvements") { db in
      for i in items {
        try db.execute(
          sql: """
            INSERT INTO improvements (id, analysis_id, title, rationale, files, category, impact, risk, effort,
              acceptance, status, fingerprint, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
    try readGRDB("read an improvement") { db in
      try ImprovementRow.fetchOne(db, sql: "SELECT * FROM improvements WHERE id = ?", arguments: [id])
    }
  }

  /// Improvements of one analysis, in insertion (rank) order; or all with a given status.
  public func improvements(analysisID: Int64? = nil, status: ImprovementStatus? = nil) throws -> [ImprovementRow] {
    try readGRDB("list improvements") { db in
      try ImprovementRow.fetchAll(
        db,
        sql: """
          SELECT * FROM improvements WHERE (?1 IS NULL OR analysis_id = ?1) AND (?2 IS NULL OR status = ?2)
          ORDER BY rowid
          """,
        arguments: [analysisID, status])
    }
  }

  /// The newest improvement with this fingerprint (the same finding seen by an earlier analysis).
  public func improvement(fingerprint: String) throws -> ImprovementRow? {
    try readGRDB("read an improvement") { db in
      try ImprovementRow.fetchOne(
        db, sql: "SELECT * FROM improvements WHERE fingerprint = ? ORDER BY created_at DESC LIMIT 1",
        arguments: [fingerprint])
    }
  }

  public func setImprovementStatus(id: String, status: ImprovementStatus, at: Date = Date()) throws {
    try writeGRDB("update an improvement") { db in
      try db.execute(
        sql: "UPDATE improvements SET status = ?, updated_at = ? WHERE id = ?",
        arguments: [status, Timestamp.string(at), id])
      if db.changesCount == 0 { throw ArrakisError(.usage, "no improvement '\(id)' in the ledger") }
    }
  }
}
