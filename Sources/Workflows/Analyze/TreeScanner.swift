import ArrakisCore
import Dispatch
import FoundationEssentials
import Glibc

/// Walks a working tree and measures every text file (see `TreeSignals`). No git: the ignore rules come
/// from the tree's own .gitignore files, and the walk uses readdir directly because it is several times
/// faster than FileManager's enumerator on large trees. Files are read once each, in parallel.
public struct TreeScanner: Sendable {
  public struct Options: Sendable {
    /// Files larger than this are skipped (generated code, fixtures, data). 2 MB, not 1: translation
    /// catalogues (git/git's po/bg.po is 1.1 MB) are text people edit and leave markers in.
    public var maxFileBytes = 2_000_000
    /// Directory names never entered, at any depth.
    public var skipDirectories: Set<String> = [".git", "node_modules", "vendor", ".hg", ".svn", "__pycache__", ".swiftpm"]
    /// Directory name prefixes never entered (`.build`, `.build-release`, …).
    public var skipDirectoryPrefixes: [String] = [".build"]
    public var respectGitignore = true

    public init() {}
  }

  public var options: Options

  public init(options: Options = Options()) {
    self.options = options
  }

  public func scan(_ root: String) throws -> TreeSignals {
    let started = DispatchTime.now().uptimeNanoseconds
    var isDir: Bool = false
    guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir else {
      throw ArrakisError(.usage, "cannot analyse \(root): not a directory")
    }
    let rootPath = root.hasSuffix("/") && root.count > 1 ? String(root.dropLast()) : root
    var walk = TreeWalk(root: rootPath, options: options)
    walk.run()
    var skipped = walk.skipped

    let analysed = analyseAll(walk.files, root: rootPath)
    var files: [FileSignals] = []
    var markers: [Marker] = []
    files.reserveCapacity(analysed.count)
    for result in analysed {
      switch result {
      case .file(let f, let m): files.append(f); markers.append(contentsOf: m)
      case .binary: skipped.binary += 1
      case .tooLarge: skipped.tooLarge += 1
      case .unreadable: skipped.unreadable += 1
      case nil: skipped.unreadable += 1
      }
    }
    files.sort { $0.path < $1.path }
    markers.sort { ($0.path, $0.line) < ($1.path, $1.line) }

    var languages: [String: LanguageTotals] = [:]
    for f in files {
      var t = languages[f.language] ?? LanguageTotals()
      t.files += 1
      if f.isTest { t.testFiles += 1 }
      t.lines += f.lines
      t.codeLines += f.codeLines
      t.markers += f.markerCount
      languages[f.language] = t
    }
    let elapsed = Int((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
    return TreeSignals(
      root: root, files: files, markers: markers, untestedSources: TestPairing.untested(files),
      languages: languages, skipped: skipped, durationMs: elapsed)
  }

  enum Result {
    case file(FileSignals, [Marker])
    case binary, tooLarge, unreadable
  }

  /// Reads and measures the files on all cores; each worker reuses one read buffer.
  private func analyseAll(_ paths: [String], root: String) -> [Result?] {
    var results = [Result?](repeating: nil, count: paths.count)
    let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
    let maxBytes = options.maxFileBytes
    results.withUnsafeMutableBufferPointer { out in
      let out = out  // each index is written by exactly one worker
      DispatchQueue.concurrentPerform(iterations: workers) { w in
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var i = w
        while i < paths.count {
          out[i] = FileMeasure.measure(root + "/" + paths[i], relative: paths[i], maxBytes: maxBytes, buffer: &buffer)
          i += workers
        }
      }
    }
    return results
  }
}
