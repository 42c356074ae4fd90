import DealerCore
import DealerStore
import Foundation
import Logging
import ServiceLifecycle

/// The bot's side of the conversation: reads updates by long polling `getUpdates` and answers
/// `/start CODE` (links the chat to the person whose deep link it is), `/stop` (unlinks it),
/// `/help`, and for a linked person `/limits`, `/late`, `/dealer КОД`, `/mute КОД` and
/// `/unmute КОД` (`TelegramAnswers`). Run it on one replica (`notifications.telegram.poll`):
/// Telegram serves updates to one reader at a time. The position is kept in the database, so a
/// restart neither repeats nor skips.
public struct TelegramBot: Service {
    let store: NotificationStore
    let client: TelegramClient
    let answers: TelegramAnswers?
    let logger: Logger
    let ready: @Sendable () async throws -> Void
    /// Seconds one `getUpdates` waits for news.
    let wait: Int

    public init(
        store: NotificationStore, client: TelegramClient, answers: TelegramAnswers? = nil, logger: Logger, wait: Int = 25,
        ready: @escaping @Sendable () async throws -> Void = {}
    ) {
        self.store = store
        self.client = client
        self.answers = answers
        self.logger = logger
        self.wait = wait
        self.ready = ready
    }

    public func run() async throws {
        do { try await ready() } catch { return }
        logger.info("telegram bot reading updates")
        await cancelWhenGracefulShutdown {
            var backoff = Duration.seconds(1)
            while !Task.isCancelled {
                do {
                    let offset = try await store.telegramOffset()
                    for update in try await client.updates(after: offset, wait: wait) {
                        await handle(update)
                        try await store.setTelegramOffset(update.id)
                    }
                    backoff = .seconds(1)
                } catch is CancellationError {
                    return
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("telegram updates failed", metadata: ["error": .string("\(error)")])
                    try? await Task.sleep(for: backoff)
                    backoff = min(backoff * 2, .seconds(60))
                }
            }
        }
        await client.shutdown()
    }

    func handle(_ update: TelegramClient.Update) async {
        guard !update.chatID.isEmpty else { return }
        let words = update.text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // `/start@BotName CODE` in groups.
        let command = words.first.map { $0.split(separator: "@").first.map(String.init) ?? $0 } ?? ""
        let reply: String
        do {
            switch command {
            case "/start":
                if words.count < 2 {
                    reply = "Чтобы получать уведомления dealerd, откройте ссылку привязки из dealerd (её выдаёт администратор или ваш профиль)."
                } else {
                    switch try await store.linkTelegram(code: words[1], chatID: update.chatID, username: update.username) {
                    case .linked(let manager):
                        reply = "Готово, \(Self.escaped(manager.name)): уведомления dealerd будут приходить в этот чат. Отключить: /stop"
                        logger.info("telegram chat linked", metadata: ["manager": .string(manager.id.lowercased)])
                    case .linkedContact(let name, let dealer):
                        reply =
                            "Готово, \(Self.escaped(name)): уведомления dealerd для «\(Self.escaped(dealer))» будут приходить в этот чат. Отключить: /stop"
                        logger.info("telegram chat linked to a dealer's contact")
                    case .invalidCode:
                        reply = "Ссылка недействительна: она уже использована или устарела. Получите новую в dealerd."
                    }
                }
            case "/stop":
                var unlinked = try await store.unlinkTelegram(chatID: update.chatID, actor: "telegram:\(update.chatID)")
                if !unlinked { unlinked = try await store.unlinkContactTelegram(chatID: update.chatID, actor: "telegram:\(update.chatID)") }
                reply = unlinked ? "Уведомления в этот чат отключены." : "Этот чат не привязан к dealerd."
            case "/limits", "/late", "/dealer", "/mute", "/unmute":
                guard let answers else {
                    reply = BotReplies.help
                    break
                }
                guard let manager = try await store.manager(linkedTo: update.chatID), manager.active else {
                    reply = BotReplies.notLinked
                    break
                }
                let code = words.dropFirst().joined(separator: " ")
                switch command {
                case "/limits": reply = try await answers.limits(for: manager)
                case "/late": reply = try await answers.late(for: manager)
                case _ where code.isEmpty: reply = "Укажите код дилера: \(command) D-001"
                case "/dealer": reply = try await answers.position(code: code, for: manager)
                default: reply = try await answers.mute(code: code, on: command == "/mute", for: manager, chatID: update.chatID)
                }
            default:
                reply = BotReplies.help
            }
        } catch {
            logger.error("telegram command failed", metadata: ["error": .string(String(reflecting: error))])
            reply = "Не получилось, попробуйте ещё раз позже."
        }
        do {
            _ = try await client.sendMessage(chatID: update.chatID, html: reply)
        } catch {
            logger.info("telegram reply failed", metadata: ["error": .string("\(error)")])
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
