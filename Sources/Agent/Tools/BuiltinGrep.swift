import Foundation

/// Grep without ripgrep: the same walk rules (FileWalker: .gitignore, no .git, no symlinks), NUL-byte
/// binary skipping, NSRegularExpression (ICU syntax is close to rg's: \d \w \b, lazy quantifiers, (?i))
/// and output formatted exactly like `rg --no-heading --with-filename --sort=path`.
/// Speed: files are searched on the dispatch pool while the walk goes on; memmem finds the pattern's
/// literals (LiteralPlan) so most files never reach the regex, and a pattern that is only literals
/// (`foo`, `todo|fixme`) never runs the regex at all.
struct BuiltinGrep {
  let request: GrepRequest
  let regex: NSRegularExpression
  let plan: LiteralPlan?
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
    // Only "\n" ends a line, as in rg: ICU would otherwise let `$` match before the "\r" of a CRLF line.
    var options: NSRegularExpression.Options = [.anchorsMatchLines, .useUnixLineSeparators]
    if r.caseInsensitive { options.insert(.caseInsensitive) }
    if r.multiline { options.insert(.dotMatchesLineSeparators) }
    do { regex = try NSRegularExpression(pattern: r.pattern, options: options) } catch {
      throw GrepError("invalid regular expression '\(r.pattern)': \(error.localizedDescription)")
    }
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
    private let lock = NSLock()
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
    func matchesRegex(_ s: String) -> Bool { regexMatches(s, budget: budget, file: shown, started: started) }
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

    var matched: [Int] = []
    if request.multiline {
      matched = multilineMatches(String(decoding: bytes, as: UTF8.self), lineCount: starts.count) {
        budget.exceeded(file: shown, fileStarted: started)
      }
    } else if let p = plan {
      // Lines holding a needle, each once, in order.
      var candidates: [Int] = []
      hay.withUnsafeBytes { buf in
        for needle in p.needles {
          var from = 0
          while let hit = ByteSearch.find(buf, needle, from: from) {
            let k = BuiltinGrep.lineIndex(of: hit, starts)
            candidates.append(k)
            from = range(k).upperBound + 1
            if from >= buf.count { break }
          }
        }
      }
      if p.needles.count > 1 { candidates = Array(Set(candidates)).sorted() }
      if p.exact {
        matched = candidates
      } else if candidates.count > BuiltinGrep.wholeTextFrom, candidates.count * 4 > starts.count, wholeTextAllowed {
        matched = wholeTextMatches(bytes, lineCount: starts.count, line: line, budget: budget, file: shown, started: started)
      } else {
        for k in candidates {
          if matchesRegex(line(k)) { matched.append(k) }
          if budget.reason != nil { break }
        }
      }
    } else if wholeTextAllowed {
      matched = wholeTextMatches(bytes, lineCount: starts.count, line: line, budget: budget, file: shown, started: started)
    } else {
      for k in starts.indices {
        if matchesRegex(line(k)) { matched.append(k) }
        if budget.reason != nil || (k & 1023 == 1023 && budget.exceeded(file: shown, fileStarted: started)) { break }
      }
    }
    guard !matched.isEmpty, budget.reason == nil else { return nil }

    switch request.mode {
    case .filesWithMatches: return [shown]
    case .count: return ["\(shown):\(matched.count)"]
    case .content:
      let pieces: (String) -> [String] = { s in
        request.onlyMatching ? matchTexts(s, budget: budget, file: shown, started: started) : [s]
      }
      return format(lineCount: starts.count, line: line, matched: matched, shown: shown, pieces: pieces)
    }
  }

  /// Above this many candidate lines in a file, and a quarter of its lines, one regex run over the whole
  /// text beats one per line (each NSRegularExpression call converts its string and sets ICU up again);
  /// with fewer, scanning the lines without the literal would cost more.
  static let wholeTextFrom = 8

  /// Whether matching over the whole text gives every line the answer it gets alone: not for patterns
  /// that can see where the text starts or ends (`\A`, `\z`, `\Z`, `\G`) or look behind.
  var wholeTextAllowed: Bool {
    !request.multiline && !["\\A", "\\z", "\\Z", "\\G", "(?<"].contains { request.pattern.contains($0) }
  }

  /// Lines holding a match, from one regex run over the whole text. A hit within one line marks that
  /// line: it is a match of the line alone too. A hit holding a line end (`\s` and `[^x]` match "\n")
  /// says nothing of the lines it touches, which are then asked alone. No other line can have a match:
  /// the regex takes the leftmost match from where it resumes, so a line's own match would have been
  /// found, at its position or by a hit starting earlier in that same line.
  /// One call per file: each NSRegularExpression call converts its string and sets ICU up again.
  private func wholeTextMatches(
    _ bytes: [UInt8], lineCount: Int, line: (Int) -> String, budget: RegexBudget, file: String, started: Date
  ) -> [Int] {
    let text = String(decoding: bytes, as: UTF8.self)
    var starts: [Int] = [0]  // UTF-16 offset of each line start
    starts.reserveCapacity(lineCount)
    var length = 0
    for u in text.utf16 {
      length += 1
      if u == 10 && starts.count < lineCount { starts.append(length) }
    }
    func lineOf(_ o: Int) -> Int {
      var lo = 0, hi = starts.count - 1
      while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= o { lo = mid } else { hi = mid - 1 } }
      return lo
    }
    // Where line k's text ends, before its "\n".
    func end(_ k: Int) -> Int { k + 1 < starts.count ? starts[k + 1] - 1 : (bytes.last == 10 ? length - 1 : length) }
    var isMatch = [Bool](repeating: false, count: starts.count)
    var ask: [ClosedRange<Int>] = []
    var calls = RegexBudget.Pace()
    regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: length)) { m, _, stop in
      guard let r = m?.range else {
        if budget.exceeded(file: file, fileStarted: started, pacing: &calls) { stop.pointee = true }
        return
      }
      let first = lineOf(r.location)
      if r.location + r.length <= end(first) { isMatch[first] = true } else { ask.append(first...lineOf(r.location + r.length)) }
    }
    for lines in ask {
      for k in lines where !isMatch[k] {
        if budget.reason != nil { return [] }
        isMatch[k] = regexMatches(line(k), budget: budget, file: file, started: started)
      }
    }
    return isMatch.indices.filter { isMatch[$0] }
  }

  /// First-match test that the budget can stop: ICU calls back with a nil result while it works.
  private func regexMatches(_ s: String, budget: RegexBudget, file: String, started: Date) -> Bool {
    var found = false
    var calls = RegexBudget.Pace()
    regex.enumerateMatches(in: s, options: [.reportProgress], range: NSRange(location: 0, length: s.utf16.count)) { m, _, stop in
      if m != nil { found = true; stop.pointee = true }
      else if budget.exceeded(file: file, fileStarted: started, pacing: &calls) { stop.pointee = true }
    }
    return found
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
  private func multilineMatches(_ text: String, lineCount: Int, exceeded: @escaping () -> Bool) -> [Int] {
    var starts: [Int] = [0]  // UTF-16 offset of each line start
    var offset = 0
    for u in text.utf16 { offset += 1; if u == 10 { starts.append(offset) } }
    if starts.count > lineCount { starts.removeLast(starts.count - lineCount) }
    var hit = Set<Int>()
    func lineOf(_ o: Int) -> Int {
      var lo = 0, hi = starts.count - 1
      while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= o { lo = mid } else { hi = mid - 1 } }
      return lo
    }
    var found: [NSRange] = []
    var calls = RegexBudget.Pace()
    regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: text.utf16.count)) { m, _, stop in
      if let m { found.append(m.range) } else if calls.pace(), exceeded() { stop.pointee = true }
    }
    for m in found {
      let first = lineOf(m.location)
      let last = lineOf(max(m.location, m.location + m.length - 1))
      for k in first...last where k < lineCount { hit.insert(k) }
    }
    return hit.sorted()
  }

  /// Each match's text in `s` (`-o`), stoppable by the budget like every other match.
  private func matchTexts(_ s: String, budget: RegexBudget, file: String, started: Date) -> [String] {
    var out: [String] = []
    let ns = s as NSString
    var calls = RegexBudget.Pace()
    regex.enumerateMatches(in: s, options: [.reportProgress], range: NSRange(location: 0, length: ns.length)) { m, _, stop in
      if let m { out.append(ns.substring(with: m.range)) }
      else if budget.exceeded(file: file, fileStarted: started, pacing: &calls) { stop.pointee = true }
    }
    return out
  }

  /// Output rows: `pieces` turns a matched line into what is printed for it (the line, or `-o`'s matches).
  private func format(lineCount: Int, line: (Int) -> String, matched: [Int], shown: String, pieces: (String) -> [String]) -> [String] {
    let isMatch = Set(matched)
    var out: [String] = []
    let sepMatch = ":", sepContext = "-"
    func emit(_ k: Int) {
      let sep = isMatch.contains(k) ? sepMatch : sepContext
      for text in isMatch.contains(k) ? pieces(line(k)) : [line(k)] {
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
