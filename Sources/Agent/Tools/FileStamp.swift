import FoundationEssentials
import Glibc

/// What identifies a version of a file on disk without reading it: modification time to the nanosecond,
/// size and inode (Write and Edit replace files by rename, so a new version has a new inode too).
/// Edit and Write compare it with the one taken at Read to refuse a file that changed in between.
struct FileStamp: Equatable, Sendable {
  let seconds: Int
  let nanoseconds: Int
  let size: Int
  let inode: UInt64

  init?(ofResolved path: String) {
    guard let st = PathOpener.status(path) else { return nil }
    seconds = Int(st.st_mtim.tv_sec)
    nanoseconds = Int(st.st_mtim.tv_nsec)
    size = Int(st.st_size)
    inode = UInt64(st.st_ino)
  }
}
