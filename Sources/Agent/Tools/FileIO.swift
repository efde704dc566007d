import Foundation

/// Byte-level file helpers on POSIX calls: Foundation's FileManager is slow on Linux and hides errno,
/// and the tools need to tell "missing" from "is a directory" from "too big".
enum FileIO {
  enum Kind { case missing, file, directory, other }

  static func kind(_ path: String) -> Kind {
    var st = stat()
    guard stat(path, &st) == 0 else { return .missing }
    switch st.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  static func size(_ path: String) -> Int? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return Int(st.st_size)
  }

  static func mtime(_ path: String) -> Double {
    var st = stat()
    guard stat(path, &st) == 0 else { return 0 }
    return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
  }

  /// Reads at most `limit` bytes; never blocks forever on special files because callers only pass regular files.
  static func read(_ path: String, limit: Int = .max) throws -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw POSIXError(errno, path) }
    defer { close(fd) }
    var st = stat()
    fstat(fd, &st)
    var out = [UInt8]()
    out.reserveCapacity(min(limit, max(Int(st.st_size), 0)))
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while out.count < limit {
      let want = min(chunk.count, limit - out.count)
      let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, want) }
      if n < 0 { if errno == EINTR { continue }; throw POSIXError(errno, path) }
      if n == 0 { break }
      out.append(contentsOf: chunk[0..<n])
    }
    return out
  }

  /// Writes through a temp file + rename so a crash never leaves a half-written source file.
  static func write(_ path: String, _ bytes: [UInt8]) throws {
    let dir = (path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    var mode: mode_t = 0o644
    var st = stat()
    if stat(path, &st) == 0 { mode = st.st_mode & 0o7777 }
    let tmp = dir + "/.arrakis-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
    guard fd >= 0 else { throw POSIXError(errno, tmp) }
    var ok = true
    bytes.withUnsafeBytes { buf in
      var off = 0
      while off < buf.count {
        let n = Glibc.write(fd, buf.baseAddress! + off, buf.count - off)
        if n < 0 { if errno == EINTR { continue }; ok = false; return }
        off += n
      }
    }
    let err = errno
    close(fd)
    guard ok else { unlink(tmp); throw POSIXError(err, path) }
    fchmodCompat(tmp, mode)
    guard rename(tmp, path) == 0 else { let e = errno; unlink(tmp); throw POSIXError(e, path) }
  }

  private static func fchmodCompat(_ path: String, _ mode: mode_t) { chmod(path, mode) }

  static func containsNUL(_ bytes: [UInt8], prefix: Int = 8192) -> Bool {
    bytes.withUnsafeBytes { buf in
      guard let base = buf.baseAddress else { return false }
      return memchr(base, 0, min(buf.count, prefix)) != nil
    }
  }

  struct POSIXError: Error, CustomStringConvertible {
    var code: Int32
    var path: String
    init(_ code: Int32, _ path: String) { self.code = code; self.path = path }
    var description: String { "\(path): \(String(cString: strerror(code)))" }
  }
}
