import ArrakisCore
import Dispatch
import FoundationEssentials
import Glibc

/// Grep without ripgrep: the same walk rules (FileWalker: .gitignore, no .git, no symlinks), NUL-byte
/// binary skipping, Swift's Regex (its syntax is close to rg's: \d \w \b, lazy quantifiers, (?i); it has
/// no look-behind) and output formatted exactly like `rg --no-heading --with-filename --sort=path`.
/// The regex (SwiftRegex) sees one line at a time (no "\n" in it), as ICU did with `.useUnixLineSeparators`:
/// `^`/`$` are the line's ends, and a "\r" before them is text.
/// Speed: files are searched on the dispatch pool while the walk goes on; memmem finds the pattern's
/// literals (LiteralPlan) so most files never reach the regex, and a pattern that is only literals
/// (`foo`, `todo|fixme`) never runs the regex at all.
struct BuiltinGrep {
  let request: GrepRequest
  /// Shared read-only by the pool's closures: a compiled Regex is immutable, though not declared Sendable.
  let regex: Regex<AnyRegexOutput>
  let plan: LiteralPlan?
  /// Matching that could backtrack without bound (RegexRisk), or a whole-file multiline match, runs in a
  /// child process the budget can kill (ForkedWork); the rest in-process, budget checked between lines.
  let isolated: Bool
  let filter: [GlobSet]
  let typeFilter: [GlobSet]?

  /// What memmem decides before the regex runs. Needles are lowercased when the search ignores case
  /// (only ASCII ones are used then), and the file is searched lowercased.
  struct LiteralPlan {
    /// Every match holds at least one of these.
    let needles: [[UInt8]]
    /// The pattern is exactly these literals: a line holding one matches, and the regex is not asked.
    let exact: Bool
    /// Ignoring case, `k` and `s` also match non-ASCII letters (KELVIN SIGN, LONG S), which ASCII
    /// lowercasing does not see: files with non-ASCII bytes then go to the regex line by line.
    let foldsBeyondASCII: Bool

    init?(_ r: GrepRequest) {
      guard !r.multiline else { return nil }
      var literals: [String]
      if let alts = RegexLiteral.alternatives(in: r.pattern) {
        literals = alts
        exact = true
      } else if let lit = RegexLiteral.required(in: r.pattern) {
        literals = [lit]
        exact = false
      } else {
        return nil
      }
      if r.caseInsensitive {
        guard literals.allSatisfy({ $0.unicodeScalars.allSatisfy(\.isASCII) }) else { return nil }
        literals = literals.map { $0.lowercased() }
      }
      needles = literals.map { Array($0.utf8) }
      foldsBeyondASCII = r.caseInsensitive && literals.contains { $0.contains("k") || $0.contains("s") }
    }
  }

  init(_ r: GrepRequest) throws {
    request = r
    // Per line, the subject holds no "\n": `.` may match every character (as ICU's `.` did with only
    // "\n" ending a line; Swift's would stop at "\r"), and `^`/`$` need not match at line ends inside it
    // (Swift's would at a "\r"). Multiline (rg -U) searches the whole text, where they must.
    do {
      var re = try SwiftRegex.compile(r.caseInsensitive ? CaseFold.fold(r.pattern) : r.pattern).dotMatchesNewlines()
      if r.caseInsensitive { re = re.ignoresCase() }
      if r.multiline { re = re.anchorsMatchLineEndings() }
      regex = re
    } catch {
      throw GrepError("invalid regular expression '\(r.pattern)': \(error)")
    }
    isolated = r.multiline || RegexRisk.unbounded(r.pattern)
    // Compiled now (Swift compiles a pattern's program on first use), not once in every forked child,
    // and the matching code's generic types made here, where no fork can catch their lock held.
    if isolated { _ = try? regex.firstMatch(in: ""); _ = "".matches(of: regex) }
    plan = LiteralPlan(r)
    filter = r.glob.map { [GlobSet($0, gitignoreStyle: true)] } ?? []
    if let t = r.type {
      guard let globs = GrepRequest.types[t] else { throw GrepError("unrecognized file type: \(t)") }
      typeFilter = globs.map { GlobSet($0, gitignoreStyle: true) }
    } else {
      typeFilter = nil
    }
  }

  /// Every output line, in path order; throws when the budget stopped the search (see RegexBudget).
  func search(ignoreRoot: String, budget: RegexBudget) throws -> [String] {
    let results = Results()
    if request.isFile {
      results.append(searchFile(try? FileIO.read(request.searchPath), shown: request.displayPath, budget: budget))
    } else {
      let prefix = request.displayPath.isEmpty ? "" : request.displayPath + "/"
      var walker = FileWalker(root: request.searchPath, ignoreRoot: ignoreRoot)
      if !filter.isEmpty {
        // rg's -g globs are overrides: relative to the search root, slash-less ones match basenames, and a
        // match whitelists the file even when .gitignore excludes it (a directory only if it matches itself).
        let globs = filter
        walker.override = { rel, isDir in
          if globs.contains(where: { $0.matches(components: rel) }) { return true }
          return isDir ? nil : false
        }
      }
      // Each file is opened where the walk found it (openat on its directory, no symlink followed) and
      // searched on the pool while the walk goes on; at most `inFlight` are open at once.
      let group = DispatchGroup()
      let inFlight = DispatchSemaphore(value: 64)
      walker.walk { e in
        if let t = typeFilter, !t.contains(where: { $0.matches(components: [e.relative.last!]) }) { return true }
        if budget.reason != nil { return false }
        let fd = openat(e.directory, e.relative.last!, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return true }
        let slot = results.append(nil)
        let shown = prefix + e.relative.joined(separator: "/")
        inFlight.wait()
        DispatchQueue.global().async(group: group) {
          defer { close(fd); inFlight.signal() }
          if budget.exceeded(file: shown, fileStarted: Date()) { return }  // Ctrl-C, call budget
          results.set(slot, searchFile(BuiltinGrep.read(fd), shown: shown, budget: budget))
        }
        return true
      }
      group.wait()
    }
    if let e = budget.error(pattern: request.pattern) { throw e }
    var lines: [String] = []
    for r in results.all {
      guard let r else { continue }
      if request.hasContext && !lines.isEmpty { lines.append("--") }
      lines += r
    }
    return lines
  }

  /// Per-file results in walk order, filled in by the pool.
  private final class Results: @unchecked Sendable {
    private let lock = Lock()
    private var slots: [[String]?] = []
    @discardableResult func append(_ r: [String]?) -> Int { lock.withLock { slots.append(r); return slots.count - 1 } }
    func set(_ k: Int, _ r: [String]?) { lock.withLock { slots[k] = r } }
    var all: [[String]?] { lock.withLock { slots } }
  }

  /// The whole of a regular file open as `fd`, read straight into one buffer of its size; nil when it is
  /// not a regular file or cannot be read.
  static func read(_ fd: Int32) -> [UInt8]? {
    var st = stat()
    guard fstat(fd, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
    // One byte more than its size, so the read that fills the buffer short tells EOF without another call.
    let capacity = max(Int(st.st_size), 0) + 1
    var failed = false
    var out = [UInt8](unsafeUninitializedCapacity: capacity) { buf, n in
      n = 0
      while n < capacity {
        let got = Glibc.read(fd, buf.baseAddress! + n, capacity - n)
        if got > 0 { n += got; continue }
        if got < 0 && errno == EINTR { continue }
        failed = got < 0
        break
      }
    }
    if failed { return nil }
    if out.count == capacity {  // it grew since fstat: the rest in chunks
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      while true {
        let got = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if got > 0 { out += chunk[0..<got]; continue }
        if got < 0 && errno == EINTR { continue }
        if got < 0 { return nil }
        break
      }
    }
    return out
  }

  /// Output lines for one file (its bytes, nil when unreadable), or nil when it has no match or is binary.
  /// Works on bytes: lines are byte ranges found with memchr, and only candidate lines (those holding
  /// one of the plan's literals, or all lines when there is no plan) are decoded and given to the regex;
  /// with an exact plan a candidate line is a match.
  func searchFile(_ contents: [UInt8]?, shown: String, budget: RegexBudget) -> [String]? {
    let started = Date()
    guard let bytes = contents, !bytes.isEmpty else { return nil }
    let isBinary = bytes.withUnsafeBytes { memchr($0.baseAddress!, 0, $0.count) != nil }
    if isBinary { return nil }  // like rg: files with NUL bytes are skipped
    var plan = self.plan
    var hay = bytes
    if let p = plan, request.caseInsensitive {
      let lowered = BuiltinGrep.asciiLowercased(bytes)
      hay = lowered.bytes
      if p.foldsBeyondASCII && lowered.hasNonASCII { plan = nil }
    }
    if let p = plan, !hay.withUnsafeBytes({ buf in p.needles.contains { ByteSearch.contains(buf, $0) } }) { return nil }

    let starts = BuiltinGrep.lineStarts(bytes)
    func range(_ k: Int) -> Range<Int> {
      let end = k + 1 < starts.count ? starts[k + 1] - 1 : (bytes.last == 10 ? bytes.count - 1 : bytes.count)
      return starts[k]..<max(starts[k], end)
    }
    func line(_ k: Int) -> String { String(decoding: bytes[range(k)], as: UTF8.self) }

    // Lines the regex is to judge (nil: all of them), unless the plan alone decides.
    var candidates: [Int]? = nil
    if let p = plan, !request.multiline {
      var found: [Int] = []  // lines holding a needle, each once, in order
      hay.withUnsafeBytes { buf in
        for needle in p.needles {
          var from = 0
          while let hit = ByteSearch.find(buf, needle, from: from) {
            let k = BuiltinGrep.lineIndex(of: hit, starts)
            found.append(k)
            from = range(k).upperBound + 1
            if from >= buf.count { break }
          }
        }
      }
      if p.needles.count > 1 { found = Array(Set(found)).sorted() }
      candidates = found
    }
    let wantPieces = request.mode == .content && request.onlyMatching
    var judged: Judged
    if let c = candidates, plan?.exact == true {
      judged = Judged(matched: c, pieces: wantPieces ? c.map { literalPieces(line($0)) } : nil)
    } else if isolated {
      let outcome = ForkedWork.run({
        judge(bytes: bytes, candidates: candidates, lineCount: starts.count, line: line, pieces: wantPieces) { false }.encoded
      }, stop: { budget.exceeded(file: shown, fileStarted: started) })
      switch outcome {
      case .done(let data): judged = Judged(decoding: data)
      case .stopped, .failed: return nil  // the budget's error says why; a child that died finds nothing
      case .unavailable:  // no fork (out of processes): in-process, stoppable between lines only
        judged = judge(bytes: bytes, candidates: candidates, lineCount: starts.count, line: line, pieces: wantPieces) {
          budget.exceeded(file: shown, fileStarted: started)
        }
      }
    } else {
      var lines = 0
      judged = judge(bytes: bytes, candidates: candidates, lineCount: starts.count, line: line, pieces: wantPieces) {
        // Every 64th line, not each: `exceeded` takes the budget's lock, which 64 pool threads share, and reads
        // the clock. It also sees another file's stop first.
        lines &+= 1
        return lines & 63 == 1 && budget.exceeded(file: shown, fileStarted: started)
      }
    }
    guard !judged.matched.isEmpty, budget.reason == nil else { return nil }

    switch request.mode {
    case .filesWithMatches: return [shown]
    case .count: return ["\(shown):\(judged.matched.count)"]
    case .content:
      var piecesOf: [Int: [String]] = [:]
      if let p = judged.pieces { for (k, m) in zip(judged.matched, p) { piecesOf[k] = m } }
      return format(lineCount: starts.count, line: line, matched: judged.matched, shown: shown) { k, s in
        request.onlyMatching ? piecesOf[k] ?? [] : [s]
      }
    }
  }

  /// `-o`: each match's text in line `s`.
  private func literalPieces(_ s: String) -> [String] {
    guard request.caseInsensitive else { return s.matches(of: regex).map { String(s[$0.range]) } }
    let folded = CaseFold.fold(s)
    return folded.matches(of: regex).map { CaseFold.original(s, folded, $0.range) }
  }

  /// Whether line `s` holds a match.
  private func lineMatches(_ s: String) -> Bool {
    (try? regex.firstMatch(in: request.caseInsensitive ? CaseFold.fold(s) : s)) != nil
  }

  /// Which lines match, and for `-o` each one's matched texts (in the same order): what a forked child
  /// sends back (ForkedWork) as bytes.
  struct Judged {
    var matched: [Int]
    var pieces: [[String]]?

    init(matched: [Int], pieces: [[String]]?) {
      self.matched = matched
      self.pieces = pieces
    }

    var encoded: [UInt8] {
      var out: [UInt8] = []
      func put(_ n: Int) { withUnsafeBytes(of: Int64(n).littleEndian) { out += $0 } }
      put(matched.count)
      put(pieces == nil ? 0 : 1)
      for (i, k) in matched.enumerated() {
        put(k)
        guard let p = pieces?[i] else { continue }
        put(p.count)
        for s in p { put(s.utf8.count); out += s.utf8 }
      }
      return out
    }

    init(decoding data: [UInt8]) {
      var at = 0
      func get() -> Int {
        var v: Int64 = 0
        for b in 0..<8 { v |= Int64(data[at + b]) << (8 * Int64(b)) }
        at += 8
        return Int(v)
      }
      let n = get(), hasPieces = get() == 1
      matched = []
      pieces = hasPieces ? [] : nil
      for _ in 0..<n {
        matched.append(get())
        guard hasPieces else { continue }
        var p: [String] = []
        for _ in 0..<get() {
          let len = get()
          p.append(String(decoding: data[at..<(at + len)], as: UTF8.self))
          at += len
        }
        pieces!.append(p)
      }
    }
  }

  /// The regex's verdict on a file: the candidate lines (nil: every line) one at a time, or for multiline
  /// the whole text. `stop` is asked between lines (a Swift Regex match cannot be stopped inside: see
  /// ForkedWork); in a forked child it is never true, its parent kills it instead.
  private func judge(
    bytes: [UInt8], candidates: [Int]?, lineCount: Int, line: (Int) -> String, pieces wantPieces: Bool, stop: () -> Bool
  ) -> Judged {
    if request.multiline {
      let matched = multilineMatches(String(decoding: bytes, as: UTF8.self), lineCount: lineCount)
      return Judged(matched: matched, pieces: wantPieces ? matched.map { literalPieces(line($0)) } : nil)
    }
    var matched: [Int] = []
    var pieces: [[String]] = []
    for k in candidates ?? Array(0..<lineCount) {
      if stop() { break }
      let s = line(k)
      if wantPieces {
        let found = literalPieces(s)
        if !found.isEmpty { matched.append(k); pieces.append(found) }
      } else if lineMatches(s) {
        matched.append(k)
      }
    }
    return Judged(matched: matched, pieces: wantPieces ? pieces : nil)
  }

  /// The bytes with ASCII letters lowercased, and whether any byte is not ASCII.
  static func asciiLowercased(_ bytes: [UInt8]) -> (bytes: [UInt8], hasNonASCII: Bool) {
    var high: UInt8 = 0
    let lowered = [UInt8](unsafeUninitializedCapacity: bytes.count) { out, n in
      bytes.withUnsafeBufferPointer { src in
        for k in 0..<src.count { let b = src[k]; high |= b; out[k] = b &- 65 < 26 ? b | 0x20 : b }
      }
      n = bytes.count
    }
    return (lowered, high & 0x80 != 0)
  }

  /// Byte offsets where lines start; a final newline does not start another line.
  static func lineStarts(_ bytes: [UInt8]) -> [Int] {
    var starts = [0]
    bytes.withUnsafeBytes { buf in
      let base = buf.baseAddress!
      var k = 0
      while k < buf.count, let nl = memchr(base + k, 10, buf.count - k) {
        k = UnsafeRawPointer(nl) - base + 1
        if k < buf.count { starts.append(k) }
      }
    }
    return starts
  }

  static func lineIndex(of offset: Int, _ starts: [Int]) -> Int {
    var lo = 0, hi = starts.count - 1
    while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= offset { lo = mid } else { hi = mid - 1 } }
    return lo
  }

  /// Lines touched by any match of the whole-file regex (rg -U prints every line a match spans).
  /// Offsets are UTF-8 ones of the decoded text (invalid bytes became U+FFFD, so not the file's).
  private func multilineMatches(_ decoded: String, lineCount: Int) -> [Int] {
    let text = request.caseInsensitive ? CaseFold.fold(decoded) : decoded
    let utf8 = text.utf8
    let starts = Array(BuiltinGrep.lineStarts(Array(utf8)).prefix(lineCount))
    var hit = Set<Int>()
    for m in text.matches(of: regex) {
      let lo = utf8.distance(from: utf8.startIndex, to: m.range.lowerBound)
      let hi = utf8.distance(from: utf8.startIndex, to: m.range.upperBound)
      let first = BuiltinGrep.lineIndex(of: lo, starts)
      let last = BuiltinGrep.lineIndex(of: max(lo, hi - 1), starts)
      for k in first...last where k < lineCount { hit.insert(k) }
    }
    return hit.sorted()
  }

  /// Output rows: `pieces` turns matched line k into what is printed for it (the line, or `-o`'s matches).
  private func format(lineCount: Int, line: (Int) -> String, matched: [Int], shown: String, pieces: (Int, String) -> [String]) -> [String] {
    let isMatch = Set(matched)
    var out: [String] = []
    let sepMatch = ":", sepContext = "-"
    func emit(_ k: Int) {
      let sep = isMatch.contains(k) ? sepMatch : sepContext
      for text in isMatch.contains(k) ? pieces(k, line(k)) : [line(k)] {
        out.append(request.lineNumbers ? "\(shown)\(sep)\(k + 1)\(sep)\(text)" : "\(shown)\(sep)\(text)")
      }
    }
    guard request.hasContext else { matched.forEach(emit); return out }
    var lastEmitted = -1
    for m in matched {
      let lo = max(0, m - request.before), hi = min(lineCount - 1, m + request.after)
      let from = max(lo, lastEmitted + 1)
      if lastEmitted >= 0 && from > lastEmitted + 1 { out.append("--") }
      if from <= hi { for k in from...hi { emit(k) } ; lastEmitted = hi }
    }
    return out
  }
}
