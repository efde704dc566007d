import Foundation

/// A file-system error in words a user reads (`Permission denied`, `Is a directory`), not Foundation's
/// `NSCocoaErrorDomain error 512` codes.
enum FileProblem {
  static func reason(_ error: Error) -> String {
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    switch ns.code {
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return "No such file or directory"
    case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return "Permission denied"
    case NSFileWriteOutOfSpaceError: return "No space left on device"
    case NSFileWriteVolumeReadOnlyError: return "Read-only file system"
    case NSFileWriteFileExistsError: return "File exists"
    default: return ns.localizedFailureReason ?? ns.localizedDescription
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
        var isDirectory: ObjCBool = false
        if code == EEXIST, FileManager.default.fileExists(atPath: built, isDirectory: &isDirectory), isDirectory.boolValue { continue }
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
