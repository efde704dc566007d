import ArrakisCore
import FoundationEssentials
import Glibc

/// What `improve` changed in the repository, and whether `rollback` undid it.
public struct NewSelfModification: Sendable, Equatable {
  public var sessionID: String
  public var improvementID: String?
  public var filePath: String?
  public var changeDescription: String?
  public var beforeContent: String?
  public var afterContent: String?
  public var reasoning: String?
  public var testResults: JSONValue?
  public var branch: String?
  public var baseCommit: String?
  public var resultCommit: String?
  public var success: Bool
  public var tampered: Bool
  public var status: ModificationStatus

  public init(
    sessionID: String, improvementID: String? = nil, filePath: String? = nil, changeDescription: String? = nil,
    beforeContent: String? = nil, afterContent: String? = nil, reasoning: String? = nil,
    testResults: JSONValue? = nil, branch: String? = nil, baseCommit: String? = nil, resultCommit: String? = nil,
    success: Bool, tampered: Bool = false, status: ModificationStatus = .kept
  ) {
    self.sessionID = sessionID
    self.improvementID = improvementID
    self.filePath = filePath
    self.changeDescription = changeDescription
    self.beforeContent = beforeContent
    self.afterContent = afterContent
    self.reasoning = reasoning
    self.testResults = testResults
    self.branch = branch
    self.baseCommit = baseCommit
    self.resultCommit = resultCommit
    self.success = success
    self.tampered = tampered
    self.status = status
  }
}

public struct SelfModificationRow: Codable, Sendable, Equatable {
  public var id: Int64
  public var sessionID: String
  public var improvementID: String?
  public var filePath: String?
  public var changeDescription: String?
  public var beforeContent: String?
  public var afterContent: String?
  public var reasoning: String?
  public var testResults: JSONValue?
  public var branch: String?
  public var baseCommit: String?
  public var resultCommit: String?
  public var success: Bool
  public var tampered: Bool
  public var rollbackExecuted: Bool
  public var rolledBackAt: Date?
  public var revertCommit: String?
  public var status: ModificationStatus
  public var createdAt: Date

  init(row: SQLRow) throws {
    id = row["id"]
    sessionID = row["session_id"]
    improvementID = row["improvement_id"]
    filePath = row["file_path"]
    changeDescription = row["change_description"]
    beforeContent = row["before_content"]
    afterContent = row["after_content"]
    reasoning = row["reasoning"]
    testResults = decodeJSON(row, "test_results")
    branch = row["branch"]
    baseCommit = row["base_commit"]
    resultCommit = row["result_commit"]
    success = row["success"]
    tampered = row["tampered"]
    rollbackExecuted = row["rollback_executed"]
    rolledBackAt = try decodeOptionalDate(row, "rolled_back_at")
    revertCommit = row["revert_commit"]
    status = row["status"]
    createdAt = try decodeDate(row, "created_at")
  }
}

extension Ledger {
  /// Records a modification and bumps `sessions.self_modifications_count` in the same transaction.
  @discardableResult
  public func recordSelfModification(_ m: NewSelfModification, createdAt: Date = Date()) throws -> Int64 {
    try write("record a self-modification") { db in
      let id = try db.value(
        Int64.self,
        sql: """
          INSERT INTO self_modifications (session_id, improvement_id, file_path, change_description,
            before_content, after_content, reasoning, test_results, branch, base_commit, result_commit,
            success, tampered, status, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          RETURNING id
          """,
        arguments: [
          m.sessionID, m.improvementID, m.filePath, m.changeDescription, m.beforeContent, m.afterContent,
          m.reasoning, m.testResults?.columnText, m.branch, m.baseCommit, m.resultCommit, m.success, m.tampered,
          m.status, Timestamp.string(createdAt),
        ])!
      try db.execute(
        sql: "UPDATE sessions SET self_modifications_count = self_modifications_count + 1 WHERE id = ?",
        arguments: [m.sessionID])
      return id
    }
  }

  public func selfModifications(sessionID: String) throws -> [SelfModificationRow] {
    try read("read self-modifications") { db in
      try db.rows(sql: "SELECT * FROM self_modifications WHERE session_id = ? ORDER BY id", arguments: [sessionID])
        .map(SelfModificationRow.init(row:))
    }
  }

  public func selfModification(id: Int64) throws -> SelfModificationRow? {
    try read("read a self-modification") { db in
      try db.row(sql: "SELECT * FROM self_modifications WHERE id = ?", arguments: [id]).map(SelfModificationRow.init(row:))
    }
  }

  /// Records that `rollback` undid a modification (`revertCommit` nil when the branch was deleted instead).
  public func markRolledBack(modificationID: Int64, revertCommit: String?, at: Date = Date()) throws {
    try write("record a rollback") { db in
      let changed = try db.execute(
        sql: """
          UPDATE self_modifications SET rollback_executed = 1, rolled_back_at = ?, revert_commit = ?,
            status = 'rolled_back'
          WHERE id = ?
          """,
        arguments: [Timestamp.string(at), revertCommit, modificationID])
      if changed == 0 {
        throw ArrakisError(.usage, "no self-modification \(modificationID) in the ledger")
      }
    }
  }

  /// Sets a modification's status (e.g. kept → merged).
  public func setSelfModificationStatus(id: Int64, status: ModificationStatus) throws {
    try write("update a self-modification") { db in
      let changed = try db.execute(sql: "UPDATE self_modifications SET status = ? WHERE id = ?", arguments: [status, id])
      if changed == 0 { throw ArrakisError(.usage, "no self-modification \(id) in the ledger") }
    }
  }
}
