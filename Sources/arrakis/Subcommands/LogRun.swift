import ArgumentParser
import ArrakisCore
import FoundationEssentials
import Glibc
import Ledger

/// Maintenance commands are runs like any other: a `log` session says what was done (exit_reason) or why not.
enum LogRun {
  @discardableResult
  static func record(_ db: Ledger, prompt: String, _ body: () throws -> String) throws -> String {
    let id = try db.startSession(NewSession(systemType: .log, workspace: nil, prompt: prompt))
    do {
      let done = try body()
      try db.finishSession(id: id, status: .success, exitCode: 0, exitReason: done)
      return done
    } catch let error as ArrakisError {
      try? db.finishSession(id: id, status: .failed, error: error.message, exitCode: Int(error.status.rawValue))
      throw error
    }
  }
}
