import Dispatch
import Glibc

/// Runs `body` on a new detached thread, as Foundation's `Thread { … }.start()` did, for the work that
/// blocks (a process poll loop, a spinner) and must not hold one of Swift's cooperative threads. The full
/// Foundation, where Thread lives, is not linked (docs/ARCHITECTURE.md, "Foundation").
public enum DetachedThread {
  public static func start(_ body: @escaping @Sendable () -> Void) {
    final class Box { let body: @Sendable () -> Void; init(_ b: @escaping @Sendable () -> Void) { body = b } }
    let context = Unmanaged.passRetained(Box(body)).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(&thread, nil, { raw in
      let box = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! Box
      box.body()
      return nil
    }, context)
    guard started == 0 else {
      // No thread to be had (a process at its limit): a Dispatch worker blocks instead, which is still
      // not the cooperative pool.
      Unmanaged<AnyObject>.fromOpaque(context).release()
      DispatchQueue.global().async(execute: body)
      return
    }
    pthread_detach(thread)
  }
}
