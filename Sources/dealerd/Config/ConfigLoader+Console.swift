import DealerCore
import DealerHTTP
import Foundation

extension ConfigLoader {
    /// `console.*`: the web console and the dealer cabinet, their sessions and passwords, and the
    /// address people reach it at (for the links the CLI prints and the letters carry).
    static func consoleSettings(_ settings: inout SettingsReader, into config: inout DealerdConfig) {
        if let enabled = settings.bool("console.enabled") { config.console.enabled = enabled }
        if let url = settings.string("console.url") {
            if let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil {
                config.consoleURL = url.hasSuffix("/") ? String(url.dropLast()) : url
                config.console.publicURL = config.consoleURL
            } else {
                settings.problems.append("console.url: expected an http(s) URL such as https://dealerd.example.ru")
            }
        }
        if let secure = settings.bool("console.secure_cookies") { config.console.secureCookies = secure }
        if let minutes = settings.int("console.idle_minutes", in: 1...1440) { config.console.session.idle = Double(minutes) * 60 }
        if let hours = settings.int("console.absolute_hours", in: 1...720) { config.console.session.absolute = Double(hours) * 3600 }
        if let hours = settings.int("console.link_hours", in: 1...720) { config.console.linkLifetime = Double(hours) * 3600 }
        let costs = Int(ConsoleSettings.passwordCosts.lowerBound)...Int(ConsoleSettings.passwordCosts.upperBound)
        if let cost = settings.int("console.password_cost", in: costs), let exact = UInt8(exactly: cost) { config.console.passwordCost = exact }
        if let length = settings.int("console.min_password_length", in: 8...64) { config.console.passwords.minimumLength = length }
    }
}
