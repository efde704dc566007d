/// A unified-style diff of one recorded file change for `arrakis log show`: removed lines with `-`, added
/// with `+`, two lines of context, hunks separated by `@@`; capped so a huge rewrite does not flood the screen.
enum ModificationDiff {
  static let maxLines = 400

  static func render(path: String, before: String?, after: String?) -> String {
    var out = "--- \(before == nil ? "/dev/null" : "a/" + path)\n+++ \(after == nil ? "/dev/null" : "b/" + path)\n"
    let a = lines(before), b = lines(after)
    let diff = b.difference(from: a)
    var removed = Set<Int>(), inserted = Set<Int>()
    for change in diff {
      switch change {
      case .remove(let o, _, _): removed.insert(o)
      case .insert(let o, _, _): inserted.insert(o)
      }
    }
    // Walk both sides: (kind, text) rows, then print changed rows with two lines of context.
    var rows: [(Character, Substring)] = []
    var i = 0, j = 0
    while i < a.count || j < b.count {
      if i < a.count, removed.contains(i) { rows.append(("-", a[i])); i += 1 }
      else if j < b.count, inserted.contains(j) { rows.append(("+", b[j])); j += 1 }
      else { if i < a.count { rows.append((" ", a[i])) }; i += 1; j += 1 }
    }
    let changed = rows.indices.filter { rows[$0].0 != " " }
    var shown = Set<Int>()
    for k in changed { for n in max(0, k - 2)...min(rows.count - 1, k + 2) { shown.insert(n) } }
    var printed = 0, last = -2
    for k in shown.sorted() {
      if printed >= maxLines { out += "… (cut)\n"; break }
      if k != last + 1 { out += "@@\n" }
      out += "\(rows[k].0)\(rows[k].1)\n"
      printed += 1
      last = k
    }
    return out
  }

  static func lines(_ text: String?) -> [Substring] {
    guard let text, !text.isEmpty else { return [] }
    var parts = text.split(separator: "\n", omittingEmptySubsequences: false)
    if parts.last == "" { parts.removeLast() }
    return parts
  }
}
