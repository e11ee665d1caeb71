import NIOPosix

/// Where the process runtime's blocking work runs: file-system setup and teardown of runs, memory
/// groups, spawning, disk-usage walks. Under load the kernel serialises mount-namespace teardown,
/// cgroup and overlay operations, so these calls can block for long; on threads of their own they
/// never hold Swift's cooperative pool, and the simulator's API and scheduler stay responsive
/// however many pods start or end at once.
enum PodIO {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        // The pool is never shut down, so it is always active; should it not be, run inline.
        (try? await pool.runIfActive(body)) ?? body()
    }
}
