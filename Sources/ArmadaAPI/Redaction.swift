import Foundation
import Synchronization

/// The one redaction applied at every output boundary (console, errors, JUnit, JSON, metrics,
/// the simulator's banner): every credential this process has been given, in every form it could
/// come back in (as is, percent-encoded, JSON-escaped, base64 alone or as `user:password`), and the
/// user information of any URL, are replaced by `[REDACTED]`.
public enum Redaction {
    public static let replacement = "[REDACTED]"
    /// Every form of every registered credential, longest first (a form containing another is
    /// replaced before it), computed once at registration: `apply` runs on every console line.
    private static let known = Mutex<(secrets: Set<String>, forms: [String])>(([], []))

    /// Remembers a credential (values shorter than 4 characters are too common to replace safely).
    public static func register(_ secret: String) {
        guard secret.utf8.count >= 4 else { return }
        known.withLock { state in
            guard state.secrets.insert(secret).inserted else { return }
            state.forms = Array(Set(state.forms).union(forms(of: secret))).sorted { $0.count > $1.count }
        }
    }

    /// Remembers basic-auth credentials: the password and the base64 of `user:password`.
    public static func register(username: String, password: String) {
        register(password)
        if !password.isEmpty { register(Data("\(username):\(password)".utf8).base64EncodedString()) }
    }

    /// `text` with every known credential, and every URL's user information, replaced.
    public static func apply(_ text: String) -> String {
        var out = scrubUserinfo(text)
        for form in known.withLock({ $0.forms }) where out.contains(form) {
            out = out.replacingOccurrences(of: form, with: replacement)
        }
        return out
    }

    /// The ways a value reappears in text: as is, percent-encoded, JSON- and XML-escaped, base64.
    static func forms(of secret: String) -> Set<String> {
        var forms: Set<String> = [secret, Data(secret.utf8).base64EncodedString()]
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { forms.insert(encoded) }
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@"))) {
            forms.insert(encoded)
        }
        let json = JSONValue.quoted(secret)
        forms.insert(String(json.dropFirst().dropLast()))
        forms.insert(secret.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;"))
        return forms.filter { $0.utf8.count >= 4 }
    }

    /// `scheme://user:password@host` → `scheme://[REDACTED]@host`.
    static func scrubUserinfo(_ text: String) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // The authority ends at the first '/', '?', '#', white space or quote; userinfo before its last '@'.
            let end = rest.firstIndex { "/?#\"'<> \n\t".contains($0) } ?? rest.endIndex
            if let at = rest[..<end].lastIndex(of: "@") {
                out += replacement
                rest = rest[at...]
            }
        }
        return out + rest
    }
}
