import ArrakisCore
import FoundationEssentials
import Glibc

/// One run at a time per repository and job (`analyze`, `improve`): an advisory `flock` on
/// `<git common dir>/arrakis/<name>.lock`. The common dir is shared by all worktrees, so a run in a linked
/// worktree and one in the main checkout exclude each other. The kernel drops the lock when the process
/// dies, so a crashed run never leaves a stale lock behind.
public final class RepositoryLock {
  public let name: String
  public let path: String
  private var fd: Int32 = -1

  /// `gitCommonDir` is the repository's common git directory (`Repository.commonDir`).
  public init(name: String, gitCommonDir: String) {
    self.name = name
    self.path = gitCommonDir + "/arrakis/" + name + ".lock"
  }

  deinit { release() }

  /// Takes the lock. Without `wait`, fails at once with exit 12 when another process holds it;
  /// `repository` is how that message names the repository.
  public func acquire(wait: Bool, repository: String) throws {
    guard fd < 0 else { return }
    let dir = path.deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    } catch {
      throw ArrakisError(.git, "cannot create \(dir) for the \(name) lock: \(error)",
                         hint: "check that the repository's .git directory is writable")
    }
    let opened = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard opened >= 0 else {
      throw ArrakisError(.git, "cannot open the lock file \(path): \(String(cString: strerror(errno)))",
                         hint: "check that the repository's .git directory is writable")
    }
    while flock(opened, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0 {
      if errno == EINTR && !Interrupt.requested { continue }
      let busy = errno == EWOULDBLOCK
      close(opened)
      if busy {
        throw ArrakisError(.locked, "another \(name) is running on \(repository)",
                           hint: "wait for it to finish, or pass --wait to queue behind it (lock: \(path))")
      }
      if Interrupt.requested { throw ArrakisError(.interrupted, "interrupted while waiting for the \(name) lock") }
      throw ArrakisError(.git, "cannot lock \(path): \(String(cString: strerror(errno)))")
    }
    // The holder's pid, for a person looking at the file; the lock itself is the flock, not this text.
    let pid = "\(getpid())\n"
    _ = ftruncate(opened, 0)
    _ = pid.withCString { write(opened, $0, strlen($0)) }
    fd = opened
  }

  public var isHeld: Bool { fd >= 0 }

  public func release() {
    guard fd >= 0 else { return }
    flock(fd, LOCK_UN)
    close(fd)
    fd = -1
  }
}
