/// Line diff (Myers, via CollectionDifference) rendered as a short unified-style snippet: changed lines
/// with two lines of context, capped so a large replace_all does not flood the model.
struct LineDiff {
  enum Row { case same(Int, String), removed(String), added(Int, String) }
  let rows: [Row]
  let added: Int
  let removed: Int

  init(old: String, new: String) { self.init(old: TextLines(old), new: TextLines(new)) }

  /// Lines found on bytes (TextLines), so CRLF lines are lines too and compare without their "\r".
  init(old: TextLines, new: TextLines) {
    let a = old.lines.indices.map(old.text)
    let b = new.lines.indices.map(new.text)
    let diff = b.difference(from: a)
    var removedAt = Set<Int>(), insertedAt = Set<Int>()
    for change in diff {
      switch change {
      case .remove(let o, _, _): removedAt.insert(o)
      case .insert(let o, _, _): insertedAt.insert(o)
      }
    }
    var rows: [Row] = []
    var i = 0, j = 0
    while i < a.count || j < b.count {
      if i < a.count, removedAt.contains(i) { rows.append(.removed(a[i])); i += 1 }
      else if j < b.count, insertedAt.contains(j) { rows.append(.added(j + 1, b[j])); j += 1 }
      else { if i < a.count && j < b.count { rows.append(.same(j + 1, b[j])) }; i += 1; j += 1 }
    }
    self.rows = rows
    added = insertedAt.count
    removed = removedAt.count
  }

  func snippet(context: Int = 2, maxRows: Int = 40) -> String {
    let changed = rows.indices.filter { if case .same = rows[$0] { return false }; return true }
    var keep = Set<Int>()
    for c in changed { for k in max(0, c - context)...min(rows.count - 1, c + context) { keep.insert(k) } }
    var out: [String] = []
    var last = -2
    for k in keep.sorted() {
      if out.count >= maxRows { out.append("… (\(changed.count) changed lines in all)"); break }
      if k != last + 1 && last >= 0 { out.append("…") }
      switch rows[k] {
      case .same(let n, let t): out.append("\(pad(n))  \(t)")
      case .removed(let t): out.append("      - \(t)")
      case .added(let n, let t): out.append("\(pad(n)) + \(t)")
      }
      last = k
    }
    return out.joined(separator: "\n")
  }

  private func pad(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: " ", count: max(0, 6 - s.count)) + s
  }
}
