import ArmadaAPI

/// RFC 8628's polling of the token endpoint while a person approves the device code: wait
/// `interval` before each attempt; `authorization_pending` means ask again, `slow_down` means
/// ask again with the interval 5 seconds longer (§3.5); `access_denied` and `expired_token` end
/// it, and so does the code's lifetime (`expires_in`) running out. Pure but for the two closures.
struct OIDCDeviceFlow: Sendable {
    let authorization: OIDCClient.DeviceAuthorization
    /// One token request with the device code.
    let poll: @Sendable () async throws(ArmadaError) -> OIDCClient.TokenAnswer
    /// Waits (Task.sleep in use; recorded in tests).
    let sleep: @Sendable (Duration) async throws -> Void

    /// What to show the person, once.
    var instructions: String {
        var text = "To sign in to Armada, open \(authorization.verificationURI) and enter the code \(authorization.userCode)"
        if let complete = authorization.verificationURIComplete { text += " (or open \(complete))" }
        return text + "; waiting for the approval…"
    }

    func run() async throws(ArmadaError) -> OIDCToken {
        var interval = max(authorization.interval, .seconds(1))
        var waited = Duration.zero
        while true {
            guard waited + interval <= authorization.expiresIn else {
                throw ArmadaError(.authentication, endpoint: "", message: "the device code expired after \(authorization.expiresIn) "
                    + "before anyone approved it; run again and approve within that time")
            }
            do {
                try await sleep(interval)
            } catch {
                throw ArmadaError(.authentication, endpoint: "", message: "signing in was interrupted")
            }
            waited += interval
            switch try await poll() {
            case .token(let token):
                return token
            case .error(code: "authorization_pending", _, _):
                continue
            case .error(code: "slow_down", _, _):
                interval += .seconds(5)
            case .error(code: "access_denied", _, _):
                throw ArmadaError(.authentication, endpoint: "", message: "the sign-in was denied at the provider")
            case .error(code: "expired_token", _, _):
                throw ArmadaError(.authentication, endpoint: "", message: "the device code expired; run again and approve it in time")
            case .error(let code, let description, let status):
                throw ArmadaError(.authentication, endpoint: "", message: "the provider refused the device code: \(code)"
                    + (description.isEmpty ? "" : " (\(description))") + " (HTTP \(status))")
            }
        }
    }
}
