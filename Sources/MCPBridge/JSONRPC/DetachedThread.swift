import Dispatch
import Glibc

/// Starts a thread of its own for work that blocks in a system call for as long as a peer is silent
/// (read(2) on a pipe, waitid(2)): such a wait must not hold one of the few cooperative threads.
/// Foundation's Thread is not in FoundationEssentials, hence pthreads.
enum DetachedThread {
  private final class Body {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
  }

  /// The thread stays unnamed: pthread_setname_np is a GNU extension the Glibc module does not export.
  static func start(_ body: @escaping @Sendable () -> Void) {
    let box = Unmanaged.passRetained(Body(body)).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(&thread, nil, { raw in
      let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
      body.run()
      return nil
    }, box)
    guard rc == 0 else {
      // No thread to be had (a process at its limit): a Dispatch worker blocks instead, which is still
      // not the cooperative pool.
      Unmanaged<Body>.fromOpaque(box).release()
      DispatchQueue.global().async(execute: body)
      return
    }
    pthread_detach(thread)
  }
}
