import DealerCore
import Foundation
import Mustache

/// The message and letter templates (`notifications/templates`), mustache files in Russian: one per
/// channel and event type (`email/credit.limit_breached.mustache`), with `default` for the rest.
/// An e-mail template's first line is the subject; the HTML part is its text in `email/layout`.
public struct MessageTemplates: Sendable {
    /// A template folder that cannot be used; the file and the reason are named.
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    let library: MustacheLibrary
    /// Links in messages point into the console (`notifications.console_url`); nil: no links.
    public var consoleURL: String?
    public var company: String

    public init(library: MustacheLibrary, consoleURL: String?, company: String) {
        self.library = library
        self.consoleURL = consoleURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.company = company
    }

    /// The same templates linking into the console at `url`.
    public func linking(to url: String?) -> MessageTemplates {
        MessageTemplates(library: library, consoleURL: url, company: company)
    }

    /// Reads and checks every template under `directory`: each one parses, and the fallbacks exist.
    public static func load(directory: String, consoleURL: String?, company: String) async throws -> MessageTemplates {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw Problem(description: "\(directory): no such folder of notification templates")
        }
        let library: MustacheLibrary
        do {
            library = try await MustacheLibrary(directory: directory)
        } catch let error as MustacheLibrary.ParserError {
            throw Problem(description: "\(directory)/\(error.filename): not a valid template (\(error.error))")
        }
        for required in ["email/default", "email/layout", "telegram/default"] where library.getTemplate(named: required) == nil {
            throw Problem(description: "\(directory)/\(required).mustache is missing: every channel needs its fallback")
        }
        for name in try templateNames(in: directory) {
            let parts = name.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, NotificationChannel(rawValue: parts[0]) != nil,
                ["default", "layout"].contains(parts[1]) || EventType(rawValue: parts[1]) != nil || NotificationDigest.Kind(rawValue: parts[1]) != nil
                    || parts[1].hasPrefix("_")
            else {
                throw Problem(
                    description: "\(directory)/\(name).mustache: expected CHANNEL/EVENT_TYPE.mustache (email/credit.limit_breached.mustache)")
            }
        }
        return MessageTemplates(library: library, consoleURL: consoleURL, company: company)
    }

    /// The message for one recipient of one event.
    public func render(_ planned: PlannedNotification, event: DomainEvent, facts: MessageFacts) -> RenderedMessage {
        var context: [String: Any] = facts.values
        for flag in facts.flags { context[flag] = true }
        for (name, rows) in facts.lists { context[name] = rows }
        context["title"] = facts.title
        context["company"] = company
        context["urgent"] = planned.urgent
        if let name = planned.recipient.name { context["recipient_name"] = name }
        // Our people open the dealer's card; a dealer's contact opens the act in its cabinet.
        let toDealer = planned.recipient.kind == .contact
        let link = consoleURL.flatMap { base -> String? in
            if toDealer {
                if let code = facts.values["answer_code"] { return base + "/act-answer/" + code }
                return event.data["act_id"]?.stringValue.map { base + "/cabinet/acts/" + $0 } ?? base + "/cabinet"
            }
            return event.dealerID.map { base + "/dealers/" + $0.lowercased }
        }
        let linkLabel =
            facts.values["answer_code"] != nil ? "Открыть акт и ответить" : toDealer ? "Открыть в личном кабинете" : "Открыть карточку дилера"
        if let link { context["link"] = link }
        let channel = planned.channel.rawValue
        let name = library.getTemplate(named: "\(channel)/\(event.type.rawValue)") != nil ? "\(channel)/\(event.type.rawValue)" : "\(channel)/default"
        return assemble(
            library.render(context, withTemplate: name) ?? facts.title, channel: planned.channel, title: facts.title, link: link,
            linkLabel: linkLabel,
            urgent: planned.urgent)
    }

    /// A digest for its addressee: the morning one links to his desk, the weekly one to the board.
    public func render(_ digest: NotificationDigest.Kind, channel: NotificationChannel, facts: MessageFacts) -> RenderedMessage {
        var context: [String: Any] = facts.values
        for flag in facts.flags { context[flag] = true }
        for (name, rows) in facts.lists { context[name] = rows }
        context["title"] = facts.title
        context["company"] = company
        let link = consoleURL.map { $0 + (digest == .morning ? "/desk" : "/") }
        if let link { context["link"] = link }
        let name =
            library.getTemplate(named: "\(channel.rawValue)/\(digest.rawValue)") != nil
            ? "\(channel.rawValue)/\(digest.rawValue)" : "\(channel.rawValue)/default"
        return assemble(
            library.render(context, withTemplate: name) ?? facts.title, channel: channel, title: facts.title, link: link,
            linkLabel: digest == .morning ? "Открыть мой стол" : "Открыть сводку отдела", urgent: false)
    }

    /// A rendered template as its channel sends it: an e-mail's first line is its subject and its
    /// paragraphs go into the HTML layout; Telegram takes the text as it is.
    private func assemble(
        _ output: String, channel: NotificationChannel, title: String, link: String?, linkLabel: String, urgent: Bool
    ) -> RenderedMessage {
        switch channel {
        case .email:
            var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            while let first = lines.first, first.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeFirst() }
            let subject = lines.isEmpty ? title : lines.removeFirst().trimmingCharacters(in: .whitespaces)
            let body = lines.drop { $0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let paragraphs = body.components(separatedBy: "\n\n").map { ["lines": $0.split(separator: "\n").map { ["line": String($0)] }] }
            let layout: [String: Any] = [
                "subject": subject, "paragraphs": paragraphs, "company": company, "link": link as Any, "link_label": linkLabel,
                "urgent": urgent,
            ]
            let html = library.render(layout, withTemplate: "email/layout")
            return RenderedMessage(subject: subject.isEmpty ? title : subject, text: body + "\n", html: html)
        case .telegram:
            let text = output.trimmingCharacters(in: .whitespacesAndNewlines)
            return RenderedMessage(subject: title, text: text, html: nil)
        }
    }

    private static func templateNames(in directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var names: [String] = []
        while let path = enumerator.nextObject() as? String {
            guard path.hasSuffix(".mustache") else { continue }
            names.append(String(path.dropLast(".mustache".count)))
        }
        return names.sorted()
    }
}
