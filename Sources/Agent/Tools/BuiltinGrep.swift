import Foundation

/// Grep without ripgrep: the same walk rules (FileWalker: .gitignore, no .git, no symlinks), NUL-byte
/// binary skipping, NSRegularExpression (ICU syntax is close to rg's: \d \w \b, lazy quantifiers, (?i))
/// and output formatted exactly like `rg --no-heading --with-filename --sort=path`.
/// Speed comes from a memmem prefilter on the pattern's required literal (most files never reach the
/// regex) and from searching files concurrently.
struct BuiltinGrep {
  let request: GrepRequest
  let regex: NSRegularExpression
  let literal: [UInt8]?
  let filter: [GlobSet]
  let typeFilter: [GlobSet]?

  init(_ r: GrepRequest) throws {
    request = r
    // Only "\n" ends a line, as in rg: ICU would otherwise let `$` match before the "\r" of a CRLF line.
    var options: NSRegularExpression.Options = [.anchorsMatchLines, .useUnixLineSeparators]
    if r.caseInsensitive { options.insert(.caseInsensitive) }
    if r.multiline { options.insert(.dotMatchesLineSeparators) }
    do { regex = try NSRegularExpression(pattern: r.pattern, options: options) } catch {
      throw GrepError("invalid regular expression '\(r.pattern)': \(error.localizedDescription)")
    }
    if let lit = RegexLiteral.required(in: r.pattern), !r.multiline {
      if r.caseInsensitive {
        literal = lit.unicodeScalars.allSatisfy(\.isASCII) ? Array(lit.lowercased().utf8) : nil
      } else {
        literal = Array(lit.utf8)
      }
    } else {
      literal = nil
    }
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
    var files: [(path: String, shown: String)] = []
    if request.isFile {
      files = [(request.searchPath, request.displayPath)]
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
      walker.walk { e in
        if let t = typeFilter, !t.contains(where: { $0.matches(components: [e.relative.last!]) }) { return true }
        files.append((e.path, prefix + e.relative.joined(separator: "/")))
        return true
      }
    }
    var results = [[String]?](repeating: nil, count: files.count)
    results.withUnsafeMutableBufferPointer { out in
      let slots = out
      DispatchQueue.concurrentPerform(iterations: files.count) { k in
        if budget.exceeded(file: files[k].shown, fileStarted: Date()) { return }  // Ctrl-C, call budget
        slots[k] = searchFile(files[k].path, shown: files[k].shown, budget: budget)
      }
    }
    if let e = budget.error(pattern: request.pattern) { throw e }
    var lines: [String] = []
    for r in results {
      guard let r else { continue }
      if request.hasContext && !lines.isEmpty { lines.append("--") }
      lines += r
    }
    return lines
  }

  /// Output lines for one file, or nil when it has no match (or is binary/unreadable).
  /// Works on bytes: lines are byte ranges found with memchr, and only candidate lines (those holding
  /// the required literal, or all lines when there is none) are decoded and given to the regex.
  func searchFile(_ path: String, shown: String, budget: RegexBudget) -> [String]? {
    let started = Date()
    func matchesRegex(_ s: String) -> Bool { regexMatches(s, budget: budget, file: shown, started: started) }
    guard let bytes = try? FileIO.read(path), !bytes.isEmpty else { return nil }
    let isBinary = bytes.withUnsafeBytes { memchr($0.baseAddress!, 0, $0.count) != nil }
    if isBinary { return nil }  // like rg: files with NUL bytes are skipped
    let hay = request.caseInsensitive && literal != nil ? BuiltinGrep.asciiLowercased(bytes) : bytes
    if let lit = literal, !hay.withUnsafeBytes({ ByteSearch.contains($0, lit) }) { return nil }

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
    } else if let lit = literal {
      hay.withUnsafeBytes { buf in
        var from = 0
        while let hit = ByteSearch.find(buf, lit, from: from) {
          let k = BuiltinGrep.lineIndex(of: hit, starts)
          if matchesRegex(line(k)) { matched.append(k) }
          if budget.reason != nil { return }
          from = range(k).upperBound + 1
          if from >= buf.count { break }
        }
      }
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

  /// First-match test that the budget can stop: ICU calls back with a nil result while it works.
  private func regexMatches(_ s: String, budget: RegexBudget, file: String, started: Date) -> Bool {
    var found = false
    regex.enumerateMatches(in: s, options: [.reportProgress], range: NSRange(location: 0, length: s.utf16.count)) { m, _, stop in
      if m != nil { found = true; stop.pointee = true }
      else if budget.exceeded(file: file, fileStarted: started) { stop.pointee = true }
    }
    return found
  }

  static func asciiLowercased(_ bytes: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: bytes.count) { out, n in
      bytes.withUnsafeBufferPointer { src in
        for k in 0..<src.count { let b = src[k]; out[k] = b &- 65 < 26 ? b | 0x20 : b }
      }
      n = bytes.count
    }
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
    regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: text.utf16.count)) { m, _, stop in
      if let m { found.append(m.range) } else if exceeded() { stop.pointee = true }
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
    regex.enumerateMatches(in: s, options: [.reportProgress], range: NSRange(location: 0, length: ns.length)) { m, _, stop in
      if let m { out.append(ns.substring(with: m.range)) }
      else if budget.exceeded(file: file, fileStarted: started) { stop.pointee = true }
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
