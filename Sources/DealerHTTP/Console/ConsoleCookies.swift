import Foundation
import HTTPTypes
import Hummingbird

/// The console's cookies: the session (`dealerd_session`) and, before sign-in, the token the
/// sign-in and password forms carry (`dealerd_form`, a double-submit CSRF token). Both `HttpOnly`
/// and `SameSite=Lax`, `Secure` when configured.
enum ConsoleCookies {
    static let session = "dealerd_session"
    static let form = "dealerd_form"

    static func value(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0] == name, !parts[1].isEmpty { return String(parts[1]) }
            }
        }
        return nil
    }

    /// A cookie for the browser's session only: lifetimes are enforced by the server.
    static func set(_ name: String, _ value: String, secure: Bool) -> String {
        "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    static func clear(_ name: String, secure: Bool) -> String {
        "\(name)=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0" + (secure ? "; Secure" : "")
    }
}
