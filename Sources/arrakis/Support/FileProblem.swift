import FoundationEssentials
import Glibc

/// A file-system error in words a user reads (`Permission denied`, `Is a directory`), not Foundation's
/// `NSCocoaErrorDomain error 512` codes.
enum FileProblem {
  static func reason(_ error: Error) -> String {
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    guard let cocoa = error as? CocoaError else { return "\(error)" }
    if let posix = cocoa.underlying as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    switch cocoa.code {
    case .fileNoSuchFile, .fileReadNoSuchFile: return "No such file or directory"
    case .fileWriteNoPermission, .fileReadNoPermission: return "Permission denied"
    case .fileWriteOutOfSpace: return "No space left on device"
    case .fileWriteVolumeReadOnly: return "Read-only file system"
    case .fileWriteFileExists: return "File exists"
    default: return "\(error)"
    }
  }

  /// `mkdir -p` with the system's reason on failure (Foundation reports a missing or blocked parent only as
  /// "error 512"): the reason names the path that failed, e.g. `/data/x: Not a directory`.
  static func makeFolders(_ path: String, mode: mode_t = 0o700) throws {
    var built = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
      built += "/" + part
      if mkdir(built, mode) != 0 {
        let code = errno
        var isDirectory: Bool = false
        if code == EEXIST, FileManager.default.fileExists(atPath: built, isDirectory: &isDirectory), isDirectory { continue }
        let reason = code == EEXIST ? "exists and is not a folder" : String(cString: strerror(code))
        throw FolderError(message: "\(built): \(reason)")
      }
    }
  }

  struct FolderError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}
