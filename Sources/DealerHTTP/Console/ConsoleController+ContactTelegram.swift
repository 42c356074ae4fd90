import DealerCore
import DealerStore
import Foundation
import HTTPTypes
import Hummingbird

/// Telegram for a dealer's contacts, from the dealer's card and from the dealer's own cabinet: the
/// contacts table shows whose chat is linked, makes a one-time link for a contact with an e-mail,
/// and unlinks one. The same store calls and audit as `/v1/dealers/{id}/telegram-link`.
extension ConsoleController {
    /// Who may link a contact's chat from the dealer's card.
    static let contactLinkers: Set<Role> = [.admin, .manager, .accountant]

    /// The contacts table of `dealer`; with a bot configured, each contact with an e-mail has its
    /// chat's state and the form to link or unlink it, posted under `base`.
    func contactsView(_ dealer: Dealer, base: String, canLink: Bool) async throws -> [String: Any] {
        let bot = api.telegramLinks != nil
        var chats: [String: ContactChat] = [:]
        if bot {
            for chat in try await NotificationStore(store).contactChats(of: dealer) { chats[chat.email] = chat }
        }
        let rows: [[String: Any]] = dealer.contacts.map { contact in
            var row: [String: Any] = [
                "name": contact.name, "position": contact.position ?? "", "email": contact.email ?? "", "phone": contact.phone ?? "",
            ]
            if bot, let email = contact.email?.lowercased() {
                row["address"] = email
                row["can_link"] = canLink
                if let chat = chats[email] {
                    row["linked"] = "подключён " + RussianText.instant(chat.linkedAt, in: store.calendar.timeZone)
                }
            }
            return row
        }
        return ["contacts": rows, "any_contacts": !rows.isEmpty, "telegram": bot, "telegram_base": base]
    }

    /// Makes a contact's one-time link and shows it to pass on (or to open on the phone at hand).
    func makeContactLink(_ session: ConsoleSession, dealer: Dealer, form: ConsoleForm, back: String) async throws -> Response {
        guard let telegram = api.telegramLinks else {
            return message(session, title: "Telegram не подключён", text: "В dealerd не настроен бот Telegram.", status: .conflict)
        }
        let email = form["email"]
        let link: ContactTelegramLink
        do {
            link = try await NotificationStore(store).makeContactTelegramLink(
                dealerID: dealer.id, email: email, lifetime: telegram.lifetime, by: session.user.caller)
        } catch is ValidationError {
            return message(
                session, title: "Нет такого контакта", text: "В карточке «\(dealer.name)» нет контакта с почтой \(email).",
                status: .unprocessableContent)
        }
        let name = ContactChat.contact(of: dealer, email: link.email)?.name ?? link.email
        let view: [String: Any] = [
            "name": name, "email": link.email, "url": telegram.url(link.code), "back": back,
            "expires": RussianText.instant(link.expiresAt, in: store.calendar.timeZone),
        ]
        return pages.page("telegram-link", title: "Ссылка для Telegram", view: view, session: session, status: .created)
    }

    /// Unlinks a contact's chat; the card says so.
    func unlinkContact(_ session: ConsoleSession, dealer: Dealer, form: ConsoleForm, back: String) async throws -> Response {
        _ = try await NotificationStore(store).unlinkContactTelegram(dealerID: dealer.id, email: form["email"], actor: session.user.caller.name)
        return ConsolePages.redirect(to: back + (back.contains("?") ? "&" : "?") + "done=telegram_unlinked#contacts-heading")
    }

    /// The session dealer's own card, for the cabinet's forms.
    func cabinetDealer(_ session: ConsoleSession) async throws -> Dealer {
        guard let dealerID = session.user.dealerID else { throw DomainError.notFound(entity: "dealer", id: "") }
        return try await store.dealer(id: dealerID)
    }
}
