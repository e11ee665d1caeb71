import ArmadaAPI
import Foundation

/// Who may call the simulator (API doc §6.2, §6.4): basic-auth users, anonymous access, and
/// Armada's global permissions granted to groups; queues grant verbs through their permissions.
public struct SimAuth: Sendable, Hashable {
    public struct User: Sendable, Hashable {
        public var password: String
        public var groups: [String]
        public init(password: String, groups: [String] = []) {
            self.password = password
            self.groups = groups
        }
    }

    /// The caller.
    public struct Principal: Sendable, Hashable {
        public var name: String
        public var groups: [String]
        public static let anonymous = Principal(name: "anonymous", groups: ["everyone"])
    }

    public static let permissions = [
        "submit_any_jobs", "cancel_any_jobs", "preempt_any_jobs", "reprioritize_any_jobs", "watch_all_events", "create_queue",
        "delete_queue", "cordon_queue", "cordon_nodes", "execute_jobs", "update_executor_settings", "create_retry_policy",
        "update_retry_policy", "delete_retry_policy",
        // The simulator's own: the `/_sim` admin endpoints (faults, lease expiry).
        SimAuth.adminPermission,
    ]

    /// Grants the `/_sim` endpoints; with an `auth:` block in the config only the groups it lists hold it.
    public static let adminPermission = "sim_admin"

    public var anonymousEnabled: Bool
    public var users: [String: User]
    /// Bearer tokens from an OpenID provider (`auth.openIdAuth`), when set.
    public var openId: SimOpenIdAuth?
    /// Permission name → groups holding it (the server's `permissionGroupMapping`).
    public var permissionGroups: [String: [String]]

    /// The local dev stack: anonymous callers, and everyone may do everything.
    public init(anonymousEnabled: Bool = true, users: [String: User] = [:],
                permissionGroups: [String: [String]] = Dictionary(uniqueKeysWithValues: SimAuth.permissions.map { ($0, ["everyone"]) })) {
        self.anonymousEnabled = anonymousEnabled
        self.users = users
        self.permissionGroups = permissionGroups
    }

    /// The token of a `Bearer` header (the scheme in any case), if it is one.
    public static func bearerToken(_ header: String?) -> String? {
        guard let header, let space = header.firstIndex(of: " "), header[..<space].lowercased() == "bearer" else { return nil }
        let token = header[header.index(after: space)...].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// Basic auth is checked first; a missing header or another scheme falls through to
    /// anonymous; wrong basic credentials fail at once (Unauthenticated), as the server does.
    public func authenticate(_ header: String?) throws(SimError) -> Principal {
        if let header, let space = header.firstIndex(of: " "), header[..<space].lowercased() == "basic" {
            let encoded = String(header[header.index(after: space)...]).trimmingCharacters(in: .whitespaces)
            guard let data = Data(base64Encoded: encoded), let pair = String(data: data, encoding: .utf8),
                  let colon = pair.firstIndex(of: ":") else {
                throw SimError(.unauthenticated, "invalid basic auth header")
            }
            let name = String(pair[..<colon]), password = String(pair[pair.index(after: colon)...])
            guard let user = users[name], user.password == password else {
                throw SimError(.unauthenticated, "invalid username/password combination")
            }
            return Principal(name: name, groups: user.groups + ["everyone"])
        }
        guard anonymousEnabled else { throw SimError(.unauthenticated, "request could not be authenticated") }
        return .anonymous
    }

    public func has(_ principal: Principal, _ permission: String) -> Bool {
        let groups = permissionGroups[permission] ?? []
        return groups.contains { principal.groups.contains($0) }
    }

    /// A global permission, or the queue verb granted to the caller by the queue's permissions.
    public func may(_ principal: Principal, _ permission: String, verb: String, on queue: Queue?) -> Bool {
        if has(principal, permission) { return true }
        for p in queue?.permissions ?? [] where (p.verbs ?? []).contains(verb) {
            for s in p.subjects ?? [] {
                if s.kind == "User", s.name == principal.name { return true }
                if s.kind == "Group", let g = s.name, principal.groups.contains(g) { return true }
            }
        }
        return false
    }
}
