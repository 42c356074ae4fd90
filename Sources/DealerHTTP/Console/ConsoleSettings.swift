import DealerCore
import Foundation

/// Settings of the web console and the dealer cabinet that come from config (`console.*`).
public struct ConsoleSettings: Sendable {
    /// Off: the console's pages are not served (the API is unaffected).
    public var enabled: Bool
    public var session: ConsoleSessionPolicy
    /// Adds `Secure` to the cookies: set when dealerd is reached over TLS (directly or behind a proxy).
    public var secureCookies: Bool
    /// How long a sign-in or reset link stays valid.
    public var linkLifetime: TimeInterval
    /// bcrypt's cost (log2 rounds), 4 to 16; each step doubles the time of a sign-in and of a guess.
    public var passwordCost: UInt8
    public var passwords: PasswordPolicy
    /// Where people reach the console (`console.url`), for the links shown to an admin; nil: the
    /// host the admin's request came to.
    public var publicURL: String?
    /// Sign-in links can go by e-mail: SMTP is configured and `console.url` is set. Links in letters
    /// start at `console.url` only, never at the Host a request names, which anyone can forge.
    public var mailLinks: Bool = false
    /// The effective configuration as `dealerd config check` prints it (secrets redacted), for the
    /// operations page.
    public var configText: String = ""

    public init(
        enabled: Bool = true, session: ConsoleSessionPolicy = ConsoleSessionPolicy(), secureCookies: Bool = false,
        linkLifetime: TimeInterval = 72 * 3600, passwordCost: UInt8 = 12, passwords: PasswordPolicy = PasswordPolicy()
    ) {
        self.enabled = enabled
        self.session = session
        self.secureCookies = secureCookies
        self.linkLifetime = linkLifetime
        self.passwordCost = passwordCost
        self.passwords = passwords
    }

    public static let passwordCosts: ClosedRange<UInt8> = 4...16
}
