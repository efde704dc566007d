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
  let typeFilter: GlobSet?

  init(_ r: GrepRequest) throws {
    request = r
    var options: NSRegularExpression.Options = [.anchorsMatchLines]
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
      typeFilter = GlobSet("{" + globs.joined(separator: ",") + "}", gitignoreStyle: true)
    } else {
      typeFilter = nil
    }
  }

  func search(ignoreRoot: String) -> [String] {
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
        if let t = typeFilter, !t.matches(components: [e.relative.last!]) { return true }
        files.append((e.path, prefix + e.relative.joined(separator: "/")))
        return true
      }
    }
    var results = [[String]?](repeating: nil, count: files.count)
    results.withUnsafeMutableBufferPointer { out in
      let slots = out
      DispatchQueue.concurrentPerform(iterations: files.count) { k in
        slots[k] = searchFile(files[k].path, shown: files[k].shown)
      }
    }
    var lines: [String] = []
    for r in results {
      guard let r else { continue }
      if request.hasContext && !lines.isEmpty { lines.append("--") }
      lines += r
    }
    return lines
  }

  /// Output lines for one file, or nil when it has no match (or is binary/unreadable).
  func searchFile(_ path: String, shown: String) -> [String]? {
    guard let bytes = try? FileIO.read(path), !bytes.isEmpty else { return nil }
    let found: Bool = bytes.withUnsafeBytes { buf in
      if memchr(buf.baseAddress!, 0, buf.count) != nil { return false }  // binary: skip like rg
      guard let lit = literal else { return true }
      if request.caseInsensitive {
        let lowered = buf.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return lowered.withUnsafeBytes { ByteSearch.contains($0, lit) }
      }
      return ByteSearch.contains(UnsafeRawBufferPointer(buf), lit)
    }
    guard found else { return nil }

    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last == "" { lines.removeLast() }
    let matched = request.multiline ? multilineMatches(text, lines: lines) : lineMatches(lines)
    guard !matched.isEmpty else { return nil }

    switch request.mode {
    case .filesWithMatches: return [shown]
    case .count: return ["\(shown):\(matched.count)"]
    case .content: return format(lines, matched: matched, shown: shown)
    }
  }

  private func lineMatches(_ lines: [Substring]) -> [Int] {
    var out: [Int] = []
    for (n, line) in lines.enumerated() {
      if let lit = literal, !containsLiteral(line, lit) { continue }
      let s = String(line)
      if regex.firstMatch(in: s, range: NSRange(location: 0, length: s.utf16.count)) != nil { out.append(n) }
    }
    return out
  }

  private func containsLiteral(_ line: Substring, _ lit: [UInt8]) -> Bool {
    var line = line
    return line.withUTF8 { buf in
      guard buf.count >= lit.count else { return false }
      if request.caseInsensitive {
        let lowered = buf.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        return lowered.withUnsafeBytes { ByteSearch.contains($0, lit) }
      }
      return ByteSearch.contains(UnsafeRawBufferPointer(buf), lit)
    }
  }

  /// Lines touched by any match of the whole-file regex (rg -U prints every line a match spans).
  private func multilineMatches(_ text: String, lines: [Substring]) -> [Int] {
    var starts: [Int] = []  // UTF-16 offset of each line start
    var offset = 0
    for l in lines { starts.append(offset); offset += l.utf16.count + 1 }
    var hit = Set<Int>()
    func lineOf(_ o: Int) -> Int {
      var lo = 0, hi = starts.count - 1
      while lo < hi { let mid = (lo + hi + 1) / 2; if starts[mid] <= o { lo = mid } else { hi = mid - 1 } }
      return lo
    }
    for m in regex.matches(in: text, range: NSRange(location: 0, length: text.utf16.count)) {
      let first = lineOf(m.range.location)
      let last = lineOf(max(m.range.location, m.range.location + m.range.length - 1))
      for k in first...last where k < lines.count { hit.insert(k) }
    }
    return hit.sorted()
  }

  private func format(_ lines: [Substring], matched: [Int], shown: String) -> [String] {
    let isMatch = Set(matched)
    var out: [String] = []
    let sepMatch = ":", sepContext = "-"
    func emit(_ k: Int) {
      let sep = isMatch.contains(k) ? sepMatch : sepContext
      out.append(request.lineNumbers ? "\(shown)\(sep)\(k + 1)\(sep)\(lines[k])" : "\(shown)\(sep)\(lines[k])")
    }
    guard request.hasContext else { matched.forEach(emit); return out }
    var lastEmitted = -1
    for m in matched {
      let lo = max(0, m - request.before), hi = min(lines.count - 1, m + request.after)
      let from = max(lo, lastEmitted + 1)
      if lastEmitted >= 0 && from > lastEmitted + 1 { out.append("--") }
      if from <= hi { for k in from...hi { emit(k) } ; lastEmitted = hi }
    }
    return out
  }
}
