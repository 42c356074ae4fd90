import DealerCore
import DealerStore
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Fans committed events out to messages for people and sends them, on every replica at once:
/// messages are claimed with leases, so each attempt is made by one replica, and none is lost when
/// a replica dies (its lease runs out and another sends it, logging the attempt with no outcome).
/// No message is sent inside a transaction: claim, send, then record.
public struct NotificationDispatcher: Service {
    let store: NotificationStore
    let settings: NotificationSettings
    let routing: NotificationRouting
    let logger: Logger
    let ready: @Sendable () async throws -> Void
    let listen: (@Sendable (_ ring: @escaping @Sendable () -> Void) async -> Void)?
    /// Makes a file a letter carries (the act's PDF or XML); nil when it cannot be made here, and the
    /// letter goes without it.
    let files: @Sendable (NotificationAttachment) async -> MIMEMessage.Attachment?

    public init(
        store: NotificationStore, settings: NotificationSettings, routing: NotificationRouting, logger: Logger,
        ready: @escaping @Sendable () async throws -> Void = {},
        listen: (@Sendable (_ ring: @escaping @Sendable () -> Void) async -> Void)? = nil,
        files: @escaping @Sendable (NotificationAttachment) async -> MIMEMessage.Attachment? = { _ in nil }
    ) {
        self.files = files
        self.store = store
        self.settings = settings
        self.routing = routing
        self.logger = logger
        self.ready = ready
        self.listen = listen
    }

    public func run() async throws {
        guard settings.enabled, !settings.channels.isEmpty else {
            logger.info(
                "notification dispatcher idle on this replica", metadata: ["reason": .string(settings.enabled ? "no channel configured" : "disabled")]
            )
            try? await gracefulShutdown()
            return
        }
        do { try await ready() } catch { return }
        let email: SMTPClient?
        do {
            email = try settings.smtp.map(SMTPClient.init)
        } catch {
            logger.error("e-mail cannot be sent: the TLS settings are unusable", metadata: ["error": .string("\(error)")])
            try? await gracefulShutdown()
            return
        }
        let pacers: [NotificationChannel: SendPacer] = [
            .email: SendPacer(perSecond: settings.smtp?.maxPerSecond ?? 0), .telegram: SendPacer(perSecond: settings.telegram?.maxPerSecond ?? 0),
        ]
        let chats = ChatPacer(interval: settings.telegram?.perChatInterval ?? 0)
        let telegram = settings.telegram.map(TelegramClient.init)
        let wakeup = Wakeup()
        let inFlight = AttemptsInFlight()
        let channels = settings.channels
        logger.info(
            "notification dispatcher started",
            metadata: ["channels": .string(channels.map(\.rawValue).sorted().joined(separator: ",")), "owner": .string(settings.owner)])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                let commits = store.commits.subscribe()
                group.addTask {
                    for await _ in commits { wakeup.ring() }
                }
                if let listen {
                    group.addTask { await listen { wakeup.ring() } }
                }
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    var pause = Duration.seconds(settings.pollInterval)
                    do {
                        while try await store.fanOut(limit: settings.fanOutBatch, routing: routing) == settings.fanOutBatch {}
                        let free = settings.concurrency - inFlight.count
                        if free > 0 {
                            let claimed = try await store.claimDue(owner: settings.owner, lease: settings.lease, limit: free, channels: channels)
                            for dispatch in claimed {
                                inFlight.change(by: 1)
                                group.addTask {
                                    await pacers[dispatch.channel]?.wait()
                                    if dispatch.channel == .telegram { await chats.wait(for: dispatch.recipient.address) }
                                    await send(dispatch, email: email, telegram: telegram)
                                    inFlight.change(by: -1)
                                    wakeup.ring()
                                }
                            }
                            if !claimed.isEmpty { continue }
                            if let due = try await store.nextDue(channels: channels) {
                                let wait = due.timeIntervalSince(store.clock.now())
                                pause = min(pause, .milliseconds(Timestamp.clampedInt64(max(wait, 0.005) * 1000)))
                            }
                        }
                    } catch {
                        logger.error("notification pass failed", metadata: ["error": .string(String(reflecting: error))])
                    }
                    await wakeup.wait(upTo: pause)
                }
                while inFlight.count > 0 { await wakeup.wait(upTo: .milliseconds(50)) }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            wakeup.ring()
        }
        await telegram?.shutdown()
        logger.info("notification dispatcher stopped")
    }

    private func send(_ dispatch: NotificationDispatch, email: SMTPClient?, telegram: TelegramClient?) async {
        let started = store.clock.now()
        let clock = ContinuousClock()
        let begun = clock.now
        var outcome: NotificationOutcome
        var retryAfter: TimeInterval?
        switch dispatch.channel {
        case .email:
            if let email, let smtp = settings.smtp {
                var attached: [MIMEMessage.Attachment] = []
                for attachment in dispatch.attachments {
                    if let file = await files(attachment) { attached.append(file) }
                }
                do {
                    let answer = try await email.send(
                        Self.letter(dispatch, smtp: smtp, date: started, attachments: attached), to: dispatch.recipient.address)
                    outcome = .sent(response: answer)
                } catch let failure as SMTPClient.Failure {
                    outcome = failure.permanent ? .refused(error: failure.message) : .failed(error: failure.message)
                } catch {
                    outcome = .failed(error: "\(error)")
                }
            } else {
                outcome = .failed(error: "e-mail is not configured on this replica")
            }
        case .telegram:
            if let telegram {
                do {
                    let id = try await telegram.sendMessage(chatID: dispatch.recipient.address, html: dispatch.text)
                    // The act follows its message as a document. Should the file fail, the retry
                    // sends both again: at least once, as everywhere.
                    for attachment in dispatch.attachments {
                        guard let file = await files(attachment) else { continue }
                        _ = try await telegram.sendDocument(
                            chatID: dispatch.recipient.address, file: file, caption: (file.filename as NSString).deletingPathExtension)
                    }
                    outcome = .sent(response: "message_id " + id)
                } catch let failure as TelegramClient.Failure {
                    outcome = failure.permanent ? .refused(error: failure.message) : .failed(error: failure.message)
                    retryAfter = failure.retryAfter
                } catch {
                    outcome = .failed(error: "\(error)")
                }
            } else {
                outcome = .failed(error: "Telegram is not configured on this replica")
            }
        }
        let elapsed = (clock.now - begun).components
        let milliseconds = Int(
            clamping: elapsed.seconds.multipliedReportingOverflow(by: 1000).partialValue + elapsed.attoseconds / 1_000_000_000_000_000)
        var retryAt: Date?
        if case .failed = outcome {
            retryAt = settings.retry.nextAttempt(
                afterFailures: dispatch.cycleFailures + 1, at: store.clock.now(), retryAfter: retryAfter, random: Double.random(in: 0...1))
        }
        NotificationMetrics.attempted(dispatch, outcome: outcome, startedAt: started)
        do {
            try await store.record(dispatch, owner: settings.owner, outcome: outcome, startedAt: started, durationMs: milliseconds, retryAt: retryAt)
        } catch {
            // The lease runs out and the message is sent again: at least once, never lost.
            logger.error(
                "could not record a notification attempt",
                metadata: ["notification": .string(dispatch.id.lowercased), "error": .string(String(reflecting: error))])
        }
        switch outcome {
        case .sent: break
        case .failed(let error), .refused(let error):
            // The address is personal data: the log names the message, not the person.
            logger.info(
                "notification attempt failed",
                metadata: [
                    "notification": .string(dispatch.id.lowercased), "channel": .string(dispatch.channel.rawValue),
                    "attempt": "\(dispatch.attemptNumber)", "error": .string(error),
                    "next_attempt": .string(retryAt.map(Timestamp.format) ?? "none"),
                ])
        }
    }

    /// The e-mail for a claimed message; its Message-ID is the message's own, the same on every retry.
    static func letter(
        _ dispatch: NotificationDispatch, smtp: SMTPSettings, date: Date, attachments: [MIMEMessage.Attachment] = []
    ) -> MIMEMessage {
        MIMEMessage(
            from: smtp.from, to: MIMEMessage.Mailbox(name: dispatch.recipient.name, address: dispatch.recipient.address),
            subject: dispatch.subject, text: dispatch.text, html: dispatch.html, attachments: attachments,
            messageID: "\(dispatch.id.lowercased)@\(smtp.domain)",
            date: date,
            // Dealers' people may ask to hear no more; our own staff are managed by the rules.
            unsubscribe: dispatch.recipient.kind == .contact ? ["mailto:\(smtp.from.address)?subject=unsubscribe"] : [])
    }
}

/// Spaces sends so that at most `perSecond` start in any second (0: no limit).
actor SendPacer {
    private let interval: Duration
    private var next = ContinuousClock.now

    init(perSecond: Int) {
        interval = perSecond > 0 ? .nanoseconds(1_000_000_000 / Int64(perSecond)) : .zero
    }

    func wait() async {
        guard interval > .zero else { return }
        let now = ContinuousClock.now
        let slot = max(next, now)
        next = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}

/// Keeps at least `interval` between two messages to one chat (Telegram allows about one a second).
actor ChatPacer {
    private let interval: Duration
    private var next: [String: ContinuousClock.Instant] = [:]

    init(interval: TimeInterval) {
        self.interval = .milliseconds(Timestamp.clampedInt64(max(interval, 0) * 1000))
    }

    func wait(for chat: String) async {
        guard interval > .zero else { return }
        let now = ContinuousClock.now
        let slot = max(next[chat] ?? now, now)
        next[chat] = slot + interval
        if next.count > 10_000 { next = next.filter { $0.value > now } }
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}

/// Attempts by channel and outcome, and the lag from a message's making to its first attempt.
enum NotificationMetrics {
    static func attempted(_ dispatch: NotificationDispatch, outcome: NotificationOutcome, startedAt: Date) {
        let label: String =
            switch outcome {
            case .sent: "sent"
            case .failed: "failed"
            case .refused: "refused"
            }
        Counter(label: "dealerd_notification_attempts", dimensions: [("channel", dispatch.channel.rawValue), ("outcome", label)]).increment()
        if dispatch.attemptNumber == 1 {
            let lag = startedAt.timeIntervalSince(dispatch.createdAt)
            Metrics.Timer(label: "dealerd_notification_first_attempt_lag", preferredDisplayUnit: .seconds)
                .recordNanoseconds(Timestamp.clampedInt64(max(lag, 0) * 1_000_000_000))
        }
    }
}
