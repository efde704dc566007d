import ArrakisCore
import Foundation
import TestSupport
import Testing

@testable import Agent

/// A git workspace holding the symlinks of the adversarial pass (committed, as a cloned repository would
/// bring them), next to an outside directory holding a secret.
final class EscapeFixture {
  let ws = TempWorkspace()
  let outside = TempWorkspace()
  let secret = "TOP SECRET \(UUID().uuidString)"
  var root: String { ws.root }

  init() throws {
    outside.write("secret.txt", secret)
    ws.write("ok.txt", "fine\n")
    ws.write("d1/d2/keep.txt", "x\n")
    try GitFixture.sh("git init -q -b main . && git config core.fsmonitor false", cwd: root)
    let links: [(String, String)] = [
      (outside.root, "out"), (".git", "gitlink"), ("/", "rootlink"), ("out", "link2"),
      ("../" + (outside.root as NSString).lastPathComponent, "up"), ("loop2", "loop1"), ("loop1", "loop2"),
      (outside.root + "/missing-dir", "dangling"),
    ]
    for (target, name) in links { symlink(target, root + "/" + name) }
    try GitFixture.sh("git add -A && git commit -qm 'links'", cwd: root)
  }

  /// Every file under `dir` with its bytes (symlinks by their target), for "nothing changed" checks.
  static func snapshot(_ dir: String) -> [String: String] {
    var out: [String: String] = [:]
    guard let e = FileManager.default.enumerator(atPath: dir) else { return out }
    while let rel = e.nextObject() as? String {
      let p = dir + "/" + rel
      if let t = try? FileManager.default.destinationOfSymbolicLink(atPath: p) { out[rel] = "-> " + t; continue }
      var isDir: ObjCBool = false
      if FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue {
        out[rel] = (try? Data(contentsOf: URL(fileURLWithPath: p))).map { String(decoding: $0, as: UTF8.self) } ?? "?"
      } else {
        out[rel] = "dir"
      }
    }
    return out
  }

  var gitSnapshot: [String: String] { Self.snapshot(root + "/.git") }
  var outsideSnapshot: [String: String] { Self.snapshot(outside.root) }

  /// The path prefixes that all lead to the outside directory through a link, the way the pass found.
  var outsideRoutes: [String] {
    [
      "nx/../out", "a/b/../../out", "d1/d2/../../out", "./nx/./../out", "nx/./../link2", "nx/../up", "up",
      "nx/../rootlink" + outside.root, "d1/../nx/../rootlink" + outside.root, "dangling/..", "nx/../dangling/..",
    ]
  }

  /// Prefixes that lead into `.git` through a link.
  let gitRoutes = ["nx/../gitlink", "a/b/../../gitlink", "./nx/./../gitlink", "d1/d2/../../gitlink", "gitlink", "nx/../.git"]
}

func policy(_ level: PermissionLevel) -> PermissionPolicy { PermissionPolicy(level: level, askAbove: nil) }

/// Issue 10: paths through a missing folder, a link, a loop… never reach outside the workspace or into `.git`.
@Suite struct PathEscapeTests {
  @Test func readsThroughMissingFoldersAndLinksAreDeniedAtEveryLevel() async throws {
    let f = try EscapeFixture()
    let ctx = f.ws.context()
    var paths = f.outsideRoutes.map { $0 + "/secret.txt" }
    paths += ["loop1/secret.txt", "nx/../loop1", "nx/../loop2/../out/secret.txt", "dangling"]
    for level in [PermissionLevel.readOnly, .safeWrite, .fullAccess] {
      for p in paths {
        let o = await call("Read", ["file_path": .string(p)], ctx, policy: policy(level))
        #expect(o.isDenied, "\(level) Read \(p) was not denied: \(o.text.prefix(120))")
        #expect(!o.text.contains(f.secret), "\(level) Read \(p) returned the secret")
      }
    }
    // The same resolution leaves ordinary paths working.
    let ok = await call("Read", ["file_path": "nx/../d1/d2/../../ok.txt"], ctx)
    #expect(!ok.isError && ok.text.contains("fine"))
  }

  @Test func writesThroughMissingFoldersAndLinksAreDeniedAndWriteNothing() async throws {
    let f = try EscapeFixture()
    let git = f.gitSnapshot, outside = f.outsideSnapshot
    for level in [PermissionLevel.readOnly, .safeWrite, .fullAccess] {
      let ctx = f.ws.context()
      var paths = f.outsideRoutes.flatMap { [$0 + "/newdir/planted.txt", $0 + "/planted.txt", $0 + "/secret.txt"] }
      paths += f.gitRoutes.flatMap { [$0 + "/hooks/post-commit", $0 + "/config", $0 + "/newdir/x"] }
      paths += ["dangling", "nx/../dangling", "loop1", "nx/../loop1/x", "link2"]
      for p in paths {
        let o = await call("Write", ["file_path": .string(p), "content": "pwned"], ctx, policy: policy(level))
        #expect(o.isDenied, "\(level) Write \(p) was not denied: \(o.text.prefix(120))")
      }
    }
    #expect(f.gitSnapshot == git, ".git changed")
    #expect(f.outsideSnapshot == outside, "something was written outside the workspace")
    #expect(!FileManager.default.fileExists(atPath: f.root + "/nx"), "a parent directory was created for a denied write")
    // Creating parents still works inside, one checked level at a time.
    let ok = await call("Write", ["file_path": "nx/../fresh/deep/new.txt", "content": "ok"], f.ws.context(), policy: policy(.safeWrite))
    #expect(!ok.isError && f.ws.read("fresh/deep/new.txt") == "ok")
  }

  @Test func editOfGitConfigThroughALinkCannotPlantFsmonitor() async throws {
    let f = try EscapeFixture()
    let git = f.gitSnapshot, outside = f.outsideSnapshot
    let ctx = f.ws.context()
    for level in [PermissionLevel.fullAccess, .selfModify] {
      for route in f.gitRoutes {
        let read = await call("Read", ["file_path": .string(route + "/config")], ctx, policy: policy(level))
        #expect(!read.isDenied && read.text.contains("[core]"))  // reading .git stays allowed
        let o = await call("Edit", ["file_path": .string(route + "/config"), "old_string": "[core]",
                                    "new_string": "[core]\n\tfsmonitor = touch /tmp/arrakis-pwned"], ctx, policy: policy(level))
        #expect(o.isDenied, "Edit \(route)/config was not denied: \(o.text.prefix(120))")
      }
      for route in f.outsideRoutes {
        _ = await call("Read", ["file_path": .string(route + "/secret.txt")], ctx, policy: policy(level))
        let o = await call("Edit", ["file_path": .string(route + "/secret.txt"), "old_string": "TOP", "new_string": "x"], ctx, policy: policy(level))
        #expect(o.isDenied, "Edit \(route)/secret.txt was not denied")
        #expect(!o.text.contains(f.secret))
      }
    }
    #expect(f.gitSnapshot == git, ".git changed")
    #expect(f.outsideSnapshot == outside)
  }

  @Test func globAndGrepPathsThroughLinksAreDenied() async throws {
    let f = try EscapeFixture()
    let engines = [GrepEngine.builtin] + (ProcessRunner.which("rg").map { [GrepEngine.ripgrep(path: $0)] } ?? [])
    for engine in engines {
      let ctx = f.ws.context(engine: engine)
      for route in f.outsideRoutes + ["loop1", "nx/../loop1"] {
        let g = await call("Glob", ["pattern": "*", "path": .string(route)], ctx, policy: policy(.readOnly))
        #expect(g.isDenied, "Glob path \(route) was not denied: \(g.text.prefix(120))")
        #expect(!g.text.contains("secret.txt"))
        let r = await call("Grep", ["pattern": "TOP SECRET", "path": .string(route), "output_mode": "content"], ctx, policy: policy(.readOnly))
        #expect(r.isDenied, "Grep path \(route) was not denied: \(r.text.prefix(120))")
        #expect(!r.text.contains(f.secret))
      }
      // A pattern that walks up or through a link is refused or finds nothing outside.
      for pattern in ["nx/../out/*", "../*/secret.txt", "out/*", "rootlink" + f.outside.root + "/*", "up/*"] {
        let g = await call("Glob", ["pattern": .string(pattern)], ctx, policy: policy(.readOnly))
        #expect(g.isDenied || g.isError || g.text == "No files found", "Glob \(pattern): \(g.text.prefix(120))")
      }
      let all = await call("Grep", ["pattern": "TOP SECRET", "output_mode": "content"], ctx, policy: policy(.readOnly))
      #expect(!all.text.contains(f.secret))
    }
  }

  /// A `.git` file names the gitdir (linked worktrees, submodules, --separate-git-dir): it is refused for
  /// writing under any name, and so is anything git would take for a git directory.
  @Test func gitdirNamedByAGitFileIsNeverWritten() async throws {
    let f = try EscapeFixture()
    try GitFixture.sh("git init -q --separate-git-dir \(f.root)/meta \(f.root)/proj && ln -s meta metalink && git init -q --bare store", cwd: f.root)
    let meta = EscapeFixture.snapshot(f.root + "/meta"), store = EscapeFixture.snapshot(f.root + "/store")
    let ctx = f.ws.context()
    for p in ["meta/hooks/post-commit", "meta/config", "nx/../metalink/config", "metalink/hooks/x", "proj/.git",
              "store/hooks/pre-push", "nx/../store/config", "meta/newdir/x"] {
      let o = await call("Write", ["file_path": .string(p), "content": "pwned"], ctx, policy: policy(.fullAccess))
      #expect(o.isDenied, "Write \(p) was not denied: \(o.text.prefix(120))")
    }
    #expect(EscapeFixture.snapshot(f.root + "/meta") == meta)
    #expect(EscapeFixture.snapshot(f.root + "/store") == store)
    // The worktree itself stays writable.
    let ok = await call("Write", ["file_path": "proj/main.c", "content": "int main;"], ctx, policy: policy(.fullAccess))
    #expect(!ok.isError)
  }

  /// A workspace that is a linked worktree: its `.git` file names main/.git/worktrees/<name>, and the
  /// main repository is an allowed directory too; neither gitdir is written through any route.
  @Test func linkedWorktreeGitdirsAreNeverWritten() async throws {
    let f = try EscapeFixture()
    let wt = f.outside.root + "/wt"
    try GitFixture.sh("git worktree add -q \(wt) -b side && ln -s \(f.root)/.git/worktrees/wt \(wt)/gd", cwd: f.root)
    let gitdir = EscapeFixture.snapshot(f.root + "/.git")
    var sb = SandboxPolicy(workspace: wt)
    sb.allowedDirectories = [wt, f.root]
    let ctx = ToolContext(root: wt, sandbox: sb, grepEngine: .builtin)
    for p in ["gd/HEAD", "nx/../gd/hooks/x", "nx/../gd/../../hooks/post-commit", f.root + "/.git/config", ".git", "nx/../.git"] {
      let o = await call("Write", ["file_path": .string(p), "content": "pwned"], ctx, policy: policy(.fullAccess))
      #expect(o.isDenied, "Write \(p) was not denied: \(o.text.prefix(120))")
    }
    #expect(EscapeFixture.snapshot(f.root + "/.git") == gitdir)
    let ok = await call("Write", ["file_path": "src/new.txt", "content": "fine"], ctx, policy: policy(.fullAccess))
    #expect(!ok.isError)
  }

  /// A directory swapped for a symlink between the check and the open: the component-wise O_NOFOLLOW
  /// open fails instead of following it.
  @Test func aLinkSwappedInAfterTheCheckIsNotFollowed() throws {
    let f = try EscapeFixture()
    f.ws.write("sub/secret.txt", "inside")
    let ctx = f.ws.context()
    let readPath = try ctx.resolve("sub/secret.txt", for: .read)
    let writePath = try ctx.resolve("sub/newdir/planted.txt", for: .write)
    try FileManager.default.removeItem(atPath: f.root + "/sub")
    symlink(f.outside.root, f.root + "/sub")
    #expect(throws: (any Error).self) { try FileIO.read(readPath) }
    #expect(throws: (any Error).self) { try FileIO.write(writePath, Array("pwned".utf8)) }
    do { _ = try FileIO.read(readPath) } catch { #expect("\(error)".contains("symbolic link"), "\(error)") }
    #expect(!FileManager.default.fileExists(atPath: f.outside.root + "/newdir"))
    // The final component swapped too.
    f.ws.write("real.txt", "x")
    let last = try ctx.resolve("real.txt", for: .write)
    try FileManager.default.removeItem(atPath: last)
    symlink(f.outside.root + "/secret.txt", last)
    #expect(throws: (any Error).self) { try FileIO.read(last) }
    #expect(throws: (any Error).self) { try FileIO.write(last, Array("replaced".utf8)) }
    #expect(f.outside.read("secret.txt") == f.secret)
  }

  @Test func bashStartsOnlyInTheResolvedWorkspace() async throws {
    let f = try EscapeFixture()
    let ctx = f.ws.context()
    _ = await call("Bash", ["command": "mkdir -p sub && cd sub"], ctx)
    #expect(ctx.bashCwd == f.root + "/sub")
    try FileManager.default.removeItem(atPath: f.root + "/sub")
    symlink(f.outside.root, f.root + "/sub")
    let o = await call("Bash", ["command": "pwd -P; ls"], ctx)
    #expect(o.text.hasPrefix(f.root + "\n"), "Bash started in \(o.text.prefix(120))")
    #expect(!o.text.contains("secret.txt"))
  }

  /// Under `--sandbox os` Bash cannot write outside, but it can make `rootlink2 -> /` inside; the file
  /// tools must not then write on the host through it.
  @Test(.enabled(if: bubblewrapRuns, "bubblewrap cannot run here"))
  func linksMadeByConfinedBashDoNotLetFileToolsOut() async throws {
    let f = try EscapeFixture()
    let git = f.gitSnapshot, outside = f.outsideSnapshot
    let ctx = f.ws.context { $0.mode = .os }
    let made = await call("Bash", ["command": .string("ln -s / rootlink2 && ln -s .git gl2 && echo x > \(f.outside.root)/planted.txt")], ctx)
    #expect(made.isError)  // the host write fails inside bubblewrap
    #expect(FileManager.default.fileExists(atPath: f.root + "/rootlink2"))
    for level in [PermissionLevel.safeWrite, .fullAccess] {
      for p in ["nx/../rootlink2" + f.outside.root + "/planted.txt", "nx/../rootlink2" + f.outside.root + "/newdir/x",
                "nx/../gl2/hooks/post-commit", "a/b/../../rootlink2/tmp/arrakis-host-\(getpid())"] {
        let o = await call("Write", ["file_path": .string(p), "content": "pwned"], ctx, policy: policy(level))
        #expect(o.isDenied, "\(level) Write \(p) was not denied: \(o.text.prefix(120))")
      }
      let r = await call("Read", ["file_path": .string("nx/../rootlink2" + f.outside.root + "/secret.txt")], ctx, policy: policy(level))
      #expect(r.isDenied && !r.text.contains(f.secret))
    }
    #expect(f.gitSnapshot == git)
    #expect(f.outsideSnapshot == outside)
    #expect(!FileManager.default.fileExists(atPath: "/tmp/arrakis-host-\(getpid())"))
  }

  @Test func resolutionFollowsLinksBeforeDotDot() throws {
    let f = try EscapeFixture()
    func resolved(_ p: String) -> String { PathResolver.resolve(p, base: f.root).path }
    #expect(resolved("nx/../out/secret.txt") == f.outside.root + "/secret.txt")
    #expect(resolved("a/b/../../link2/x") == f.outside.root + "/x")
    #expect(resolved("./nx/./../up") == f.outside.root)
    #expect(resolved("nx/../gitlink/hooks") == f.root + "/.git/hooks")
    #expect(resolved("nx/a/../b") == f.root + "/nx/b")
    #expect(PathResolver.resolve("loop1/x", base: f.root).failure?.contains("symbolic links") == true)
    #expect(PathResolver.resolve("nx/../loop2", base: f.root).failure != nil)
  }
}

/// The built-in Grep engine (no rg) is bounded: a catastrophic pattern is an error, Ctrl-C stops it.
@Suite struct GrepBudgetTests {
  @Test func catastrophicBacktrackingIsStoppedWithAClearError() async throws {
    let ws = TempWorkspace()
    ws.write("evil.txt", String(repeating: "a", count: 40) + "!\n")
    let ctx = ws.context(engine: .builtin)
    ctx.limits.grepFileSeconds = 1
    var o: ToolOutcome?
    let t = await elapsed { o = await call("Grep", ["pattern": "(a+)+$", "output_mode": "content"], ctx) }
    #expect(t < hangBound)
    let out = try #require(o)
    #expect(out.isError)
    #expect(out.text.contains("exceeded the built-in engine's budget"), "\(out.text)")
    #expect(out.text.contains("(a+)+$") && out.text.contains("evil.txt"))
  }

  @Test func interruptStopsTheBuiltinEngine() throws {
    let ws = TempWorkspace()
    for k in 0..<8 { ws.write("evil\(k).txt", String(repeating: "a", count: 40) + "!\n") }
    let r = GrepRequest(pattern: "(a+)+$", searchPath: ws.root, displayPath: "", isFile: false)
    let flag = Flag()
    let budget = RegexBudget(perFile: 600, perCall: 600, stop: { flag.isSet })
    // A thread of its own, as a signal handler would be: Dispatch's pool is busy with the search itself.
    Thread { usleep(500_000); flag.set() }.start()
    let start = Date()
    #expect(throws: GrepError.self) { try BuiltinGrep(r).search(ignoreRoot: ws.root, budget: budget) }
    #expect(Date().timeIntervalSince(start) < hangBound)
    #expect(budget.error(pattern: r.pattern)?.message.contains("interrupted") == true)
  }

  @Test func ordinaryPatternsAreUnaffected() async {
    let ws = TempWorkspace()
    ws.write("a.txt", String(repeating: "a", count: 40) + "\n")
    let o = await call("Grep", ["pattern": "(a+)+$", "output_mode": "count"], ws.context(engine: .builtin))
    #expect(!o.isError && o.text == "a.txt:1")
  }
}

final class Flag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false
  var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
  func set() { lock.lock(); value = true; lock.unlock() }
}

/// The session's state directory (Bash's files, background-run logs) can be Read, never written.
@Suite struct StateDirectoryTests {
  @Test func readableNotWritable() async throws {
    let f = try EscapeFixture()
    let ctx = f.ws.context()
    let log = ctx.stateDirectory + "/run.log"
    FileManager.default.createFile(atPath: log, contents: Data("started\n".utf8))
    let r = await call("Read", ["file_path": .string(log)], ctx)
    #expect(!r.isError && r.text.contains("started"))
    let w = await call("Write", ["file_path": .string(ctx.stateDirectory + "/x.txt"), "content": "x"], ctx)
    #expect(w.isDenied)
    // Its parent, the shared temporary directory, stays out of reach.
    let up = await call("Read", ["file_path": .string(ctx.stateDirectory + "/../" + (f.outside.root as NSString).lastPathComponent + "/secret.txt")], ctx)
    #expect(up.isDenied && !up.text.contains(f.secret))
  }
}
