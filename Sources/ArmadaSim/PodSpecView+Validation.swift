import ArmadaAPI

/// The path and name checks the Kubernetes API server applies when the executor creates a pod:
/// volume names are DNS labels, volume mounts name a volume and mount at an absolute path without
/// `..`, downward-API item paths are relative and never climb (`..`), termination-message paths and
/// working directories are absolute. A pod that fails them is never created, so no runtime ever sees
/// a path a request chose outside the pod.
extension PodSpecView {
    /// One message per problem, in the API server's words (`spec.volumes[0].name: Invalid value: …`).
    func validationErrors() -> [String] {
        var errors: [String] = []
        var names: Set<String> = []
        for (i, volume) in volumes.enumerated() {
            let at = "spec.volumes[\(i)]"
            if !Self.isDNSLabel(volume.name) {
                errors.append("\(at).name: Invalid value: \(Self.quoted(volume.name)): a lowercase RFC 1123 label must consist of lower case "
                    + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
                    + "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
            } else if !names.insert(volume.name).inserted {
                errors.append("\(at).name: Duplicate value: \(Self.quoted(volume.name))")
            }
            for (j, path) in volume.downwardItems.keys.sorted().enumerated() {
                if let problem = Self.descendingPathProblem(path) {
                    errors.append("\(at).downwardAPI.items[\(j)].path: Invalid value: \(Self.quoted(path)): \(problem)")
                }
            }
        }
        for (kind, list) in [("initContainers", initContainers), ("containers", containers)] {
            for (i, c) in list.enumerated() {
                let at = "spec.\(kind)[\(i)]"
                for (j, mount) in c.volumeMounts.enumerated() {
                    if !names.contains(mount.name) {
                        errors.append("\(at).volumeMounts[\(j)].name: Not found: \(Self.quoted(mount.name))")
                    }
                    if let problem = Self.absolutePathProblem(mount.mountPath) {
                        errors.append("\(at).volumeMounts[\(j)].mountPath: Invalid value: \(Self.quoted(mount.mountPath)): \(problem)")
                    }
                }
                if let problem = Self.absolutePathProblem(c.terminationMessagePath) {
                    errors.append("\(at).terminationMessagePath: Invalid value: \(Self.quoted(c.terminationMessagePath)): \(problem)")
                }
                if let dir = c.workingDir, !dir.isEmpty, !dir.hasPrefix("/") || dir.contains("\0") {
                    errors.append("\(at).workingDir: Invalid value: \(Self.quoted(dir)): must be an absolute path")
                }
            }
        }
        // Kubernetes takes whole seconds from 1; fractions below are kept for the simulator's scaled time.
        if let deadline = activeDeadlineSeconds, !(deadline > 0 && deadline <= Double(Int32.max)) {
            errors.append("spec.activeDeadlineSeconds: Invalid value: \(JSONValue.numberText(deadline)): must be between 1 and 2147483647, inclusive")
        }
        return errors
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
    static func isDNSLabel(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard (1...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        return alnum(first) && alnum(last) && bytes.allSatisfy { alnum($0) || $0 == 45 }
    }

    /// Kubernetes' `validateLocalDescendingPath`: relative, and no `..` element.
    static func descendingPathProblem(_ path: String) -> String? {
        if path.isEmpty { return "must not be empty" }
        if path.hasPrefix("/") { return "must be a relative path" }
        if path.contains("\0") { return "must not contain a NUL character" }
        if path.split(separator: "/").contains("..") { return "must not contain '..'" }
        return nil
    }

    /// Absolute, without a `..` element (the mount point is resolved inside the pod's root).
    static func absolutePathProblem(_ path: String) -> String? {
        if path.isEmpty { return "must not be empty" }
        if !path.hasPrefix("/") { return "must be an absolute path" }
        if path.contains("\0") { return "must not contain a NUL character" }
        if path.split(separator: "/").contains("..") { return "must not contain '..'" }
        return nil
    }

    static func quoted(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
