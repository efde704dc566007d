import Foundation

/// Shell and git helpers for tests that drive real repositories with the git CLI.
public enum GitFixture {
  /// Runs `command` with /bin/sh in `cwd`; throws with the output when it fails.
  @discardableResult
  public static func sh(_ command: String, cwd: String) throws -> String {
    try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", command]
    p.currentDirectoryURL = URL(fileURLWithPath: cwd)
    var env = ProcessInfo.processInfo.environment
    env["GIT_AUTHOR_NAME"] = "t"; env["GIT_AUTHOR_EMAIL"] = "t@t"
    env["GIT_COMMITTER_NAME"] = "t"; env["GIT_COMMITTER_EMAIL"] = "t@t"
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    if p.terminationStatus != 0 {
      throw NSError(domain: "GitFixture", code: Int(p.terminationStatus), userInfo: [NSLocalizedDescriptionKey: "\(command): \(text)"])
    }
    return text
  }

  /// Everything a user could notice about their repository: HEAD, status, refs (without arrakis's own),
  /// stash, index and the bytes of every working file. Equal fingerprints mean "untouched".
  public static func fingerprint(_ repo: String) throws -> String {
    try sh("""
      git rev-parse HEAD; git symbolic-ref -q HEAD; git status --porcelain --untracked-files=all
      git for-each-ref --format='%(refname) %(objectname)' | grep -v '^refs/heads/arrakis/' || true
      git stash list; git ls-files --stage
      find . -path ./.git -prune -o -type f -print | LC_ALL=C sort | xargs sha1sum
      """, cwd: repo)
  }
}
