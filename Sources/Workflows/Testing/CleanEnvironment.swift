import FoundationEssentials
import Glibc

/// The environment the gate runs the project's tests in: the inherited one without the variables that
/// change what a test runner runs or how it reports (options, start-up scripts, import paths, preloads,
/// compiler flags), plus settings that keep Python from reading the user's site directory or writing
/// bytecode into the worktree. A planted or leftover `PYTEST_ADDOPTS=-k "not test_x"` must not decide a gate.
public enum CleanEnvironment {
  /// Removed outright.
  public static let removed: Set<String> = [
    "PYTEST_ADDOPTS", "PYTEST_PLUGINS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_DEBUG", "PYTHONSTARTUP", "PYTHONPATH",
    "PYTHONHOME", "PYTHONUSERBASE", "PYTHONINSPECT", "PYTHONWARNINGS", "PYTHONBREAKPOINT", "PYTHONEXECUTABLE",
    "PYTHONSAFEPATH", "PYTHONPLATLIBDIR", "UNITTEST_ARGS",
    "NODE_OPTIONS", "NODE_PATH", "NODE_ENV", "JEST_WORKER_ID", "MOCHA_OPTIONS", "VITEST",
    "RUSTFLAGS", "RUSTDOCFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS", "RUST_TEST_THREADS", "RUST_TEST_NOCAPTURE",
    "GOFLAGS", "GOPATH_OVERRIDE", "GOWORK", "GOEXPERIMENT",
    "CTEST_OUTPUT_ON_FAILURE", "CTEST_PARALLEL_LEVEL", "CTEST_TEST_LOAD",
    // Preloads inject code; library search paths (LD_LIBRARY_PATH) stay, toolchains may need them.
    "LD_PRELOAD", "LD_AUDIT", "DYLD_INSERT_LIBRARIES",
    "BASH_ENV", "ENV", "PERL5OPT", "RUBYOPT", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS",
  ]
  /// Prefixes of variables removed too (`PYTEST_…` plugin settings, `CARGO_TARGET_…_RUNNER`).
  static let removedPrefixes = ["PYTEST_", "CARGO_TARGET_", "MAKEFLAGS", "MFLAGS"]

  /// `base` cleaned, with `PYTHONPATH` set to the worktree (and its `src/` when there is one) so that
  /// Python imports the code under test, not an editable install of the user's checkout.
  public static func make(base: [String: String], worktree: String) -> [String: String] {
    var env = base.filter { key, _ in
      !removed.contains(key) && !removedPrefixes.contains(where: { key.hasPrefix($0) })
    }
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONPATH"] = pythonPath(worktree)
    return env
  }

  static func pythonPath(_ worktree: String) -> String {
    var isDir: Bool = false
    let src = worktree + "/src"
    if FileManager.default.fileExists(atPath: src, isDirectory: &isDir), isDir { return worktree + ":" + src }
    return worktree
  }
}
