import FoundationEssentials
import Glibc

/// Byte-level file helpers on POSIX calls: Foundation's FileManager is slow on Linux and hides errno,
/// and the tools need to tell "missing" from "is a directory" from "too big".
enum FileIO {
  enum Kind { case missing, file, directory, other }

  /// What `path` is, following symlinks (for paths arrakis chose itself, such as PATH entries).
  static func kind(_ path: String) -> Kind {
    var st = stat()
    guard stat(path, &st) == 0 else { return .missing }
    return kind(st)
  }

  /// What a resolved tool path is, reached component by component without following symlinks: the
  /// resolved path has none, so one found now was swapped in since the check and counts as `.other`.
  static func kind(ofResolved path: String) -> Kind {
    guard let st = PathOpener.status(path) else { return .missing }
    return kind(st)
  }

  private static func kind(_ st: stat) -> Kind {
    switch st.st_mode & S_IFMT {
    case S_IFREG: return .file
    case S_IFDIR: return .directory
    default: return .other
    }
  }

  static func size(_ path: String) -> Int? {
    PathOpener.status(path).map { Int($0.st_size) }
  }

  static func mtime(_ path: String) -> Double {
    var st = stat()
    guard lstat(path, &st) == 0 else { return 0 }
    return Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9
  }

  /// Reads at most `limit` bytes of a regular file, opened component by component without following
  /// symlinks (PathOpener); O_NONBLOCK so a FIFO swapped in cannot block the open, refused after fstat.
  static func read(_ path: String, limit: Int = .max) throws -> [UInt8] {
    let fd = try PathOpener.openFile(path, flags: O_RDONLY | O_NONBLOCK)
    defer { close(fd) }
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { throw POSIXError(EINVAL, path, "not a regular file") }
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

  /// Writes through a temp file + rename so a crash never leaves a half-written source file. Parent
  /// directories are created one level at a time and every level is opened without following symlinks
  /// (PathOpener), so the file lands exactly at the resolved, checked path.
  static func write(_ path: String, _ bytes: [UInt8]) throws {
    let (dir, name) = PathOpener.split(path)
    let dfd = try PathOpener.openDirectory(dir, create: true)
    defer { close(dfd) }
    var mode: mode_t = 0o644
    var st = stat()
    if fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 {
      guard st.st_mode & S_IFMT == S_IFREG else {
        throw POSIXError(EINVAL, path, st.st_mode & S_IFMT == S_IFLNK ? PathOpener.linkDetail : "not a regular file")
      }
      mode = st.st_mode & 0o7777
    }
    let tmp = ".arrakis-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { throw POSIXError(errno, dir + "/" + tmp) }
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
    if ok { fchmod(fd, mode) }
    close(fd)
    guard ok else { unlinkat(dfd, tmp, 0); throw POSIXError(err, path) }
    guard renameat(dfd, tmp, dfd, name) == 0 else { let e = errno; unlinkat(dfd, tmp, 0); throw POSIXError(e, path) }
  }

  static func containsNUL(_ bytes: [UInt8], prefix: Int = 8192) -> Bool {
    bytes.withUnsafeBytes { buf in
      guard let base = buf.baseAddress else { return false }
      return memchr(base, 0, min(buf.count, prefix)) != nil
    }
  }

  struct POSIXError: Error, CustomStringConvertible {
    var code: Int32
    var path: String
    var detail: String?
    init(_ code: Int32, _ path: String, _ detail: String? = nil) { self.code = code; self.path = path; self.detail = detail }
    var description: String { "\(path): \(detail ?? String(cString: strerror(code)))" }
  }
}
