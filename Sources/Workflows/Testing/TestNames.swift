/// How a name the user gives (`--target test_add`) finds a test the runner named
/// (`tests/test_calc.py::test_add`, `calc.TestCalc.test_add`, `TestSplit/empty`, `tests::adds`,
/// `test_neg[2-3]`): the whole name, or its last part after a runner's separator, with or without the
/// parameters in brackets.
public enum TestNames {
  static let separators = ["::", ".", "/", " > ", " › ", " ", "#"]

  public static func matches(_ target: String, _ name: String) -> Bool {
    let target = target.trimmingSpacesAndTabs
    guard !target.isEmpty else { return false }
    for candidate in [name, withoutParameters(name)] {
      if candidate == target { return true }
      if separators.contains(where: { candidate.hasSuffix($0 + target) }) { return true }
    }
    return false
  }

  /// `test_neg[2-3]` → `test_neg`; other names unchanged.
  static func withoutParameters(_ name: String) -> String {
    guard name.hasSuffix("]"), let open = name.firstIndex(of: "[") else { return name }
    return String(name[..<open])
  }
}
