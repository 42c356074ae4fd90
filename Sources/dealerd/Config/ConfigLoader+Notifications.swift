import DealerCore
import DealerJobs
import Foundation

extension ConfigLoader {
    /// `notifications.*`: the dispatcher, quiet hours, the operators' addresses, the console's address
    /// for links, and e-mail (configured when `notifications.smtp.host` is set).
    static func notificationSettings(_ settings: inout SettingsReader, into config: inout DealerdConfig) {
        if let enabled = settings.bool("notifications.enabled") { config.notifications.enabled = enabled }
        if let directory = settings.string("notifications.dir") { config.notificationsDirectory = directory }
        if let text = settings.string("notifications.quiet_hours") {
            if ["none", "off", "false"].contains(text.lowercased()) {
                config.quietHours = nil
            } else if let hours = QuietHours(parsing: text) {
                config.quietHours = hours
            } else {
                settings.problems.append("notifications.quiet_hours: expected HH:MM-HH:MM (21:00-08:00) or none")
            }
        }
        let operators = settings.list("notifications.operators").map { $0.lowercased() }
        for address in operators where !address.looksLikeEmail {
            settings.problems.append("notifications.operators: \(address) is not an e-mail address")
        }
        config.operators = operators.filter(\.looksLikeEmail)
        if let url = settings.string("notifications.console_url") {
            if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                config.consoleURL = url
            } else {
                settings.problems.append("notifications.console_url: expected an http(s) URL such as https://dealerd.example.ru")
            }
        }
        if let days = settings.int("notifications.act_link_days", in: 1...365) { config.actLinkLifetime = Double(days) * 86400 }
        if let hours = settings.int("notifications.max_event_age_hours", in: 0...8760) {
            config.maxEventAge = hours == 0 ? nil : Double(hours) * 3600
        }
        let digestChannels = settings.list("notifications.digest_channels")
        if !digestChannels.isEmpty {
            let parsed = digestChannels.compactMap { NotificationChannel(rawValue: $0.lowercased()) }
            if parsed.count == digestChannels.count {
                config.digestChannels = parsed
            } else {
                settings.problems.append(
                    "notifications.digest_channels: expected telegram and/or email, got \(digestChannels.joined(separator: ", "))")
            }
        }
        if let text = settings.string("notifications.retry_schedule") {
            if let delays = WebhookRetrySchedule.parseDelays(text) {
                config.notifications.retry.delays = delays
            } else {
                settings.problems.append("notifications.retry_schedule: expected waits like \"0s, 30s, 5m, 30m, 2h\" (s, m, h, d)")
            }
        }
        if let count = settings.int("notifications.concurrency", in: 1...256) { config.notifications.concurrency = count }
        if let bot = settings.string("notifications.telegram.bot_name") {
            var telegram = TelegramSettings(botName: bot.hasPrefix("@") ? String(bot.dropFirst()) : bot, token: "")
            if let url = settings.string("notifications.telegram.api_url") {
                if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                    telegram = TelegramSettings(botName: telegram.botName, token: "", apiURL: url)
                } else {
                    settings.problems.append("notifications.telegram.api_url: expected an http(s) URL (https://api.telegram.org)")
                }
            }
            if let poll = settings.bool("notifications.telegram.poll") { telegram.poll = poll }
            if let rate = settings.int("notifications.telegram.max_per_second", in: 1...30) { telegram.maxPerSecond = rate }
            if let hours = settings.int("notifications.telegram.link_hours", in: 1...720) { telegram.linkLifetime = Double(hours) * 3600 }
            if settings.string("notifications.telegram.token") != nil {
                settings.problems.append("notifications.telegram.token: put the bot token in DEALERD_TELEGRAM_TOKEN, not in the file")
            }
            config.notifications.telegram = telegram
        }
        if let ms = settings.int("notifications.poll_interval_ms", in: 50...600_000) { config.notifications.pollInterval = Double(ms) / 1000 }
        guard let host = settings.string("notifications.smtp.host") else { return }
        let security: SMTPSettings.Security
        if let text = settings.string("notifications.smtp.security") {
            guard let parsed = SMTPSettings.Security(rawValue: text) else {
                settings.problems.append("notifications.smtp.security: starttls, tls or none, not \(text)")
                return
            }
            security = parsed
        } else {
            security = .starttls
        }
        guard let from = settings.string("notifications.smtp.from"), from.lowercased().looksLikeEmail else {
            settings.problems.append("notifications.smtp.from: the sender's e-mail address is required with notifications.smtp.host")
            return
        }
        if settings.string("notifications.smtp.password") != nil {
            settings.problems.append("notifications.smtp.password: put the password in DEALERD_SMTP_PASSWORD, not in the file")
        }
        var smtp = SMTPSettings(
            host: host, port: settings.int("notifications.smtp.port", in: 1...65535) ?? (security == .tls ? 465 : 587), security: security,
            username: settings.string("notifications.smtp.username"),
            from: MIMEMessage.Mailbox(name: settings.string("notifications.smtp.from_name"), address: from.lowercased()),
            heloName: settings.string("notifications.smtp.helo_name") ?? "localhost",
            caFile: settings.string("notifications.smtp.ca_file"))
        if let seconds = settings.int("notifications.smtp.timeout_seconds", in: 1...600) { smtp.timeout = Double(seconds) }
        if let rate = settings.int("notifications.smtp.max_per_second", in: 0...10_000) { smtp.maxPerSecond = rate }
        if let caFile = smtp.caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            settings.problems.append("notifications.smtp.ca_file: \(caFile) is not a readable file")
        }
        config.notifications.smtp = smtp
    }
}
