import Glibc

// The folders NSHomeDirectory() and NSTemporaryDirectory() named, without the full Foundation
// (docs/ARCHITECTURE.md, "Foundation").

/// The user's home folder: $HOME, else the password database (what NSHomeDirectory() answers).
public func userHomeDirectory() -> String {
  if let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty { return home }
  if let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir { return String(cString: dir) }
  return "/"
}

/// Where temporary files go: $TMPDIR, else /tmp (what NSTemporaryDirectory() answers on Linux).
public func temporaryDirectory() -> String {
  if let dir = getenv("TMPDIR").map({ String(cString: $0) }), !dir.isEmpty { return dir }
  return "/tmp"
}
