import ArrakisCore
import Glibc
import SQLite

/// SQLite's failures as the ledger reports them: BUSY retried, a full disk named as such, the rest as an
/// `ArrakisError` (exit status "ledger") naming the file and what to do.
extension SQLiteEngine {
  static func isBusy(_ error: SQLiteError) -> Bool {
    error.code == .busy || error.code == .locked
  }

  static func retryingBusy<T>(_ body: () throws -> T) throws -> T {
    var attempt = 0
    while true {
      do {
        return try body()
      } catch let error as SQLiteError where isBusy(error) && attempt < busyRetries {
        backoff(attempt)
        attempt += 1
      }
    }
  }

  /// Jittered, growing sleep (1–50 ms) so that racing processes do not retry in lock-step.
  static func backoff(_ attempt: Int) {
    let cap = min(50_000, 1_000 * (1 << min(attempt, 6)))
    usleep(UInt32.random(in: 500...UInt32(cap)))
  }

  func mapErrors<T>(_ what: String, _ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as SQLiteError {
      if Self.isDiskFull(error, path: path) { throw Self.diskFull("\(what) in", path) }
      throw ArrakisError(
        .ledger, "cannot \(what) in the ledger at \(path): \(Self.describe(error))",
        hint: Self.hint(for: error))
    }
  }

  /// "cannot open the ledger at …" / "cannot record a message in the ledger at …": the disk is full.
  static func diskFull(_ what: String, _ path: String) -> ArrakisError {
    ArrakisError(
      .ledger, "cannot \(what) the ledger at \(path): the disk holding it is full",
      hint: "free space on that file system, or pass --db / set ARRAKIS_DB to a ledger on another disk")
  }

  /// SQLite reports a full disk as SQLITE_FULL, or as a plain "disk I/O error" when the write that failed
  /// was the WAL's or the -shm's: then the file system's free space tells.
  static func isDiskFull(_ error: SQLiteError, path: String) -> Bool {
    if error.code == .full { return true }
    guard error.code == .ioError else { return false }
    var fs = statvfs()
    let dir = path.deletingLastPathComponent
    guard statvfs(dir.isEmpty ? "." : dir, &fs) == 0 else { return false }
    // A few blocks may remain reserved or be taken by the failed write's own partial pages.
    return fs.f_bavail < 8 || (fs.f_favail == 0 && fs.f_files > 0)
  }

  static func openError(_ path: String, _ error: Error) -> ArrakisError {
    if let db = error as? SQLiteError, isDiskFull(db, path: path) { return diskFull("open", path) }
    let detail = (error as? SQLiteError).map(describe) ?? "\(error)"
    let hint = (error as? SQLiteError).map(hint(for:))
      ?? "check that the directory of \(path) can be created and written, or pass --db / set ARRAKIS_DB"
    return ArrakisError(.ledger, "cannot open the ledger at \(path): \(detail)", hint: hint)
  }

  static func describe(_ error: SQLiteError) -> String {
    error.message.isEmpty ? "SQLite error \(error.extendedCode)" : error.message
  }

  static func hint(for error: SQLiteError) -> String {
    switch error.code {
    case .busy, .locked:
      return "another process held the ledger for more than \(busyTimeout) s; try again"
    case .readOnly, .permission, .cannotOpen:
      return "check the file's permissions, or pass --db / set ARRAKIS_DB to a writable path"
    case .notADatabase, .corrupt:
      return "the file is not an arrakis ledger or is damaged; move it aside or pass --db"
    case .full:
      return "the disk is full"
    default:
      return "pass --db / set ARRAKIS_DB to use another ledger file"
    }
  }
}
