import CShims
import Foundation

/// How one container's process is started (`csandbox_start`): the namespaces it gets, who pod root
/// is on the host, the memory group its command joins, and the setup steps the child runs before its exec
/// (building the pod's root, mounting volumes, changing root). The steps are plain data so that the
/// sandbox's layout is decided (and tested) here and the child only makes system calls.
struct SandboxPlan: Sendable, Equatable {
    enum Operation: Sendable, Equatable {
        case mkdir(String)
        case mount(source: String?, target: String, type: String?, flags: UInt, data: String?)
        case symlink(link: String, target: String)
        case touch(String)
        case chroot(String)
        case umount(String)
        case rmdir(String)
        case chdir(String)
        case hostname(String)
        case loopbackUp
        case write(file: String, text: String)
    }

    struct Step: Sendable, Equatable {
        var operation: Operation
        /// A failure is ignored.
        var optional = false
        /// Steps after this one skipped when it succeeds (they are its fallback).
        var skipOnSuccess = 0
    }

    var cloneFlags: Int32 = 0
    /// With a user namespace: the host uid (and gid) pod root maps to; nil for this process's.
    var mapID: UInt32?
    var steps: [Step] = []
    /// `cgroup.procs` of the memory group the command joins right before its exec (not the pod's init).
    var cgroupProcs: String?
    /// The capabilities kept (bounding set), by number; nil leaves them as they are.
    var keepCapabilities: UInt64?
    var noNewPrivileges = false

    mutating func add(_ operation: Operation, optional: Bool = false, skipOnSuccess: Int = 0) {
        steps.append(Step(operation: operation, optional: optional, skipOnSuccess: skipOnSuccess))
    }

    /// `mount --bind` (recursive when `recursive`).
    mutating func bind(_ source: String, _ target: String, recursive: Bool = false) {
        add(.mount(source: source, target: target, type: nil, flags: UInt(MS_BIND) | (recursive ? UInt(MS_REC) : 0), data: nil))
    }

    /// What a failed step was doing, for the container's start error.
    func describe(step index: Int32) -> String {
        guard index >= 0, Int(index) < steps.count else { return "setting up the container's process" }
        switch steps[Int(index)].operation {
        case .mkdir(let path): return "mkdir \(path)"
        case .mount(let source, let target, let type, let flags, _):
            if flags & UInt(MS_REMOUNT) != 0 { return "remount \(target) read-only" }
            if flags & UInt(MS_BIND) != 0 { return "bind-mount \(source ?? "") on \(target)" }
            return "mount \(type ?? "") on \(target)"
        case .symlink(let link, let target): return "symlink \(link) -> \(target)"
        case .touch(let path): return "create \(path)"
        case .chroot(let path): return "chroot \(path)"
        case .umount(let path): return "unmount \(path)"
        case .rmdir(let path): return "rmdir \(path)"
        case .chdir(let path): return "chdir \(path)"
        case .hostname(let name): return "set the hostname \(name)"
        case .loopbackUp: return "bring the loopback interface up"
        case .write(let file, _): return "write \(file)"
        }
    }
}
