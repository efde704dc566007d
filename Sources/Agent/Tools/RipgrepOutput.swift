/// Puts the output of a parallel rg run (`--null`, see RipgrepSearch.argv) into the order and the text
/// `rg --sort=path` would print: `--sort=path` makes rg walk and search on one thread, so the tool lets
/// rg use every core and sorts here instead. rg writes each file's results in one piece, so the output
/// is a sequence of per-file blocks in whatever order the threads finished; the blocks are sorted by
/// path the way rg's sorted walk visits them (name by name at each directory level, bytewise).
enum RipgrepOutput {
  /// Output lines as `rg --sort=path` prints them for `r`. `raw` comes from rg run with `--null`, and in
  /// content mode always with `--line-number`: the separator after the number tells a match line (`:`)
  /// from a context line (`-`), which `--null` alone would not show without numbers.
  static func lines(_ raw: String, request r: GrepRequest) -> [String] {
    var bytes = Array(raw.utf8)
    if r.mode == .filesWithMatches {
      // `--files-with-matches --null`: each path ends in NUL, no newlines.
      var paths = bytes.split(separator: 0, omittingEmptySubsequences: true)
      if let last = paths.last, last.last == 10 { paths[paths.count - 1] = last.dropLast() }  // a stray newline
      paths.sort(by: precedes)
      return paths.map { String(decoding: $0, as: UTF8.self) }
    }
    if bytes.last == 10 { bytes.removeLast() }
    if bytes.isEmpty { return [] }
    var blocks: [Block] = []
    var index: [ArraySlice<UInt8>: Int] = [:]
    var current: Int?
    var pendingBreak = false
    for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
      guard let nul = line.firstIndex(of: 0) else {
        if line.elementsEqual("--".utf8) {
          pendingBreak = true  // kept only between two lines of the same file: see below
        } else if let c = current {
          blocks[c].lines.append(String(decoding: line, as: UTF8.self))  // e.g. "binary file matches" notes
        } else {
          blocks.append(Block(path: line, lines: [String(decoding: line, as: UTF8.self)]))
          current = blocks.count - 1
        }
        continue
      }
      let path = line[line.startIndex..<nul]
      let b: Int
      if let c = current, blocks[c].path == path {
        b = c
        // A "--" inside one file's block separates its groups of context; one before a file's first
        // line depends on what that thread printed before, and is put back between blocks below.
        if pendingBreak { blocks[b].lines.append("--") }
      } else if let known = index[path] {
        b = known
      } else {
        blocks.append(Block(path: path, lines: []))
        b = blocks.count - 1
        index[path] = b
      }
      pendingBreak = false
      current = b
      blocks[b].lines.append(text(of: line, path: path, after: nul, request: r))
    }
    blocks.sort { precedes($0.path, $1.path) }
    var out: [String] = []
    out.reserveCapacity(blocks.reduce(0) { $0 + $1.lines.count + 1 })
    for (k, block) in blocks.enumerated() {
      if k > 0 && r.hasContext { out.append("--") }
      out += block.lines
    }
    return out
  }

  private struct Block {
    var path: ArraySlice<UInt8>
    var lines: [String]
  }

  /// The line as rg prints it without `--null`: `path:count`, `path:N:text` / `path-N-text`, or without
  /// line numbers `path:text` / `path-text`.
  private static func text(of line: ArraySlice<UInt8>, path: ArraySlice<UInt8>, after nul: Int, request r: GrepRequest) -> String {
    let rest = line[(nul + 1)...]
    var out: [UInt8] = []
    out.reserveCapacity(line.count)
    out += path
    guard r.mode == .content, let sepAt = rest.firstIndex(where: { $0 < 48 || $0 > 57 }),
      sepAt > rest.startIndex, rest[sepAt] == 58 || rest[sepAt] == 45
    else {
      out.append(58)  // ":"
      out += rest
      return String(decoding: out, as: UTF8.self)
    }
    out.append(rest[sepAt])
    out += r.lineNumbers ? rest : rest[(sepAt + 1)...]
    return String(decoding: out, as: UTF8.self)
  }

  /// rg's sorted walk order: component by component, bytewise, which is bytewise order with "/" below
  /// every other byte ("a/b" before "a-b", as the directory "a" sorts before the name "a-b").
  static func precedes(_ a: ArraySlice<UInt8>, _ b: ArraySlice<UInt8>) -> Bool {
    var i = a.startIndex
    var j = b.startIndex
    while i < a.endIndex && j < b.endIndex {
      let x = a[i] == 47 ? 0 : a[i]
      let y = b[j] == 47 ? 0 : b[j]
      if x != y { return x < y }
      i += 1
      j += 1
    }
    return i == a.endIndex && j < b.endIndex
  }
}
