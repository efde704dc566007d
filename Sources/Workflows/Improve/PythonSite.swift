import Agent
import ArrakisCore
import FoundationEssentials

/// What Python would load before any test runs, from outside the worktree: `sitecustomize.py`,
/// `usercustomize.py` and `.pth` files on `sys.path`. An agent's Bash under the policy sandbox can plant one
/// (say a `sitecustomize.py` setting `PYTEST_ADDOPTS`) in a virtualenv; the gate compares a fingerprint taken
/// before the agent with one taken at each gate run. And where the code under test is imported from: an
/// editable install of the user's checkout would have the gate judge the wrong tree.
enum PythonSite {
  static let probe = """
    import os, sys, hashlib
    root = os.path.realpath(sys.argv[1])
    for d in sys.path:
        d = os.path.realpath(d or '.')
        if d == root or d.startswith(root + os.sep) or not os.path.isdir(d): continue
        try: names = sorted(os.listdir(d))
        except OSError: continue
        for n in names:
            if n in ('sitecustomize.py', 'usercustomize.py') or n.endswith('.pth'):
                p = os.path.join(d, n)
                try: h = hashlib.sha256(open(p, 'rb').read()).hexdigest()
                except OSError: h = '?'
                print(p + '\\t' + h)
    """

  static func python(_ env: [String: String]) -> String? {
    let path = env["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/python3"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// path → sha256 of every start-up file outside the worktree; empty when there is no python3.
  static func fingerprint(worktree: String, environment: [String: String]) -> [String: String] {
    guard let python = python(environment) else { return [:] }
    let r = ProcessRunner.runSync(
      [python, "-c", probe, worktree], environment: environment, directory: worktree, timeoutMs: 30_000)
    guard r.exitCode == 0 else { return [:] }
    var out: [String: String] = [:]
    for line in r.output.split(separator: "\n") {
      let parts = line.split(separator: "\t", maxSplits: 1)
      if parts.count == 2 { out[String(parts[0])] = String(parts[1]) }
    }
    return out
  }

  /// One finding per start-up file that appeared or changed since `before`. A new one is removed (the run
  /// planted it; it must not stay behind on the machine); a changed one cannot be put back and is only named.
  static func changes(from before: [String: String], to after: [String: String]) -> [String] {
    after.keys.sorted().compactMap { path in
      guard before[path] != after[path] else { return nil }
      let name = path.lastPathComponent
      guard before[path] == nil else {
        return "\(path): changed Python start-up file \(name) outside the worktree (it runs before every test)"
      }
      let removed = (try? FileManager.default.removeItem(atPath: path)) != nil
      return "\(path): new Python start-up file \(name) outside the worktree (it runs before every test)"
        + (removed ? "; removed" : "")
    }
  }

  /// The worktree's top-level Python packages and modules (at its root or under src/), tests left out.
  static func packages(in worktree: String) -> [String] {
    var names: [String] = []
    for base in [worktree, worktree + "/src"] {
      guard let entries = try? FileManager.default.contentsOfDirectory(atPath: base) else { continue }
      for e in entries.sorted() where !e.hasPrefix(".") && !e.hasPrefix("test") && e != "setup.py" && e != "conftest.py" {
        let full = base + "/" + e
        if e.hasSuffix(".py") { names.append(String(e.dropLast(3))) }
        else if FileManager.default.fileExists(atPath: full + "/__init__.py") { names.append(e) }
      }
    }
    return names.filter { $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } }
  }

  static let importLine = SearchPattern(
    #"^[ \t]*(?:from[ \t]+([A-Za-z_]\w*)|import[ \t]+([A-Za-z_]\w*))"#, anchorsMatchLines: true)

  /// Top-level modules the test files import.
  static func imports(ofTests files: [String], in worktree: String) -> [String] {
    var names: [String] = []
    for file in files where file.hasSuffix(".py") {
      guard let text = try? String(contentsOfFile: worktree + "/" + file, encoding: .utf8) else { continue }
      for m in LinePattern.all(importLine, in: text) {
        if let name = m[0] ?? m[1], !names.contains(name) { names.append(name) }
      }
    }
    return names
  }

  /// Modules the gate's Python would import from the wrong tree (name → where), found without running them
  /// (`importlib.util.find_spec`): the worktree's own packages resolving anywhere else, and any module the
  /// tests import resolving into the user's checkout (an editable install of it). Dependencies installed
  /// elsewhere are fine.
  static func importedFromOutside(
    worktree: String, userCheckout: String, testFiles: [String], environment: [String: String]
  ) -> [(String, String)] {
    let own = packages(in: worktree)
    let names = own + imports(ofTests: testFiles, in: worktree).filter { !own.contains($0) }
    guard !names.isEmpty, let python = python(environment) else { return [] }
    let user = userCheckout.resolvingSymlinksInPath
    let script = """
      import importlib.util, sys
      for n in sys.argv[1:]:
          try: s = importlib.util.find_spec(n)
          except Exception: s = None
          o = (s.origin or (list(s.submodule_search_locations or []) or [''])[0]) if s else ''
          print(n + '\\t' + (o or ''))
      """
    let r = ProcessRunner.runSync([python, "-c", script] + names, environment: environment, directory: worktree, timeoutMs: 30_000)
    guard r.exitCode == 0 else { return [] }
    let root = worktree.resolvingSymlinksInPath
    return r.output.split(separator: "\n").compactMap { line in
      let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
      guard parts.count == 2, !parts[1].isEmpty, parts[1] != "built-in", parts[1] != "frozen" else { return nil }
      let origin = parts[1].resolvingSymlinksInPath
      if origin.hasPrefix(root + "/") { return nil }
      return own.contains(parts[0]) || origin.hasPrefix(user + "/") ? (parts[0], origin) : nil
    }
  }
}
