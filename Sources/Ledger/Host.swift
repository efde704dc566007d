import FoundationEssentials
import Glibc

/// Which machine (or container) a session's process runs on. A pid means something only there: with a
/// ledger shared by several machines (PostgreSQL), a process checks the liveness of its own machine's
/// sessions only. The host name tells containers of one kernel apart; the kernel's boot id tells apart
/// machines (and boots) that share a host name, such as CI runners started from one image.
enum Host {
  static let id: String = {
    var name = [CChar](repeating: 0, count: 256)
    let host = gethostname(&name, name.count) == 0 ? String(cString: name) : "unknown-host"
    let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
      .trimmed
    return boot.map { "\(host)/\($0)" } ?? host
  }()
}
