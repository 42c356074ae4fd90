import Foundation

/// Where and how e-mail is sent: `notifications.smtp.*` in config, the password from
/// `DEALERD_SMTP_PASSWORD` only.
public struct SMTPSettings: Sendable {
    public enum Security: String, Sendable, CaseIterable {
        /// Plain, then STARTTLS before anything else is said (port 587); refused if the server lacks it.
        case starttls
        /// TLS from the first byte (port 465).
        case tls
        /// No encryption: a relay on this machine only.
        case none
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    public var from: MIMEMessage.Mailbox
    /// The name we give in EHLO, and the domain of our Message-IDs.
    public var heloName: String
    /// The longest one conversation with the server may take.
    public var timeout: TimeInterval
    /// A PEM file of certificate authorities to trust instead of the system's (a private relay).
    public var caFile: String?
    /// Messages per second at most, across this replica.
    public var maxPerSecond: Int

    public init(
        host: String, port: Int = 587, security: Security = .starttls, username: String? = nil, password: String? = nil,
        from: MIMEMessage.Mailbox, heloName: String = "localhost", timeout: TimeInterval = 30, caFile: String? = nil, maxPerSecond: Int = 20
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.from = from
        self.heloName = heloName
        self.timeout = timeout
        self.caFile = caFile
        self.maxPerSecond = maxPerSecond
    }

    /// The domain part of the sender, for Message-IDs.
    public var domain: String {
        from.address.split(separator: "@").last.map(String.init) ?? heloName
    }
}
