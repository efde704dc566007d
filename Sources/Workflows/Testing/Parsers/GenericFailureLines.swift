/// The fallback when no known runner named a test: `FAIL: name`, `ERROR: name`, `FAILED: name`, `FAIL name`,
/// `FAIL<tab>name` — what shell-script suites print. A number after the label is a count, not a name.
struct GenericFailureLines: Sendable {
  private(set) var names: [String] = []

  mutating func consume(_ t: String) {
    for prefix in ["FAIL: ", "ERROR: ", "FAILED: ", "FAIL\t", "FAIL "] where t.hasPrefix(prefix) {
      let rest = t.dropFirst(prefix.count)
      guard let first = rest.first, first != "(", !first.isNumber else { return }
      let cleaned = (rest.split(separator: "\t").first.map(String.init) ?? String(rest)).trimmingSpacesAndTabs
      if !cleaned.isEmpty && !names.contains(cleaned) && names.count < 500 { names.append(cleaned) }
      return
    }
  }
}
