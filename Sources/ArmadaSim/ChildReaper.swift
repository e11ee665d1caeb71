import CShims
import Foundation
import Synchronization

/// Starts children with `posix_spawn` and reaps them on one thread: each child's pidfd is watched
/// by an epoll instance, and its exit is reaped with `waitid(P_PIDFD)` when the descriptor turns
/// readable. Replaces Foundation's `Process`, whose launch and SIGCHLD path crashed under load
/// (hundreds of concurrent pods: SIGSEGV in `Process.run()` and in libdispatch's event loop).
final class ChildReaper: Sendable {
    /// One child to start.
    struct Spawn: Sendable {
        var executable: String
        /// `argv`, including `argv[0]`.
        var arguments: [String]
        var environment: [String: String]
        var directory: String
        /// Receives stdout and stderr.
        var logPath: String
    }

    /// A started child: its pid (also its process group) and its pidfd.
    struct Child: Sendable {
        var pid: Int32
        fileprivate var pidfd: Int32
    }

    struct SpawnError: Error, CustomStringConvertible {
        var errno: Int32
        var description: String { String(cString: strerror(errno)) }
    }

    static let shared = ChildReaper()

    private let epoll: Int32
    private let waiting = Mutex<[Int32: CheckedContinuation<Int32, Never>]>([:])

    private init() {
        epoll = cspawn_epoll_create()
        guard epoll >= 0 else { return }
        let thread = Thread { [self] in loop() }
        thread.name = "armada-sim reaper"
        thread.start()
    }

    func start(_ spawn: Spawn) throws(SpawnError) -> Child {
        guard epoll >= 0 else { throw SpawnError(errno: ENOSYS) }
        let log = open(spawn.logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard log >= 0 else { throw SpawnError(errno: errno) }
        defer { close(log) }
        var pid: pid_t = 0, pidfd: Int32 = -1
        let env = spawn.environment.map { "\($0.key)=\($0.value)" }
        let rc = Self.withCStrings(spawn.arguments) { argv in
            Self.withCStrings(env) { envp in
                cspawn_start(spawn.executable, argv, envp, spawn.directory, log, &pid, &pidfd)
            }
        }
        guard rc == 0 else { throw SpawnError(errno: rc) }
        return Child(pid: pid, pidfd: pidfd)
    }

    /// The child's exit code (128 + signal when a signal ended it), once it has exited. Not
    /// cancellable: stop the child to end the wait.
    func exitCode(_ child: Child) async -> Int32 {
        await withCheckedContinuation { continuation in
            waiting.withLock { $0[child.pidfd] = continuation }
            // Without room in the epoll set (max_user_watches), a thread of its own waits.
            if cspawn_epoll_add(epoll, child.pidfd) != 0 {
                Thread.detachNewThread { [self] in finish(child.pidfd, block: true) }
            }
        }
    }

    private func loop() {
        var ready = [Int32](repeating: -1, count: 64)
        while true {
            let n = cspawn_epoll_wait(epoll, &ready, 64)
            guard n > 0 else { continue }
            for fd in ready.prefix(Int(n)) { finish(fd) }
        }
    }

    /// Reaps the child of `pidfd`, closes the descriptor and resumes its waiter.
    private func finish(_ pidfd: Int32, block: Bool = false) {
        var code: Int32 = 137
        let rc = cspawn_reap(pidfd, block ? 1 : 0, &code)
        if rc == EAGAIN { return } // not exited yet (a spurious wake-up); still watched
        guard let continuation = waiting.withLock({ $0.removeValue(forKey: pidfd) }) else { return }
        close(pidfd) // also removes it from the epoll set
        continuation.resume(returning: rc == 0 ? code : 137)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { for p in pointers { free(p) } }
        return body(pointers)
    }
}
