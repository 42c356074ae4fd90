import Foundation

/// The bot: `notifications.telegram.*` in config, the token from `DEALERD_TELEGRAM_TOKEN` only.
public struct TelegramSettings: Sendable {
    /// The bot's user name (without @), for deep links `https://t.me/<bot>?start=<code>`.
    public var botName: String
    public var token: String
    /// The Bot API's address; a test points it at a fake on loopback.
    public var apiURL: String
    /// Read `/start`, `/stop` and the commands by long polling `getUpdates` on this replica.
    public var poll: Bool
    /// Messages per second at most across all chats (Telegram allows about 30), and per chat.
    public var maxPerSecond: Int
    public var perChatInterval: TimeInterval
    /// How long a deep link's code stays valid.
    public var linkLifetime: TimeInterval
    public var timeout: TimeInterval

    public init(
        botName: String, token: String, apiURL: String = "https://api.telegram.org", poll: Bool = true, maxPerSecond: Int = 25,
        perChatInterval: TimeInterval = 1, linkLifetime: TimeInterval = 24 * 3600, timeout: TimeInterval = 15
    ) {
        self.botName = botName
        self.token = token
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.poll = poll
        self.maxPerSecond = maxPerSecond
        self.perChatInterval = perChatInterval
        self.linkLifetime = linkLifetime
        self.timeout = timeout
    }

    /// The deep link for a code.
    public func deepLink(_ code: String) -> String { "https://t.me/\(botName)?start=\(code)" }
}
