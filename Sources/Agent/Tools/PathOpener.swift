import FoundationEssentials
import Glibc

/// Opens a path that PathGuard has already resolved and checked, one component at a time from `/` with
/// `openat(O_NOFOLLOW)`: a symlink swapped in anywhere along the path between the check and the open
/// makes the open fail (ELOOP/ENOTDIR) instead of redirecting it outside the sandbox.
enum PathOpener {
  /// Linux's O_PATH (a handle for walking, no read permission needed); not exported to Swift by Glibc.
  static let oPath: Int32 = 0o10000000

  /// A descriptor for the directory `path`. With `create`, missing components are made (mode 0755)
  /// one level at a time, each checked the same way before the next is made inside it.
  static func openDirectory(_ path: String, create: Bool = false) throws -> Int32 {
    var fd = open("/", oPath | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw FileIO.POSIXError(errno, "/") }
    var walked = ""
    for comp in PathResolver.components(path) {
      walked += "/" + comp
      var next = openat(fd, comp, oPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      if next < 0, errno == ENOENT, create {
        if mkdirat(fd, comp, 0o755) != 0 && errno != EEXIST {
          let e = errno; close(fd); throw FileIO.POSIXError(e, walked)
        }
        next = openat(fd, comp, oPath | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      }
      let e = errno
      let link = next < 0 && isSymlink(fd, comp)
      close(fd)
      guard next >= 0 else { throw FileIO.POSIXError(e, walked, link ? linkDetail : nil) }
      fd = next
    }
    return fd
  }

  /// Opens the file `path` with `flags` (O_NOFOLLOW is always added) under its parent opened as above.
  static func openFile(_ path: String, flags: Int32, mode: mode_t = 0) throws -> Int32 {
    let (dir, name) = split(path)
    let dfd = try openDirectory(dir)
    defer { close(dfd) }
    let fd = openat(dfd, name, flags | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { let e = errno; throw FileIO.POSIXError(e, path, isSymlink(dfd, name) ? linkDetail : nil) }
    return fd
  }

  static let linkDetail = "is now a symbolic link (it was not when the path was checked); file tools never follow it"

  private static func isSymlink(_ dir: Int32, _ name: String) -> Bool {
    var st = stat()
    return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_mode & S_IFMT == S_IFLNK
  }

  /// `lstat` of the final component, reached through the same walk (nil when missing).
  static func status(_ path: String) -> stat? {
    guard path != "/" else { var st = stat(); return stat("/", &st) == 0 ? st : nil }
    let (dir, name) = split(path)
    guard let dfd = try? openDirectory(dir) else { return nil }
    defer { close(dfd) }
    var st = stat()
    return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? st : nil
  }

  static func split(_ path: String) -> (dir: String, name: String) {
    let name = PathResolver.components(path).last ?? "."
    return (PathResolver.parent(path), name)
  }
}
